/**
 * The table itself: a sticky header and a body that draws only the lines in view. A pool of line
 * elements is reused as the body scrolls, so 10,000 runs cost as much as the forty on screen.
 * Every value is set as text.
 */
import { append, codicon, h } from '../common/dom';
import { fieldId, fieldKindLabel, fieldLabel, sameField, type RunField, type SortKey } from '../../src/shared/runFields';
import { visibleRange, type DisplayItem } from '../../src/shared/runsTable';

export const LINE_HEIGHT = 24;
const NAME_FIELD: RunField = { kind: 'attribute', key: 'run_name' };

export interface GridActions {
  /** A header was clicked: `add` (shift) makes it a further sort key. */
  sortBy(field: RunField, add: boolean): void;
  removeColumn(field: RunField): void;
  setTicked(uid: string, ticked: boolean): void;
  setPinned(uid: string, pinned: boolean): void;
  toggleGroup(label: string | null): void;
  scrolled(scrollTop: number): void;
}

interface Line {
  el: HTMLElement;
  tick: HTMLInputElement;
  pin: HTMLButtonElement;
  name: HTMLElement;
  statusIcon: HTMLElement;
  /** A star on a study's best trial (or one of its Pareto front), when grouped by study. */
  bestIcon: HTMLElement;
  cells: HTMLElement[];
  group: HTMLButtonElement;
}

const STATUS_ICONS: Record<string, string> = {
  running: 'sync', finished: 'pass', failed: 'error', killed: 'circle-slash', scheduled: 'clock', unknown: 'circle-outline',
};

function columnWidth(field: RunField): number {
  if (field.kind === 'metric') return 100;
  if (field.kind === 'attribute' && (field.key === 'start_time' || field.key === 'end_time')) return 160;
  return 120;
}

export class RunGrid {
  readonly element: HTMLElement;
  private readonly header = h('div', { class: 'grid-header', attrs: { role: 'row', 'aria-rowindex': '1' } });
  private readonly spacer = h('div', { class: 'grid-spacer' });
  private readonly pool: Line[] = [];
  private items: DisplayItem[] = [];
  private columns: RunField[] = [];
  private ticked = new Set<string>();
  private frame = 0;

  constructor(private readonly actions: GridActions) {
    this.element = h('div', { class: 'grid', attrs: { role: 'grid', 'aria-label': 'Runs', tabindex: '-1' } }, this.header, this.spacer);
    this.element.addEventListener('scroll', () => {
      if (!this.frame) this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
        this.actions.scrolled(this.element.scrollTop);
      });
    });
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  setColumns(columns: RunField[], sort: SortKey[]): void {
    this.columns = columns;
    // Fixed widths: every line is its own grid, so only fixed tracks line up with the header.
    const widths = [28, 28, 240, ...columns.map(columnWidth)];
    this.element.style.setProperty('--grid-columns', widths.map((w) => `${w}px`).join(' '));
    this.element.style.setProperty('--grid-width', `${widths.reduce((a, b) => a + b, 0)}px`);
    this.element.setAttribute('aria-colcount', String(columns.length + 3));
    this.header.replaceChildren(
      h('div', { class: 'cell', attrs: { role: 'columnheader' } }, codicon('check', 'Ticked for comparison')),
      h('div', { class: 'cell', attrs: { role: 'columnheader' } }, codicon('pin', 'Pinned')),
      this.headerCell(NAME_FIELD, sort, false),
      ...columns.map((c) => this.headerCell(c, sort, true)),
    );
    for (const line of this.pool) line.el.remove();
    this.pool.length = 0;
    this.draw();
  }

  setItems(items: DisplayItem[]): void {
    this.items = items;
    this.element.setAttribute('aria-rowcount', String(items.length + 1));
    this.spacer.style.height = `${items.length * LINE_HEIGHT}px`;
    this.draw();
  }

  setTicked(uids: readonly string[]): void {
    this.ticked = new Set(uids);
    this.draw();
  }

  scrollTo(top: number): void {
    this.element.scrollTop = top;
    this.draw();
  }

  private headerCell(field: RunField, sort: SortKey[], removable: boolean): HTMLElement {
    const at = sort.findIndex((k) => sameField(k.field, field));
    const key = sort[at];
    const label = fieldLabel(field);
    const cell = h('div', {
      class: `cell header-cell${field.kind === 'metric' ? ' number' : ''}`,
      title: `${label} (${fieldKindLabel(field)}). Click to sort, Shift+click to sort by it next.`,
      attrs: { role: 'columnheader', tabindex: '0', 'data-field': fieldId(field), 'aria-sort': key ? (key.dir === 'asc' ? 'ascending' : 'descending') : 'none' },
      on: {
        click: (e) => this.actions.sortBy(field, e.shiftKey),
        keydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.actions.sortBy(field, e.shiftKey);
          }
        },
      },
    }, h('span', { class: 'header-label', text: label }));
    if (key) append(cell, [codicon(key.dir === 'asc' ? 'arrow-up' : 'arrow-down'), sort.length > 1 && h('span', { class: 'sort-rank', text: String(at + 1) })]);
    if (removable) {
      cell.append(h('button', {
        class: 'remove-column', title: `Remove the column ${label}`, attrs: { 'aria-label': `Remove column ${label}` },
        on: { click: (e) => {
          e.stopPropagation();
          this.actions.removeColumn(field);
        } },
      }, codicon('close')));
    }
    return cell;
  }

  /** Puts the lines in view into pooled elements. */
  private draw(): void {
    const headerHeight = this.header.offsetHeight;
    const { start, end } = visibleRange(this.element.scrollTop, this.element.clientHeight - headerHeight, LINE_HEIGHT, this.items.length);
    while (this.pool.length < end - start) this.pool.push(this.newLine());
    for (let i = 0; i < this.pool.length; i++) {
      const line = this.pool[i]!;
      const index = start + i;
      const item = this.items[index];
      if (!item || index >= end) {
        line.el.hidden = true;
        continue;
      }
      line.el.hidden = false;
      line.el.style.transform = `translateY(${index * LINE_HEIGHT}px)`;
      line.el.setAttribute('aria-rowindex', String(index + 2));
      this.fill(line, item);
    }
  }

  private fill(line: Line, item: DisplayItem): void {
    const isGroup = item.kind === 'group';
    line.el.classList.toggle('group-line', isGroup);
    line.group.hidden = !isGroup;
    line.tick.hidden = line.pin.hidden = line.name.hidden = isGroup;
    for (const c of line.cells) c.hidden = isGroup;
    if (item.kind === 'group') {
      const label = item.label ?? '(no value)';
      line.el.dataset.uid = '';
      line.el.dataset.group = label;
      line.group.replaceChildren(codicon(item.collapsed ? 'chevron-right' : 'chevron-down'), h('span', { class: 'group-label', text: label }),
        h('span', { class: 'muted', text: ` ${item.count.toLocaleString('en-US')} run${item.count === 1 ? '' : 's'}` }));
      line.group.setAttribute('aria-expanded', String(!item.collapsed));
      line.group.onclick = () => this.actions.toggleGroup(item.label);
      return;
    }
    const { row } = item;
    delete line.el.dataset.group;
    line.el.dataset.uid = row.uid;
    line.el.classList.toggle('pinned', item.pinned);
    line.el.classList.toggle('unmatched', !item.matches);
    line.el.title = item.matches ? '' : 'Pinned; does not match the filter';
    line.tick.checked = this.ticked.has(row.uid);
    line.tick.setAttribute('aria-label', `Compare ${row.name}`);
    line.tick.onchange = () => this.actions.setTicked(row.uid, line.tick.checked);
    line.pin.classList.toggle('on', item.pinned);
    line.pin.replaceChildren(codicon(item.pinned ? 'pinned' : 'pin'));
    line.pin.setAttribute('aria-label', `${item.pinned ? 'Unpin' : 'Pin'} ${row.name}`);
    line.pin.setAttribute('aria-pressed', String(item.pinned));
    line.pin.onclick = () => this.actions.setPinned(row.uid, !item.pinned);
    line.statusIcon.className = `codicon codicon-${STATUS_ICONS[row.status] ?? 'circle-outline'} status-${row.status}`;
    line.statusIcon.title = row.status;
    line.name.lastChild!.textContent = row.name;
    line.name.title = `${row.name} · ${row.uid}`;
    line.bestIcon.hidden = !row.best;
    line.bestIcon.title = row.best === 'pareto' ? 'On the study\'s Pareto front' : 'The study\'s best trial';
    for (let c = 0; c < line.cells.length; c++) {
      const text = row.cells[c] ?? '';
      line.cells[c]!.textContent = text;
      line.cells[c]!.title = text;
    }
  }

  private newLine(): Line {
    const tick = h('input', { class: 'tick', attrs: { type: 'checkbox' } });
    const pin = h('button', { class: 'pin' });
    const statusIcon = h('span');
    const bestIcon = h('span', { class: 'codicon codicon-star-full best-trial' });
    const name = h('div', { class: 'cell name', attrs: { role: 'gridcell' } }, statusIcon, bestIcon, h('span', { class: 'name-text' }));
    const cells = this.columns.map((c) => h('div', { class: `cell${c.kind === 'metric' ? ' number' : ''}`, attrs: { role: 'gridcell' } }));
    const group = h('button', { class: 'group-toggle' });
    const el = h('div', { class: 'line', attrs: { role: 'row' } },
      h('div', { class: 'cell', attrs: { role: 'gridcell' } }, tick),
      h('div', { class: 'cell', attrs: { role: 'gridcell' } }, pin),
      name, ...cells, group);
    this.spacer.append(el);
    return { el, tick, pin, name, statusIcon, bestIcon, cells, group };
  }
}

/**
 * The comparison table of the panel: a row per run with the parameters that differ (or all) and
 * the summaries of the chosen metrics, sortable by any column. It is the table the CSV and
 * Markdown exports write (src/shared/compare/compareTable.ts).
 */
import { buildCompareTable, type TableCell } from '../../src/shared/compare/compareTable';
import type { CompareSnapshot } from '../../src/shared/compare/compareTypes';
import { formatMetricValue } from '../../src/shared/format';
import { clear, codicon, h } from '../common/dom';
import { swatch } from './runLabels';

export interface TableSort {
  column: string;
  descending: boolean;
}

export class TableView {
  readonly element: HTMLElement;
  private highlighted: string | null = null;
  private rows = new Map<string, HTMLElement>();

  constructor(private readonly onSort: (sort: TableSort) => void, private readonly onHover: (uid: string | null) => void) {
    this.element = h('div', { class: 'table-view scroll-x' });
  }

  render(snapshot: CompareSnapshot, colors: string[], options: { allParams: boolean; metricKeys: string[]; sort: TableSort | null }): void {
    const focused = document.activeElement?.id;
    clear(this.element);
    this.rows.clear();
    const table = buildCompareTable(snapshot, { allParams: options.allParams, metricKeys: options.metricKeys });
    const sortIndex = options.sort ? table.header.indexOf(options.sort.column) : -1;
    const order = snapshot.runs.map((_, i) => i);
    if (sortIndex >= 0) {
      const sign = options.sort!.descending ? -1 : 1;
      order.sort((a, b) => compareCells(table.rows[a]![sortIndex]!, table.rows[b]![sortIndex]!, sign) || a - b);
    }
    const el = h('table', { class: 'grid compare-table', attrs: { 'aria-label': 'Runs compared' } });
    el.append(h('thead', {}, h('tr', {}, ...table.header.map((name, c) => {
      const active = c === sortIndex;
      const descending = active && options.sort!.descending;
      const button = h('button', {
        class: 'sort', attrs: { id: `table-sort-${c}`, 'aria-label': `Sort by ${name}` },
        on: { click: () => this.onSort({ column: name, descending: active ? !descending : false }) },
      }, name, active ? codicon(descending ? 'arrow-down' : 'arrow-up') : null);
      return h('th', {
        class: c >= 2 && typeof table.rows[0]?.[c] === 'number' ? 'num' : '',
        attrs: { scope: 'col', 'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none' },
      }, button);
    }))));
    const body = h('tbody');
    for (const i of order) {
      const run = snapshot.runs[i]!;
      const cells = table.rows[i]!;
      const tr = h('tr', { attrs: { 'data-uid': run.uid } },
        h('th', { attrs: { scope: 'row' }, title: run.uid }, swatch(colors[i]!), cells[0] as string),
        ...cells.slice(1).map((cell) => cellElement(cell)));
      tr.addEventListener('mouseenter', () => this.onHover(run.uid));
      tr.addEventListener('mouseleave', () => this.onHover(null));
      this.rows.set(run.uid, tr);
      body.append(tr);
    }
    el.append(body);
    this.element.append(el);
    this.setHighlight(this.highlighted);
    if (focused?.startsWith('table-sort-')) document.getElementById(focused)?.focus();
  }

  setHighlight(uid: string | null): void {
    this.highlighted = uid;
    for (const [u, tr] of this.rows) tr.classList.toggle('highlight', u === uid);
  }
}

function cellElement(cell: TableCell): HTMLElement {
  if (cell === null) return h('td', { class: 'value-missing', text: '—' });
  if (typeof cell === 'number') return h('td', { class: 'num', text: formatMetricValue(cell), title: String(cell) });
  return h('td', { text: cell });
}

/** Numbers by value, text naturally; empty cells always last. */
function compareCells(a: TableCell, b: TableCell, sign: number): number {
  const empty = (c: TableCell) => c === null || (typeof c === 'number' && Number.isNaN(c));
  if (empty(a) || empty(b)) return empty(a) === empty(b) ? 0 : empty(a) ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return sign * (a - b || 0);
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return sign * (na - nb);
  return sign * String(a).localeCompare(String(b), undefined, { numeric: true });
}

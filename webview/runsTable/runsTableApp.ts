/**
 * The Runs table page: a filter box in MLflow's search syntax (errors shown on their token), the
 * grouping, the column chooser, and the grid. The host sends whole tables (filtered, sorted and
 * formatted by the store worker); the page keeps only UI intent (collapsed groups, scroll).
 */
import { append, clear, codicon, h } from '../common/dom';
import type { HostConnection } from '../common/hostConnection';
import { sameField, type RunField, type SortKey } from '../../src/shared/runFields';
import type { RunsTableHostMessage, RunsTableView, RunsTableWebviewMessage } from '../../src/shared/protocol/runsTable';
import { groupKey, layoutRows, type GroupBy, type RunsTableResult } from '../../src/shared/runsTable';
import { RunGrid } from './runGrid';

export interface PageState {
  collapsed: string[];
  scrollTop: number;
}

export type RunsTableConnection = HostConnection<RunsTableHostMessage, RunsTableWebviewMessage, Partial<PageState>>;
type TableResult = Extract<RunsTableResult, { ok: true }>;

/** How long the filter waits after the last key before searching. */
const TYPING_PAUSE_MS = 600;

export class RunsTableApp {
  private view: RunsTableView | undefined;
  private pinned: string[] = [];
  private ticked: string[] = [];
  private table: TableResult | undefined;
  private seq = -1;
  private readonly collapsed: Set<string>;
  private scrollTop: number;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly grid: RunGrid;
  private readonly ui = {
    filter: document.createElement('vscode-textfield'),
    groupBy: document.createElement('vscode-single-select'),
    columns: button('Columns…', 'list-selection', 'choose-columns'),
    compare: button('Compare Ticked', 'compare-changes', 'compare-ticked'),
    problem: h('div', { class: 'filter-problem', attrs: { id: 'filter-problem', role: 'alert' } }),
    summary: h('div', { class: 'summary muted', attrs: { id: 'summary', 'aria-live': 'polite' } }),
  };

  constructor(private readonly root: HTMLElement, private readonly host: RunsTableConnection) {
    const saved = host.state;
    this.collapsed = new Set(Array.isArray(saved.collapsed) ? saved.collapsed.filter((k) => typeof k === 'string') : []);
    this.scrollTop = typeof saved.scrollTop === 'number' ? saved.scrollTop : 0;
    this.grid = new RunGrid({
      sortBy: (field, add) => this.sortBy(field, add),
      removeColumn: (field) => this.post({ type: 'removeColumn', field }),
      setTicked: (uid, ticked) => this.post({ type: 'setTicked', uid, ticked }),
      setPinned: (uid, pinned) => this.post({ type: 'setPinned', uid, pinned }),
      toggleGroup: (label) => {
        const key = groupKey(label);
        if (!this.collapsed.delete(key)) this.collapsed.add(key);
        this.save();
        this.layout();
      },
      scrolled: (top) => {
        this.scrollTop = top;
        this.save();
      },
    });
  }

  start(): void {
    this.host.listen((m) => this.onMessage(m));
    this.build();
    this.host.post({ type: 'ready' });
  }

  private post(m: RunsTableWebviewMessage): void {
    this.host.post(m);
  }

  private save(): void {
    this.host.setState({ collapsed: [...this.collapsed], scrollTop: this.scrollTop });
  }

  private build(): void {
    const { filter, groupBy, columns, compare } = this.ui;
    filter.id = 'filter';
    filter.placeholder = "Filter: metrics.val_loss < 0.3 and params.optimizer = 'adam'";
    filter.setAttribute('aria-label', "Filter runs (MLflow's search syntax)");
    filter.setAttribute('aria-describedby', 'filter-problem');
    filter.addEventListener('keydown', (e: KeyboardEvent) => {
      if (e.key === 'Enter') this.applyFilter();
      if (e.key === 'Escape' && filter.value) {
        filter.value = '';
        this.applyFilter();
      }
    });
    filter.addEventListener('input', () => {
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => this.applyFilter(), TYPING_PAUSE_MS);
    });
    groupBy.id = 'group-by';
    groupBy.setAttribute('aria-label', 'Group by');
    groupBy.addEventListener('change', () => this.post({ type: 'setGroupBy', groupBy: decodeGroup(groupBy.value) }));
    columns.addEventListener('click', () => this.post({ type: 'chooseColumns' }));
    compare.addEventListener('click', () => this.post({ type: 'compareTicked' }));
    this.root.replaceChildren(
      h('div', { class: 'toolbar' },
        h('div', { class: 'filter-wrap' }, filter),
        h('label', { class: 'control' }, h('span', { class: 'control-label', text: 'Group by' }), groupBy),
        columns, compare),
      this.ui.problem,
      this.ui.summary,
      this.grid.element,
    );
  }

  private applyFilter(): void {
    clearTimeout(this.typingTimer);
    const text = this.ui.filter.value;
    if (this.view && text === this.view.filter) return;
    this.post({ type: 'setFilter', filter: text });
  }

  /** Click: sort by this column alone, then the other way, then not at all. Shift: the same, as a further key. */
  private sortBy(field: RunField, add: boolean): void {
    const sort = this.view?.sort ?? [];
    const at = sort.findIndex((k) => sameField(k.field, field));
    const current = sort[at];
    const next: SortKey | null = !current ? { field, dir: 'asc' } : current.dir === 'asc' ? { field, dir: 'desc' } : null;
    let result: SortKey[];
    if (add) {
      result = at < 0 ? [...sort, next!] : sort.flatMap((k, i) => (i === at ? (next ? [next] : []) : [k]));
    } else {
      result = next ? [next] : [];
    }
    this.post({ type: 'setSort', sort: result });
  }

  private onMessage(m: RunsTableHostMessage): void {
    switch (m.type) {
      case 'view': {
        const columnsChanged = !this.view || JSON.stringify(this.view.columns) !== JSON.stringify(m.view.columns) || JSON.stringify(this.view.sort) !== JSON.stringify(m.view.sort);
        this.view = m.view;
        this.pinned = m.pinned;
        if (document.activeElement !== this.ui.filter) this.ui.filter.value = m.view.filter;
        if (columnsChanged && !this.table) this.grid.setColumns(m.view.columns, m.view.sort);
        return;
      }
      case 'rows':
        if (m.seq < this.seq) return;
        this.seq = m.seq;
        return this.showRows(m.view, m.result);
      case 'ticked':
        this.ticked = m.uids;
        this.grid.setTicked(m.uids);
        this.summarise();
        return;
      default: {
        const never: never = m;
        this.host.reportError(`unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  private showRows(view: RunsTableView, result: RunsTableResult): void {
    if (!result.ok) {
      this.showProblem(view, result.error);
      return;
    }
    this.showProblem(view, null);
    const first = !this.table;
    this.table = result;
    this.grid.setColumns(view.columns, view.sort);
    this.fillGroupBy(result, view.groupBy);
    this.layout();
    if (first) this.grid.scrollTo(this.scrollTop);
    document.body.dataset.rows = String(result.rows.length);
  }

  private layout(): void {
    if (!this.table) return;
    this.grid.setItems(layoutRows(this.table, this.collapsed));
    this.grid.setTicked(this.ticked);
    this.summarise();
  }

  private summarise(): void {
    const t = this.table;
    if (!t) return;
    const n = (x: number) => x.toLocaleString('en-US');
    const parts = [this.view?.filter ? `${n(t.rows.length)} of ${n(t.total)} runs match` : `${n(t.total)} runs`];
    if (this.ticked.length) parts.push(`${n(this.ticked.length)} ticked`);
    if (t.pinned.length) parts.push(`${n(t.pinned.length)} pinned`);
    this.ui.summary.textContent = parts.join(' · ');
    this.ui.compare.toggleAttribute('disabled', this.ticked.length === 0);
  }

  /** The error under the filter box, with the text it is about marked; the last good rows stay. */
  private showProblem(view: RunsTableView, problem: Extract<RunsTableResult, { ok: false }>['error'] | null): void {
    const box = this.ui.problem;
    this.ui.filter.toggleAttribute('invalid', problem?.input === 'filter');
    if (!problem) {
      box.replaceChildren();
      box.hidden = true;
      return;
    }
    const text = problem.input === 'filter' ? view.filter : 'the sort';
    const start = Math.min(problem.start, text.length);
    const end = Math.max(start, Math.min(problem.end, text.length));
    box.hidden = false;
    box.dataset.start = String(problem.start);
    box.dataset.end = String(problem.end);
    clear(box);
    append(box, [
      h('div', { class: 'problem-message' }, codicon('error'), ` Column ${problem.start + 1}: ${problem.message}`),
      problem.input === 'filter' &&
        h('div', { class: 'problem-text' }, text.slice(0, start), h('mark', { class: 'problem-token', text: end > start ? text.slice(start, end) : ' ' }), text.slice(end)),
    ]);
  }

  private fillGroupBy(result: TableResult, current: GroupBy): void {
    const select = this.ui.groupBy;
    const value = encodeGroup(current);
    const options: [string, string][] = [['', 'None'], ['experiment', 'Experiment'], ['study', 'Study (sweep)'], ...result.keys.params.map((k): [string, string] => [`param:${k}`, `Parameter: ${k}`])];
    const signature = options.map((o) => o[0]).join('\u0000') + '\u0001' + value;
    if (select.dataset.signature === signature) return;
    select.dataset.signature = signature;
    select.replaceChildren(...options.map(([v, label]) => {
      const o = document.createElement('vscode-option');
      o.value = v;
      o.textContent = label;
      o.selected = v === value;
      return o;
    }));
  }
}

function encodeGroup(g: GroupBy): string {
  return g === null ? '' : g.kind === 'param' ? `param:${g.key}` : g.kind;
}

function decodeGroup(value: string): GroupBy {
  if (value === 'experiment') return { kind: 'experiment' };
  if (value === 'study') return { kind: 'study' };
  return value.startsWith('param:') ? { kind: 'param', key: value.slice('param:'.length) } : null;
}

function button(label: string, icon: string, id: string): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  b.setAttribute('icon', icon);
  b.setAttribute('secondary', '');
  b.textContent = label;
  return b;
}

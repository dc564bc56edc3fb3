/**
 * The Schema Diff panel's page: the two sides, a summary line, the dataset-level findings, the
 * column table (filterable to changed columns) and the detail of the chosen column. Everything
 * from the files (column names, values, paths) is set as text, never as HTML.
 */
import type { SchemaDiffDiffMessage, SchemaDiffHostMessage, SchemaDiffWire } from '../../src/shared/protocol/schemaDiff';
import { compareSeverity, type Severity } from '../../src/shared/schemaDiff';
import { columnLabel, driftFigures, figure, modeText, pair, sideDistinct, sideMissing, sideType, summaryLine } from '../../src/shared/schemaDiffText';
import { codicon, h } from '../common/dom';
import { findingList, severityIcon, statusBadge } from './badges';
import { columnDetail, type ColumnDetailView } from './columnDetail';
import type { SavedState, SchemaDiffConnection } from './schemaDiffConnection';

type Column = SchemaDiffWire['columns'][number];
type Finding = SchemaDiffWire['findings'][number];

export class SchemaDiffApp {
  private state: SavedState;
  private current: SchemaDiffDiffMessage | undefined;
  private detail: ColumnDetailView | undefined;
  private readonly status = h('p', { class: 'muted busy', attrs: { role: 'status', 'aria-live': 'polite' }, text: 'Reading the datasets…' });
  private readonly tableBody = h('tbody');
  private readonly detailSlot = h('div', { class: 'detail-slot' });
  private readonly shownCount = h('span', { class: 'muted shown-count' });

  constructor(private readonly root: HTMLElement, private readonly host: SchemaDiffConnection) {
    this.state = host.state;
  }

  start(): void {
    this.root.className = 'schema-diff';
    this.root.replaceChildren(this.status);
    this.host.listen((m) => this.onMessage(m));
    this.host.post({ type: 'ready' });
  }

  private onMessage(m: SchemaDiffHostMessage): void {
    switch (m.type) {
      case 'diff':
        this.current = m;
        this.status.textContent = '';
        this.render(m);
        return;
      case 'busy':
        this.status.textContent = m.text;
        if (!this.status.isConnected) this.root.prepend(this.status);
        return;
      default: {
        const never: never = m;
        this.host.reportError(`unhandled message ${JSON.stringify(never).slice(0, 200)}`);
      }
    }
  }

  private saveState(patch: Partial<SavedState>): void {
    this.state = { ...this.state, ...patch };
    this.host.setState(this.state);
  }

  private render(m: SchemaDiffDiffMessage): void {
    const d = m.diff;
    const parts: Node[] = [this.status, this.header(m)];
    for (const note of m.notes) parts.push(h('p', { class: 'notice', text: note }));
    const datasetFindings = d.findings.filter((f) => f.column === undefined);
    if (datasetFindings.length > 0) parts.push(h('section', { class: 'dataset-findings', attrs: { 'aria-label': 'Findings about the whole dataset' } }, findingList(datasetFindings)));
    const problems = [...d.a.diagnostics, ...d.b.diagnostics];
    if (problems.length > 0) parts.push(inputProblems(problems));
    if (d.columns.length > 0) {
      parts.push(h('div', { class: 'columns-area' }, this.table(), this.detailSlot));
    } else {
      parts.push(h('p', { class: 'notice', text: 'No columns could be compared: see the problems above.' }));
    }
    this.root.replaceChildren(...parts);
    this.fillTable();
    const selected = d.columns.find((c) => c.name === this.state.selected) ?? defaultColumn(d);
    this.select(selected?.name ?? null, false);
  }

  private header(m: SchemaDiffDiffMessage): HTMLElement {
    const d = m.diff;
    const side = (key: 'a' | 'b') => {
      const label = m.labels[key];
      const facts = d[key].kind === 'schema'
        ? `TFDV schema, ${d[key].columnCount} features`
        : `${d[key].format}, ${figure(d[key].rowCount ?? 0)} rows, ${d[key].columnCount} columns`;
      const open = h('button', { class: 'link', title: `Open ${label.title}`, text: label.title, on: { click: () => this.host.post({ type: 'openSide', side: key }) } });
      return h('div', { class: `side side-${key}` },
        h('span', { class: 'side-key', text: key.toUpperCase() }),
        h('div', {}, label.canOpen ? open : h('span', { class: 'side-title', text: label.title }),
          h('div', { class: 'muted', text: [label.detail, facts, d[key].usable ? (d[key].complete ? '' : 'partly read') : 'unreadable'].filter(Boolean).join(' · ') })));
    };
    const summary = h('p', { class: 'summary' });
    for (const s of ['error', 'warning', 'info'] as const) {
      if (d.counts[s] > 0) summary.append(h('span', { class: `count ${s}` }, severityIcon(s), String(d.counts[s])));
    }
    summary.append(h('span', { class: 'summary-text', text: summaryLine(d) }));
    const t = d.thresholds;
    const mode = h('p', { class: 'muted', text: `${modeText(d.mode)} · thresholds L∞ ${figure(t.lInfinity)}, JS ${figure(t.jensenShannon)}, PSI ${figure(t.psi)}${m.problemsFile ? ` · findings also in Problems on ${m.problemsFile}` : ''}` });

    const changedOnly = document.createElement('vscode-checkbox');
    changedOnly.setAttribute('label', 'Changed columns only');
    changedOnly.id = 'changed-only';
    changedOnly.checked = this.state.changedOnly;
    changedOnly.addEventListener('change', () => {
      this.saveState({ changedOnly: changedOnly.checked });
      this.fillTable();
    });
    const button = (icon: string, text: string, onClick: () => void) => {
      const b = document.createElement('vscode-button');
      b.setAttribute('icon', icon);
      b.setAttribute('secondary', '');
      b.textContent = text;
      b.addEventListener('click', onClick);
      return b;
    };
    const tools = h('div', { class: 'toolbar' }, changedOnly, this.shownCount,
      h('span', { class: 'spacer' }),
      button('markdown', 'Export Markdown', () => this.host.post({ type: 'export', format: 'markdown' })),
      button('json', 'Export JSON', () => this.host.post({ type: 'export', format: 'json' })),
      button('refresh', 'Re-run', () => this.host.post({ type: 'rerun' })));
    return h('header', { class: 'header' },
      h('h1', { text: 'Schema diff' }),
      h('div', { class: 'sides' }, side('a'), codicon('arrow-right'), side('b')),
      summary, mode, tools);
  }

  private table(): HTMLElement {
    const head = h('thead', {}, h('tr', {}, ...['Status', 'Column', 'Type', 'Missing', 'Distinct', 'Drift', 'Findings'].map((t) => h('th', { attrs: { scope: 'col' }, text: t }))));
    const table = h('table', { class: 'grid columns', attrs: { 'aria-label': 'Columns' } }, head, this.tableBody);
    table.addEventListener('keydown', (e) => this.onTableKey(e));
    return h('div', { class: 'table-box' }, table);
  }

  private fillTable(): void {
    const d = this.current?.diff;
    if (!d) return;
    const byColumn = findingsByColumn(d.findings);
    const shown = this.state.changedOnly ? d.columns.filter((c) => c.status !== 'unchanged' || (byColumn.get(c.name)?.length ?? 0) > 0) : d.columns;
    this.shownCount.textContent = shown.length === d.columns.length ? `${d.columns.length} columns` : `${shown.length} of ${d.columns.length} columns`;
    const rows = shown.map((c) => this.columnRow(c, byColumn.get(c.name) ?? []));
    this.tableBody.replaceChildren(...rows);
    if (shown.length === 0) this.tableBody.append(h('tr', {}, h('td', { attrs: { colspan: '7' }, class: 'muted', text: 'No column changed.' })));
    this.markSelected();
  }

  private columnRow(c: Column, findings: Finding[]): HTMLElement {
    const drift = h('td', { class: 'drift-cell' });
    for (const f of driftFigures(c)) drift.append(h('span', { class: `drift ${f.over ? 'over' : ''}`, text: `${f.label} ${figure(f.value)}` }));
    const findingsCell = h('td', { class: 'findings-cell' });
    const counts = new Map<Severity, number>();
    for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
    for (const s of ['error', 'warning', 'info'] as const) {
      if (counts.has(s)) findingsCell.append(h('span', { class: `count ${s}` }, severityIcon(s), String(counts.get(s))));
    }
    const kinds = [...new Set(findings.map((f) => f.kind))];
    if (kinds.length) findingsCell.append(h('span', { class: 'kinds muted', text: kinds.join(', ') }));
    const row = h('tr', {
      class: `column-row ${c.status}${c.worst ? ` worst-${c.worst}` : ''}`,
      attrs: { tabindex: '-1', 'data-column': c.name, 'aria-selected': 'false' },
      on: { click: () => this.select(c.name, true) },
    },
    h('td', {}, statusBadge(c.status)),
    h('td', { class: 'column-name', text: columnLabel(c) }),
    h('td', { text: pair(sideType(c.a), sideType(c.b)) }),
    h('td', { text: pair(sideMissing(c.a), sideMissing(c.b)) }),
    h('td', { text: pair(sideDistinct(c.a), sideDistinct(c.b)) }),
    drift,
    findingsCell);
    return row;
  }

  private rows(): HTMLElement[] {
    return [...this.tableBody.querySelectorAll<HTMLElement>('tr.column-row')];
  }

  /** Arrow keys move through the rows; the focused row is the selected one. */
  private onTableKey(e: KeyboardEvent): void {
    const rows = this.rows();
    if (rows.length === 0) return;
    const at = rows.findIndex((r) => r.dataset.column === this.state.selected);
    let next = at;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, at + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, at - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else return;
    e.preventDefault();
    this.select(rows[next]!.dataset.column ?? null, true);
  }

  private select(name: string | null, focus: boolean): void {
    const d = this.current?.diff;
    const column = d?.columns.find((c) => c.name === name);
    this.saveState({ selected: column ? column.name : null });
    this.markSelected(focus);
    this.disposeDetail();
    if (!d || !column || !this.current) {
      this.detailSlot.replaceChildren(h('p', { class: 'muted', text: 'Choose a column to see its statistics and distributions.' }));
      return;
    }
    const findings = d.findings.filter((f) => f.column === column.name);
    this.detail = columnDetail(column, findings, { a: `A ${this.current.labels.a.title}`, b: `B ${this.current.labels.b.title}` });
    this.detailSlot.replaceChildren(this.detail.element);
  }

  private markSelected(focus = false): void {
    const rows = this.rows();
    const selected = rows.find((r) => r.dataset.column === this.state.selected);
    for (const r of rows) {
      r.setAttribute('aria-selected', String(r === selected));
      r.tabIndex = r === selected ? 0 : -1;
    }
    if (!selected && rows[0]) rows[0].tabIndex = 0;
    if (focus) selected?.focus();
  }

  private disposeDetail(): void {
    this.detail?.dispose();
    this.detail = undefined;
  }
}

function findingsByColumn(findings: Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.column === undefined) continue;
    map.set(f.column, [...(map.get(f.column) ?? []), f]);
  }
  return map;
}

/** The column with the most severe finding first, else the first one. */
function defaultColumn(d: SchemaDiffWire): Column | undefined {
  const worst = [...d.columns].filter((c) => c.worst).sort((x, y) => compareSeverity(x.worst!, y.worst!))[0];
  return worst ?? d.columns[0];
}

function inputProblems(problems: SchemaDiffWire['a']['diagnostics']): HTMLElement {
  const list = h('ul', { class: 'input-problems' });
  for (const p of problems) {
    const where = p.line !== undefined ? `${p.file}:${p.line}` : p.file;
    list.append(h('li', {}, severityIcon(p.severity), h('span', { text: `${where}: ${p.message}${p.occurrences ? ` (${p.occurrences} times)` : ''}` })));
  }
  const box = h('details', { class: 'input-problems-box' }, h('summary', { text: `Problems reading the inputs (${problems.length})` }), list);
  if (problems.some((p) => p.severity === 'error')) box.setAttribute('open', '');
  return box;
}

/** The detail of one column: its findings, both sides' statistics and their distributions overlaid. */
import type { Chart } from 'chart.js';
import type { SchemaDiffWire } from '../../src/shared/protocol/schemaDiff';
import { columnLabel, driftFigures, figure, percent, sideDistinct, sideMissing, sideType } from '../../src/shared/schemaDiffText';
import { h } from '../common/dom';
import { drawDistribution, type SideNames } from './histogramChart';
import { findingList, statusBadge } from './badges';
import { isCategorical } from './categories';

type Column = SchemaDiffWire['columns'][number];
type Side = NonNullable<Column['a']>;
type Finding = SchemaDiffWire['findings'][number];

export interface ColumnDetailView {
  element: HTMLElement;
  /** Frees the chart (call before the element is replaced). */
  dispose(): void;
}

export function columnDetail(column: Column, findings: Finding[], names: SideNames): ColumnDetailView {
  const title = h('h2', { class: 'detail-title' }, statusBadge(column.status), h('span', { class: 'column-name', text: columnLabel(column) }));
  const parts: Node[] = [title];

  if (column.rename) {
    parts.push(h('p', { class: 'muted', text: `Probably renamed from ${column.a?.name ?? '?'} (evidence ${figure(column.rename.score)}: ${column.rename.reasons.join('; ')})` }));
  }
  if (findings.length > 0) {
    const list = findingList(findings);
    parts.push(list);
  } else {
    parts.push(h('p', { class: 'muted', text: 'No findings for this column.' }));
  }

  const drift = driftFigures(column);
  if (drift.length > 0) {
    const row = h('p', { class: 'drift-figures' });
    for (const d of drift) {
      row.append(h('span', { class: `drift ${d.over ? 'over' : ''}`, title: `threshold ${figure(d.threshold)}`, text: `${d.label} ${figure(d.value)}${d.over ? ` > ${figure(d.threshold)}` : ''}` }));
    }
    parts.push(row);
  }

  const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `Distribution of ${column.name} in ${names.a} and ${names.b}` } });
  const chartBox = h('div', { class: 'chart-box' }, canvas);
  parts.push(h('div', { class: 'detail-body' }, statsTable(column, names), chartBox));
  const element = h('section', { class: 'detail', attrs: { 'aria-label': `Column ${column.name}` } }, ...parts);
  let chart: Chart | undefined;
  // Drawn once the canvas is in the document (chart.js measures its container).
  requestAnimationFrame(() => {
    if (!element.isConnected) return;
    chart = drawDistribution(canvas, column, names);
    if (!chart) chartBox.replaceChildren(h('p', { class: 'muted', text: 'No distribution to draw for this column.' }));
  });
  return { element, dispose: () => chart?.destroy() };
}

function statsTable(column: Column, names: SideNames): HTMLElement {
  const rows: [string, string, string][] = [
    ['type', sideType(column.a), sideType(column.b)],
    ['present', count(column.a, (s) => s.present), count(column.b, (s) => s.present)],
    ['missing', sideMissing(column.a), sideMissing(column.b)],
    ['distinct', sideDistinct(column.a), sideDistinct(column.b)],
  ];
  const numeric = (s: Side | undefined, pick: (n: NonNullable<NonNullable<Side['stats']>['numeric']>) => number | null) =>
    s?.stats?.numeric ? figure(pick(s.stats.numeric)) : '—';
  if (column.a?.stats?.numeric || column.b?.stats?.numeric) {
    rows.push(
      ['min', numeric(column.a, (n) => n.min), numeric(column.b, (n) => n.min)],
      ['max', numeric(column.a, (n) => n.max), numeric(column.b, (n) => n.max)],
      ['mean', numeric(column.a, (n) => n.mean), numeric(column.b, (n) => n.mean)],
      ['std', numeric(column.a, (n) => n.std), numeric(column.b, (n) => n.std)],
    );
  }
  if (column.a?.stats?.dates || column.b?.stats?.dates) {
    const range = (s: Side | undefined) => (s?.stats?.dates ? `${s.stats.dates.min} … ${s.stats.dates.max}` : '—');
    rows.push(['dates', range(column.a), range(column.b)]);
  }
  if (isCategorical(column.a) || isCategorical(column.b)) {
    rows.push(['top values', topValues(column.a), topValues(column.b)]);
  }
  if (column.a?.schema || column.b?.schema) rows.push(['schema domain', domainText(column.a), domainText(column.b)]);
  if (column.a?.stats?.declaredType || column.b?.stats?.declaredType) {
    rows.push(['declared type', column.a?.stats?.declaredType ?? '—', column.b?.stats?.declaredType ?? '—']);
  }

  const table = h('table', { class: 'grid stats' });
  table.append(h('thead', {}, h('tr', {}, h('th', { text: '' }), h('th', { text: names.a }), h('th', { text: names.b }))));
  const body = h('tbody');
  for (const [label, a, b] of rows) {
    body.append(h('tr', {}, h('th', { attrs: { scope: 'row' }, text: label }), h('td', { text: a }), h('td', { class: a !== b ? 'differs' : '', text: b })));
  }
  table.append(body);
  return h('div', { class: 'scroll-x' }, table);
}

function count(s: Side | undefined, pick: (stats: NonNullable<Side['stats']>) => number): string {
  return s?.stats ? String(pick(s.stats)) : '—';
}

function topValues(s: Side | undefined): string {
  const cat = s?.stats?.categorical;
  if (!cat || !s?.stats) return '—';
  const present = s.stats.present || 1;
  return cat.topValues.slice(0, 5).map((t) => `${t.value} (${percent(t.count / present)})`).join(', ') || '—';
}

function domainText(s: Side | undefined): string {
  const d = s?.schema?.domain;
  if (!d) return s?.schema ? 'none' : '—';
  switch (d.kind) {
    case 'string':
      return `${d.values.length} values${d.values.length ? `: ${d.values.slice(0, 8).join(', ')}${d.values.length > 8 ? ', …' : ''}` : ''}`;
    case 'int':
    case 'float':
      return `${d.kind} [${figure(d.min ?? null)}, ${figure(d.max ?? null)}]`;
    case 'bool':
      return 'bool';
    case 'struct':
      return 'struct';
    case 'other':
      return d.name;
  }
}


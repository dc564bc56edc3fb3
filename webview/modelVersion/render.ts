/**
 * Builds the Model Version panel's content from a comparison, with DOM calls only: every name,
 * path, parameter and message from the data is set as textContent.
 */
import { formatMetricValue, formatTimestamp } from '../../src/shared/format';
import type { GateVerdict, MetricComparisonRow, ModelVersionComparison, TrainingDataDrift, TrainingDataset, VersionFacts } from '../../src/shared/modelComparison';

/** The run-event spelling of NaN and ±Infinity, back to numbers (runEvents.ts is not imported: it makes schemas at load). */
type WireValue = number | 'NaN' | 'Infinity' | '-Infinity' | null;

export function toNumber(v: WireValue): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  return v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;
}

export interface RenderActions {
  openRun(uid: string): void;
  revealArtifact(side: 'version' | 'against'): void;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function formatValue(v: WireValue): string {
  const n = toNumber(v);
  return n === null ? '—' : formatMetricValue(n);
}

function signed(v: WireValue): string {
  const n = toNumber(v);
  if (n === null) return '—';
  return n > 0 ? `+${formatMetricValue(n)}` : formatMetricValue(n);
}

export function section(title: string, ...children: Node[]): HTMLElement {
  const s = h('section', 'section');
  s.append(h('h2', undefined, title), ...children);
  return s;
}

export function gateSection(gate: GateVerdict | null, gateMetric: string | null, c: ModelVersionComparison): HTMLElement | null {
  if (!c.against) return null;
  if (!gate) {
    const p = h('p', 'muted', gateMetric === null
      ? 'No gate metric is set (exptrack.gate.metric): promoting to champion or production over a holder needs an override reason.'
      : `The gate compares ${gateMetric}.`);
    return section('Champion–challenger gate', p);
  }
  const verdict = h('div', `verdict ${gate.passed ? 'passed' : 'failed'}`);
  verdict.append(h('span', 'codicon ' + (gate.passed ? 'codicon-pass' : 'codicon-error')), h('strong', undefined, gate.passed ? 'Passes' : 'Fails'));
  const direction = gate.mode === 'max' ? 'higher is better' : 'lower is better';
  verdict.append(h('span', 'muted', ` on ${gate.metric} (${direction}, min delta ${gate.minDelta})`));
  const values = h('p');
  values.textContent = `v${c.version.version}: ${formatValue(gate.versionValue)} · ${c.againstLabel ?? 'other'}: ${formatValue(gate.againstValue)} · improvement ${signed(gate.delta)}`;
  return section('Champion–challenger gate', verdict, values, h('p', 'muted reason', gate.reason));
}

export function versionCards(c: ModelVersionComparison, actions: RenderActions): HTMLElement {
  const row = h('div', 'cards');
  row.append(card(c.version, `v${c.version.version}`, 'version', actions));
  if (c.against) row.append(card(c.against, c.againstLabel ?? `v${c.against.version}`, 'against', actions));
  return row;
}

function card(v: VersionFacts, title: string, side: 'version' | 'against', actions: RenderActions): HTMLElement {
  const el = h('div', `card card-${side}`);
  const head = h('div', 'card-head');
  head.append(h('span', 'card-title', `${v.name} ${title.startsWith('v') ? title : `— ${title}`}`));
  for (const a of v.aliases) head.append(h('span', 'badge', `@${a}`));
  el.append(head);
  const dl = h('dl');
  const field = (k: string, value: string | Node | null) => {
    if (value === null || value === '') return;
    dl.append(h('dt', undefined, k));
    const dd = h('dd');
    if (typeof value === 'string') dd.textContent = value;
    else dd.append(value);
    dl.append(dd);
  };
  if (v.path) {
    const link = h('a', 'link', v.path);
    link.href = '#';
    link.title = 'Reveal the file in the Explorer';
    link.addEventListener('click', (e) => {
      e.preventDefault();
      actions.revealArtifact(side);
    });
    field('file', link);
  }
  field('framework', v.framework);
  if (v.runUid) {
    const link = h('a', 'link', v.runName ?? v.runUid);
    link.href = '#';
    link.title = `Show run ${v.runUid}`;
    link.addEventListener('click', (e) => {
      e.preventDefault();
      actions.openRun(v.runUid!);
    });
    const wrap = h('span');
    wrap.append(link);
    if (v.runStatus) wrap.append(h('span', 'muted', ` · ${v.runStatus}`));
    field('run', wrap);
  }
  if (v.parent) field('derived from', `${v.parent.name} v${v.parent.version}${v.derivation ? ` (${v.derivation})` : ''}`);
  else if (v.derivation) field('derivation', v.derivation);
  field('origin', v.origin === 'external' ? 'MLflow registry' : v.origin === 'run' ? 'logged by its run' : 'registered');
  field('created', [formatTimestamp(v.created), v.createdBy ? `by ${v.createdBy}` : ''].filter(Boolean).join(' '));
  if (v.sha256) field('sha256', v.sha256.slice(0, 16) + '…');
  field('description', v.description);
  el.append(dl);
  return el;
}

export function metricsTable(rows: readonly MetricComparisonRow[], c: ModelVersionComparison, gate: GateVerdict | null): HTMLElement {
  if (rows.length === 0) return h('p', 'muted', 'Neither source run logged metrics.');
  const table = h('table', 'grid');
  const head = h('tr');
  head.append(h('th', undefined, 'metric'), h('th', 'num', `v${c.version.version}`));
  if (c.against) head.append(h('th', 'num', c.againstLabel ?? `v${c.against.version}`), h('th', 'num', 'difference'));
  table.append(h('thead'), h('tbody'));
  table.tHead!.append(head);
  for (const r of rows) {
    const tr = h('tr');
    const isGate = c.gateMetric === r.key;
    if (isGate) tr.className = 'gate-metric';
    const name = h('td', undefined, r.key);
    if (isGate) name.append(h('span', 'tag', 'gate'));
    tr.append(name, h('td', 'num', formatValue(r.version)));
    if (c.against) {
      tr.append(h('td', 'num', formatValue(r.against)));
      const diff = h('td', 'num', signed(r.difference));
      const d = toNumber(r.difference);
      // Only the gate metric has a known direction: colour says better or worse there alone.
      if (isGate && gate && d !== null && d !== 0 && !Number.isNaN(d)) diff.classList.add((gate.mode === 'max') === d > 0 ? 'better' : 'worse');
      tr.append(diff);
    }
    table.tBodies[0]!.append(tr);
  }
  return table;
}

export function paramsTable(c: ModelVersionComparison, showAll: boolean): HTMLElement {
  const rows = showAll || !c.against ? c.params : c.params.filter((p) => p.differs);
  if (c.params.length === 0) return h('p', 'muted', 'The source runs recorded no parameters.');
  if (rows.length === 0) return h('p', 'muted', `All ${c.params.length} parameters are the same.`);
  const table = h('table', 'grid');
  const head = h('tr');
  head.append(h('th', undefined, 'parameter'), h('th', undefined, `v${c.version.version}`));
  if (c.against) head.append(h('th', undefined, c.againstLabel ?? `v${c.against.version}`));
  table.append(h('thead'), h('tbody'));
  table.tHead!.append(head);
  for (const p of rows) {
    const tr = h('tr');
    if (p.differs && c.against) tr.className = 'differs';
    tr.append(h('td', undefined, p.key), h('td', 'value', p.version ?? '—'));
    if (c.against) tr.append(h('td', 'value', p.against ?? '—'));
    table.tBodies[0]!.append(tr);
  }
  return table;
}

function datasetText(d: TrainingDataset | null): string {
  if (!d) return 'unknown';
  return `${d.path}${d.rows !== null ? ` · ${d.rows.toLocaleString('en-US')} rows` : ''}${d.sha256 ? ` · ${d.sha256.slice(0, 10)}` : ''}`;
}

export function driftSection(drift: TrainingDataDrift, c: ModelVersionComparison): HTMLElement {
  const parts: Node[] = [];
  const datasets = h('dl', 'datasets');
  datasets.append(h('dt', undefined, `v${c.version.version} trained on`), h('dd', undefined, datasetText(drift.version)));
  if (c.against) datasets.append(h('dt', undefined, `${c.againstLabel ?? 'other'} trained on`), h('dd', undefined, datasetText(drift.against)));
  parts.push(datasets);
  switch (drift.status) {
    case 'unavailable': {
      const p = h('p', 'drift-unavailable');
      p.append(h('strong', undefined, 'Drift: not available'), h('span', 'muted', ` — ${drift.reason}`));
      parts.push(p);
      break;
    }
    case 'same':
      parts.push(h('p', undefined, 'Both versions were trained on the same dataset version: no drift.'));
      break;
    case 'compared': {
      const f = drift.findings;
      const summary = h('p');
      const cols = drift.columns;
      summary.textContent = `${cols.compared} columns compared: ${cols.added} added, ${cols.removed} removed, ${cols.renamed} renamed, ${cols.changed} changed · `
        + `${drift.drifted.length} drifted · findings: ${f.error} errors, ${f.warning} warnings, ${f.info} info`;
      parts.push(summary);
      if (drift.drifted.length > 0) {
        const table = h('table', 'grid');
        const head = h('tr');
        head.append(h('th', undefined, 'column'), h('th', undefined, 'measure'), h('th', 'num', 'value'), h('th', 'num', 'threshold'));
        table.append(h('thead'), h('tbody'));
        table.tHead!.append(head);
        const names = { 'jensen-shannon': 'Jensen–Shannon', 'l-infinity': 'L-infinity', psi: 'PSI' } as const;
        for (const d of drift.drifted) {
          const tr = h('tr');
          tr.append(h('td', undefined, d.column), h('td', undefined, names[d.measure]), h('td', 'num', formatMetricValue(d.value)), h('td', 'num', formatMetricValue(d.threshold)));
          table.tBodies[0]!.append(tr);
        }
        parts.push(table);
      } else {
        parts.push(h('p', 'muted', 'No column drifted past its threshold.'));
      }
      if (drift.messages.length > 0) {
        const ul = h('ul', 'findings');
        for (const m of drift.messages) {
          const li = h('li', `finding ${m.severity}`);
          li.append(h('span', `codicon ${m.severity === 'error' ? 'codicon-error' : 'codicon-warning'}`), h('span', undefined, ` ${m.message}`));
          ul.append(li);
        }
        parts.push(ul);
      }
      break;
    }
  }
  return section('Training data drift', ...parts);
}

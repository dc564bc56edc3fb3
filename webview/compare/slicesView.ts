/**
 * The Slices tab: for the compared runs, one metric per slice beside the overall value — each
 * run's value, its gap to the run's overall value (flagged past the gap threshold, as Fairness
 * Indicators does) and the slice's example count — sortable by any column; a bar chart of the
 * metric across slices, a bar per run; and TFMA's thresholds, validation and blessing.
 * Slice names and values are data from files anyone can write: they are only ever set as text.
 */
import type { Chart as ChartType } from 'chart.js';
import { formatMetricValue } from '../../src/shared/format';
import type { RunSlices, SliceRow } from '../../src/shared/slices';
import { clear, codicon, h } from '../common/dom';
import { Chart } from './chartSetup';
import { swatch } from './runLabels';

export interface SlicesSort {
  /** 'slice', 'count', or `<run index>:value` / `<run index>:gap`. */
  column: string;
  descending: boolean;
}

export interface SlicesIntent {
  metric: string | null;
  sort: SlicesSort;
}

const OVERALL = 'Overall';

export class SlicesView {
  readonly element = h('div', { class: 'slices-view' });
  private readonly metricSelect = document.createElement('vscode-single-select');
  private readonly body = h('div');
  private readonly canvas = h('canvas', { attrs: { role: 'img' } });
  private chart: ChartType<'bar'> | undefined;
  private runs: RunSlices[] | undefined;
  private colors: string[] = [];

  constructor(private intent: SlicesIntent, private readonly onIntent: (intent: SlicesIntent) => void) {
    this.metricSelect.id = 'slices-metric';
    this.metricSelect.setAttribute('aria-label', 'Metric');
    this.metricSelect.addEventListener('change', () => this.update({ metric: this.metricSelect.value }));
    this.element.append(
      h('div', { class: 'controls' }, h('div', { class: 'control' }, h('span', { class: 'control-label', text: 'Metric' }), this.metricSelect)),
      this.body,
    );
  }

  setData(runs: RunSlices[], colors: string[]): void {
    this.runs = runs;
    this.colors = colors;
    this.render();
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }

  private update(change: Partial<SlicesIntent>): void {
    this.intent = { ...this.intent, ...change };
    this.onIntent(this.intent);
    this.render();
  }

  private render(): void {
    const runs = this.runs;
    clear(this.body);
    if (!runs) {
      this.body.append(h('p', { class: 'muted empty', text: 'Loading slices…' }));
      return;
    }
    const metrics = [...new Set(runs.flatMap((r) => r.metrics))].sort();
    if (metrics.length === 0) {
      this.destroy();
      this.metricSelect.replaceChildren();
      this.body.append(h('p', { class: 'muted empty', text: 'These runs have no sliced metrics. Log them with run.log(values, slice={"column": "value"}), or import a TFX Evaluator (TFMA) output.' }));
      return;
    }
    const metric = this.intent.metric !== null && metrics.includes(this.intent.metric) ? this.intent.metric : metrics[0]!;
    this.metricSelect.replaceChildren(...metrics.map((m) => {
      const o = document.createElement('vscode-option');
      o.value = m;
      o.textContent = m;
      o.selected = m === metric;
      return o;
    }));
    this.body.append(...runs.map((r, i) => this.verdicts(r, i, metric)).filter((x): x is HTMLElement => x !== null));
    this.body.append(this.table(runs, metric), h('div', { class: 'chart-card slices-chart' }, h('div', { class: 'chart-body' }, this.canvas)));
    this.drawChart(runs, metric);
  }

  /** A line per run: TFMA's validation, blessing and the thresholds of this metric. */
  private verdicts(run: RunSlices, index: number, metric: string): HTMLElement | null {
    const parts: (HTMLElement | string)[] = [];
    if (run.validation) {
      parts.push(badge(run.validation.passed ? 'pass' : 'error', run.validation.passed ? 'Validation passed' : 'Validation failed', run.validation.passed ? 'ok' : 'bad'));
    }
    if (run.blessed !== null) parts.push(badge(run.blessed ? 'verified' : 'circle-slash', run.blessed ? 'Blessed' : 'Not blessed', run.blessed ? 'ok' : 'bad'));
    const checks = run.thresholds.filter((t) => t.metric === metric);
    const failed = checks.filter((t) => t.passed === false);
    if (checks.length) {
      const bounds = [checks[0]!.lower === null ? '' : `≥ ${checks[0]!.lower}`, checks[0]!.upper === null ? '' : `≤ ${checks[0]!.upper}`].filter(Boolean).join(' and ');
      parts.push(badge(failed.length ? 'warning' : 'check', `Threshold ${bounds}: ${failed.length ? `${failed.length} of ${checks.length} failed` : `all ${checks.length} passed`}`, failed.length ? 'bad' : 'ok'));
    }
    if (parts.length === 0) return null;
    const list = h('div', { class: 'slice-verdicts' }, swatch(this.colors[index] ?? ''), h('span', { class: 'run-name', text: run.name }), ...parts);
    const failures = [...(run.validation?.failures ?? []).filter((f) => f.metric === metric).map((f) => `${f.slice || OVERALL}: ${f.message}`),
      ...failed.map((t) => `${t.slice || OVERALL}: ${t.metric} = ${t.value === null ? '—' : formatMetricValue(t.value)}`)];
    return failures.length ? h('div', {}, list, h('ul', { class: 'slice-failures' }, ...failures.map((text) => h('li', { text })))) : list;
  }

  private table(runs: RunSlices[], metric: string): HTMLElement {
    const labels = [...new Set(runs.flatMap((r) => r.slices.filter((s) => metric in s.values).map((s) => s.label)))];
    const rowOf = (run: RunSlices, label: string): SliceRow | undefined => run.slices.find((s) => s.label === label);
    const count = (label: string) => runs.map((r) => rowOf(r, label)?.count).find((c) => c !== null && c !== undefined) ?? null;
    const sortValue = (label: string): string | number | null => {
      const { column } = this.intent.sort;
      if (column === 'slice') return label;
      if (column === 'count') return count(label);
      const [i, what] = column.split(':');
      const row = runs[Number(i)] ? rowOf(runs[Number(i)]!, label) : undefined;
      return (what === 'gap' ? row?.gaps[metric] : row?.values[metric]) ?? null;
    };
    const sign = this.intent.sort.descending ? -1 : 1;
    labels.sort((a, b) => {
      const x = sortValue(a);
      const y = sortValue(b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true }));
    });

    const header = (column: string, text: string, extra?: Node) => {
      const active = this.intent.sort.column === column;
      const descending = active && this.intent.sort.descending;
      return h('th', { attrs: { scope: 'col', 'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none' } },
        h('button', { class: 'sort', attrs: { 'data-sort': column, 'aria-label': `Sort by ${text}` }, on: { click: () => this.update({ sort: { column, descending: active ? !descending : false } }) } },
          extra ?? null, text, active ? codicon(descending ? 'arrow-down' : 'arrow-up') : null));
    };
    const head = h('tr', {}, header('slice', 'Slice'), header('count', 'Examples'),
      ...runs.flatMap((r, i) => [header(`${i}:value`, runs.length > 1 ? `${r.name}` : metric, swatch(this.colors[i] ?? '')), header(`${i}:gap`, 'Gap')]));
    const overall = h('tr', { class: 'overall' }, h('th', { attrs: { scope: 'row' }, text: OVERALL }),
      h('td', { class: 'num', text: runs[0]?.overallCount === null || runs[0] === undefined ? '' : formatMetricValue(runs[0].overallCount) }),
      ...runs.flatMap((r) => [h('td', { class: 'num', text: metric in r.overall ? formatMetricValue(r.overall[metric]!) : '—' }), h('td')]));
    const body = h('tbody', {}, overall, ...labels.map((label) => h('tr', { attrs: { 'data-slice': label } },
      h('th', { attrs: { scope: 'row' }, text: label }),
      h('td', { class: 'num', text: count(label) === null ? '' : formatMetricValue(count(label)!) }),
      ...runs.flatMap((r) => {
        const row = rowOf(r, label);
        const gap = row?.gaps[metric];
        const flagged = row?.flagged.includes(metric) ?? false;
        return [
          h('td', { class: 'num', text: row && metric in row.values ? formatMetricValue(row.values[metric]!) : '—' }),
          h('td', { class: `num${flagged ? ' flagged' : ''}`, title: flagged ? `Differs from the overall value by more than ${r.gapThreshold}` : undefined },
            flagged ? codicon('warning', 'flagged') : null, gap === undefined ? '' : `${gap > 0 ? '+' : ''}${formatMetricValue(gap)}`),
        ];
      }))));
    const flaggedCount = runs.reduce((n, r) => n + r.slices.filter((s) => s.flagged.includes(metric)).length, 0);
    return h('div', {},
      h('p', { class: 'muted hint', text: `${labels.length} slice${labels.length === 1 ? '' : 's'} · ${flaggedCount} flagged (gap beyond ±${runs[0]?.gapThreshold ?? ''}, exptrack.slices.gapThreshold)` }),
      h('div', { class: 'scroll-x' }, h('table', { class: 'grid slices-table', attrs: { 'aria-label': `${metric} by slice` } }, h('thead', {}, head), body)));
  }

  private drawChart(runs: RunSlices[], metric: string): void {
    const labels = [OVERALL, ...new Set(runs.flatMap((r) => r.slices.filter((s) => metric in s.values).map((s) => s.label)))];
    const datasets = runs.map((r, i) => ({
      label: r.name,
      backgroundColor: this.colors[i] ?? '',
      data: labels.map((l) => (l === OVERALL ? r.overall[metric] : r.slices.find((s) => s.label === l)?.values[metric]) ?? null),
    }));
    this.canvas.setAttribute('aria-label', `${metric} by slice, a bar per run`);
    if (this.chart) {
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      this.chart.update('none');
      return;
    }
    this.chart = new Chart(this.canvas as HTMLCanvasElement, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { x: { type: 'category' }, y: { type: 'linear', beginAtZero: true } },
      },
    });
  }
}

function badge(icon: string, text: string, kind: 'ok' | 'bad'): HTMLElement {
  return h('span', { class: `slice-badge ${kind}` }, codicon(icon), text);
}

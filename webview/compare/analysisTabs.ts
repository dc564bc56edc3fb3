/**
 * The Compare panel's other tabs — parallel coordinates, a metric against a parameter, and the
 * comparison table — with their controls. Loaded after the first charts are drawn (extras.ts):
 * none of it is needed for the first paint.
 */
import type { CompareSnapshot, MetricColumn } from '../../src/shared/compare/compareTypes';
import { h } from '../common/dom';
import { chartTheme } from '../common/theme';
import { applyChartDefaults } from './chartSetup';
import type { PanelState, Stat } from './panelState';
import { ParallelCoordinates, type ParallelAxis } from './parallelCoordinates';
import { ScatterPlot } from './scatterPlot';
import { TableView } from './tableView';

const STAT_LABELS: Record<Stat, string> = { last: 'last', min: 'min', max: 'max' };

type Select = HTMLElementTagNameMap['vscode-single-select'];

export interface AnalysisContext {
  state: PanelState;
  save(): void;
  snapshot(): CompareSnapshot | undefined;
  /** Colours of the runs, in snapshot order. */
  colors(): string[];
  hidden(): ReadonlySet<string>;
  onHover(uid: string | null): void;
  /** The metrics the table shows: those of the charts shown. */
  tableKeys(): string[];
}

export class AnalysisTabs {
  readonly parallelBody: HTMLElement;
  readonly scatterBody: HTMLElement;
  readonly tableBody: HTMLElement;
  private readonly parallel: ParallelCoordinates;
  private readonly scatter: ScatterPlot;
  private readonly table: TableView;
  private readonly ui = {
    parallelKey: document.createElement('vscode-single-select'),
    parallelStat: document.createElement('vscode-single-select'),
    scatterParam: document.createElement('vscode-single-select'),
    scatterKey: document.createElement('vscode-single-select'),
    scatterStat: document.createElement('vscode-single-select'),
    allParams: document.createElement('vscode-checkbox'),
  };
  private keysShown = '';

  constructor(private readonly ctx: AnalysisContext) {
    const { state, save } = ctx;
    applyChartDefaults(chartTheme());
    this.parallel = new ParallelCoordinates(ctx.onHover);
    this.scatter = new ScatterPlot(ctx.onHover);
    this.table = new TableView((sort) => {
      state.sort = sort;
      save();
      this.renderTable();
    }, ctx.onHover);
    const ui = this.ui;

    ui.parallelKey.id = 'parallel-metric';
    ui.parallelKey.setAttribute('aria-label', 'Metric of the last axis');
    ui.parallelKey.addEventListener('change', () => {
      state.parallel.key = ui.parallelKey.value;
      save();
      this.renderParallel();
    });
    fillStats(ui.parallelStat, state.parallel.stat, 'parallel-stat');
    ui.parallelStat.addEventListener('change', () => {
      state.parallel.stat = ui.parallelStat.value as Stat;
      save();
      this.renderParallel();
    });
    this.parallelBody = h('div', { class: 'tab-body' },
      h('div', { class: 'controls' }, labelled('Metric', ui.parallelKey), labelled('Value', ui.parallelStat)),
      this.parallel.element);

    ui.scatterParam.id = 'scatter-param';
    ui.scatterParam.setAttribute('aria-label', 'Parameter on the x axis');
    ui.scatterParam.addEventListener('change', () => {
      state.scatter.param = ui.scatterParam.value;
      save();
      this.renderScatter();
    });
    ui.scatterKey.id = 'scatter-metric';
    ui.scatterKey.setAttribute('aria-label', 'Metric on the y axis');
    ui.scatterKey.addEventListener('change', () => {
      state.scatter.key = ui.scatterKey.value;
      save();
      this.renderScatter();
    });
    fillStats(ui.scatterStat, state.scatter.stat, 'scatter-stat');
    ui.scatterStat.addEventListener('change', () => {
      state.scatter.stat = ui.scatterStat.value as Stat;
      save();
      this.renderScatter();
    });
    this.scatterBody = h('div', { class: 'tab-body' },
      h('div', { class: 'controls' }, labelled('Parameter', ui.scatterParam), labelled('Metric', ui.scatterKey), labelled('Value', ui.scatterStat)),
      this.scatter.element);

    ui.allParams.id = 'all-params';
    ui.allParams.label = 'Show all parameters';
    ui.allParams.checked = state.allParams;
    ui.allParams.addEventListener('change', () => {
      state.allParams = ui.allParams.checked;
      save();
      this.renderTable();
    });
    this.tableBody = h('div', { class: 'tab-body' }, h('div', { class: 'controls' }, ui.allParams), this.table.element);
  }

  /** Draws the tab that shows, after the data or the view changed. */
  render(tab: PanelState['tab']): void {
    this.fillKeyControls();
    if (tab === 'parallel') this.renderParallel();
    if (tab === 'scatter') this.renderScatter();
    if (tab === 'table') this.renderTable();
  }

  setHighlight(uid: string | null): void {
    this.parallel.setHighlight(uid);
    this.scatter.setHighlight(uid);
    this.table.setHighlight(uid);
  }

  applyTheme(): void {
    applyChartDefaults(chartTheme());
    this.scatter.applyTheme();
  }

  /** Options of the metric and parameter pickers, after the set of metrics or params changed. */
  private fillKeyControls(): void {
    const s = this.ctx.snapshot();
    if (!s) return;
    const keys = s.metrics.map((m) => m.key);
    const params = s.params.filter((p) => p.differs).map((p) => p.key);
    const allParams = s.params.map((p) => p.key);
    const id = JSON.stringify([keys, allParams]);
    if (id === this.keysShown) return;
    this.keysShown = id;
    const { state } = this.ctx;
    const first = this.ctx.tableKeys()[0] ?? keys[0] ?? null;
    if (!state.parallel.key || !keys.includes(state.parallel.key)) state.parallel.key = first;
    this.ui.parallelKey.replaceChildren(...keys.map((k) => option(k, k, k === state.parallel.key)));
    if (!state.scatter.key || !keys.includes(state.scatter.key)) state.scatter.key = first;
    this.ui.scatterKey.replaceChildren(...keys.map((k) => option(k, k, k === state.scatter.key)));
    if (!state.scatter.param || !allParams.includes(state.scatter.param)) state.scatter.param = params[0] ?? allParams[0] ?? null;
    this.ui.scatterParam.replaceChildren(...[...params, ...allParams.filter((p) => !params.includes(p))].map((p) => option(p, p, p === state.scatter.param)));
  }

  private metricValues(key: string | null, stat: Stat): (number | null)[] {
    const s = this.ctx.snapshot()!;
    const column: MetricColumn | undefined = s.metrics.find((m) => m.key === key);
    return s.runs.map((_, i) => {
      if (!column || column.count[i] === 0) return null;
      const v = column[stat][i]!;
      return Number.isFinite(v) ? v : null;
    });
  }

  private renderParallel(): void {
    const s = this.ctx.snapshot();
    if (!s) return;
    const colors = this.ctx.colors();
    const hidden = this.ctx.hidden();
    const visible = s.runs.map((r, i) => ({ r, i })).filter(({ r }) => !hidden.has(r.uid));
    const axes: ParallelAxis[] = s.params.filter((p) => p.differs).map((p) => ({
      label: p.key,
      values: visible.map(({ i }) => p.numbers[i] ?? p.values[i] ?? null),
    }));
    const { key, stat } = this.ctx.state.parallel;
    if (key) {
      const values = this.metricValues(key, stat);
      axes.push({ label: `${key} (${STAT_LABELS[stat]})`, values: visible.map(({ i }) => values[i] ?? null) });
    }
    this.parallel.setData(visible.map(({ r, i }) => ({ uid: r.uid, name: r.name, color: colors[i]! })), axes);
  }

  private renderScatter(): void {
    const s = this.ctx.snapshot();
    if (!s) return;
    const { param, key, stat } = this.ctx.state.scatter;
    const row = s.params.find((p) => p.key === param);
    const values = this.metricValues(key, stat);
    const colors = this.ctx.colors();
    const hidden = this.ctx.hidden();
    const points = [];
    for (let i = 0; i < s.runs.length; i++) {
      const run = s.runs[i]!;
      if (hidden.has(run.uid)) continue;
      const x = row ? (row.numbers[i] ?? row.values[i]) : null;
      const y = values[i];
      if (x === null || x === undefined || y === null || y === undefined) continue;
      points.push({ uid: run.uid, name: run.name, color: colors[i]!, x, y });
    }
    this.scatter.setData(points, param ?? '', key ? `${key} (${STAT_LABELS[stat]})` : '');
  }

  private renderTable(): void {
    const s = this.ctx.snapshot();
    if (!s) return;
    this.table.render(s, this.ctx.colors(), { allParams: this.ctx.state.allParams, metricKeys: this.ctx.tableKeys(), sort: this.ctx.state.sort });
  }
}

function option(value: string, label: string, selected: boolean): HTMLElement {
  const o = document.createElement('vscode-option');
  o.value = value;
  o.textContent = label;
  o.selected = selected;
  return o;
}

function fillStats(select: Select, current: Stat, id: string): void {
  select.id = id;
  select.setAttribute('aria-label', 'Which value of the metric');
  for (const stat of ['last', 'min', 'max'] as Stat[]) select.append(option(stat, stat === 'last' ? 'Last' : stat === 'min' ? 'Minimum' : 'Maximum', stat === current));
}

function labelled(label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'control' }, h('span', { class: 'control-label', text: label }), control);
}

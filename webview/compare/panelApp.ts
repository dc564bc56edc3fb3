/**
 * The Compare panel: overlaid metric curves (one chart per chosen metric), parallel coordinates,
 * metric against parameter, and the comparison table — with one legend of runs shared by all.
 * The host sends a snapshot (runs, params, summaries) and the series of the chosen metrics;
 * everything else (smoothing, axes, visibility, highlight) happens here without a round trip.
 */
import type { ChartSeries, CompareSnapshot, MetricColumn, XAxisMode } from '../../src/shared/compare/compareTypes';
import { defaultChartKeys } from '../../src/shared/compare/defaultKeys';
import type { CompareHostMessage } from '../../src/shared/protocol/compare';
import { X_AXIS_LABELS } from './axisFormat';
import { applyChartDefaults } from './chartSetup';
import { clear, h } from '../common/dom';
import type { CompareConnection } from './compareConnection';
import { Legend } from './legend';
import { MetricChart, type ChartRun, type ChartView } from './metricChart';
import { PANEL_TABS, restorePanelState, type PanelState, type Stat } from './panelState';
import { ParallelCoordinates, type ParallelAxis } from './parallelCoordinates';
import { RunColors } from './runColors';
import { ScatterPlot } from './scatterPlot';
import { SlicesView } from './slicesView';
import { systemChartKeys } from '../../src/shared/systemMetricKeys';
import { TableView } from './tableView';
import { chartTheme, onThemeChange } from '../common/theme';

const STAT_LABELS: Record<Stat, string> = { last: 'last', min: 'min', max: 'max' };

type Select = HTMLElementTagNameMap['vscode-single-select'];

export class PanelApp {
  private readonly state: PanelState;
  private snapshot: CompareSnapshot | undefined;
  private colorSlots: number[] = [];
  private readonly palette = new RunColors();
  /** key → uid → series */
  private readonly series = new Map<string, Map<string, ChartSeries>>();
  /** What the series held here are: their keys and whether they carry wall times; null before any. */
  private seriesKind: { keys: string[]; withTimes: boolean } | null = null;
  private requested: string | null = null;
  private readonly charts = new Map<string, MetricChart>();
  private highlighted: string | null = null;
  private viewFrame = 0;
  private firstPaint = false;

  private readonly legend: Legend;
  private readonly parallel: ParallelCoordinates;
  private readonly scatter: ScatterPlot;
  private readonly table: TableView;
  private readonly slices: SlicesView;
  private slicesRequested = false;
  private readonly ui = {
    summary: h('span', { class: 'muted summary' }),
    notices: h('div'),
    chartGrid: h('div', { class: 'chart-grid' }),
    systemGrid: h('div', { class: 'chart-grid', attrs: { id: 'system-charts' } }),
    keys: document.createElement('vscode-multi-select'),
    xMode: document.createElement('vscode-single-select'),
    smoothing: h('input', { attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', id: 'smoothing' } }),
    smoothingValue: h('output', { attrs: { for: 'smoothing', id: 'smoothing-value' } }),
    logY: document.createElement('vscode-checkbox'),
    parallelKey: document.createElement('vscode-single-select'),
    parallelStat: document.createElement('vscode-single-select'),
    scatterParam: document.createElement('vscode-single-select'),
    scatterKey: document.createElement('vscode-single-select'),
    scatterStat: document.createElement('vscode-single-select'),
    allParams: document.createElement('vscode-checkbox'),
    tabs: document.createElement('vscode-tabs'),
  };

  constructor(private readonly root: HTMLElement, private readonly host: CompareConnection<PanelState>) {
    this.state = restorePanelState(host.state);
    const hover = (uid: string | null) => this.setHighlight(uid);
    this.legend = new Legend(this.state.hidden, this.state.filter, {
      onToggle: (hidden) => {
        this.state.hidden = [...hidden];
        this.save();
        this.renderAll();
      },
      onHover: hover,
      onFilter: (text) => {
        this.state.filter = text;
        this.save();
      },
    });
    this.parallel = new ParallelCoordinates(hover);
    this.scatter = new ScatterPlot(hover);
    this.table = new TableView((sort) => {
      this.state.sort = sort;
      this.save();
      this.renderTable();
    }, hover);
    this.slices = new SlicesView(this.state.slices, (intent) => {
      this.state.slices = intent;
      this.save();
    });
  }

  start(): void {
    // Listening and saying so come first: the host sends what it has prepared while the page builds.
    this.host.listen((m) => this.onMessage(m));
    this.host.post({ type: 'ready' });
    mark('readyMs');
    applyChartDefaults(chartTheme());
    this.layout();
    onThemeChange(() => {
      applyChartDefaults(chartTheme());
      this.palette.refresh();
      for (const c of this.charts.values()) c.applyTheme();
      this.scatter.applyTheme();
      if (this.snapshot) this.legend.setRuns(this.snapshot.runs, this.runColors());
      this.renderAll();
    });
  }

  private save(): void {
    this.host.setState(this.state);
  }

  // ---- messages -------------------------------------------------------------------------------

  private onMessage(m: CompareHostMessage): void {
    switch (m.type) {
      case 'snapshot': {
        if (m.snapshot.runs.length) mark('firstSnapshotMs');
        const keysBefore = this.snapshot?.metrics.map((x) => x.key).join('\u0000');
        this.snapshot = m.snapshot;
        this.colorSlots = m.colors;
        this.state.uids = m.snapshot.runs.map((r) => r.uid);
        this.save();
        if (keysBefore !== m.snapshot.metrics.map((x) => x.key).join('\u0000')) this.fillKeyControls();
        this.legend.setRuns(m.snapshot.runs, this.runColors());
        this.requestSeriesIfNeeded();
        this.renderAll();
        return;
      }
      case 'series': {
        const started = performance.now();
        if (m.replace) this.series.clear();
        for (const s of m.series) {
          let byRun = this.series.get(s.key);
          if (!byRun) this.series.set(s.key, (byRun = new Map()));
          byRun.set(s.uid, s);
        }
        this.seriesKind = { keys: m.keys, withTimes: m.withTimes };
        this.requestSeriesIfNeeded();
        this.renderCharts();
        if (!this.firstPaint && m.series.length > 0) {
          this.firstPaint = true;
          mark('firstSeriesMs', started);
          mark('firstChartMs');
          document.body.dataset.firstChartRenderMs = String(Math.round(performance.now() - started));
        }
        return;
      }
      case 'notice':
        clear(this.ui.notices);
        if (m.text) this.ui.notices.append(h('div', { class: 'notice', text: m.text }));
        return;
      case 'slices': {
        const colors = this.runColors();
        const index = new Map((this.snapshot?.runs ?? []).map((r, i) => [r.uid, i]));
        this.slices.setData(m.runs, m.runs.map((r) => colors[index.get(r.uid) ?? -1] ?? ''));
        return;
      }
      case 'showTab':
        this.ui.tabs.selectedIndex = PANEL_TABS.indexOf(m.tab);
        this.selectTab(m.tab);
        return;
    }
  }

  private selectTab(tab: PanelState['tab']): void {
    this.state.tab = tab;
    this.save();
    if (tab === 'slices' && !this.slicesRequested) {
      this.slicesRequested = true;
      this.host.post({ type: 'requestSlices' });
    }
    this.requestSeriesIfNeeded();
    this.renderAll();
  }

  /** The metrics to chart: the user's choice among those present, else the defaults. */
  private chosenKeys(): string[] {
    const present = this.snapshot?.metrics.map((m) => m.key) ?? [];
    if (this.state.tab === 'system') return systemChartKeys(present);
    if (this.state.keys) return this.state.keys.filter((k) => present.includes(k));
    return defaultChartKeys(present);
  }

  /**
   * Asks for the series of the chosen metrics (with wall times when the x axis needs them) once
   * the host has said what it sends, unless that is already what it sent or what was asked.
   */
  private requestSeriesIfNeeded(): void {
    const kind = this.seriesKind;
    if (!this.snapshot || kind === null) return;
    const keys = this.chosenKeys();
    const withTimes = this.state.xMode !== 'step';
    const sameKeys = JSON.stringify([...keys].sort()) === JSON.stringify([...kind.keys].sort());
    if (sameKeys && (kind.withTimes || !withTimes)) return;
    const wanted = JSON.stringify({ keys: [...keys].sort(), withTimes });
    if (wanted === this.requested) return;
    this.requested = wanted;
    this.host.post({ type: 'requestSeries', keys, withTimes });
  }

  private runColors(): string[] {
    return (this.snapshot?.runs ?? []).map((_, i) => this.palette.css(this.colorSlots[i] ?? i));
  }

  private setHighlight(uid: string | null): void {
    if (uid === this.highlighted) return;
    this.highlighted = uid;
    for (const c of this.charts.values()) c.setHighlight(uid);
    this.legend.setHighlight(uid);
    this.parallel.setHighlight(uid);
    this.scatter.setHighlight(uid);
    this.table.setHighlight(uid);
  }

  // ---- layout ---------------------------------------------------------------------------------

  private layout(): void {
    document.body.classList.add('panel');
    const ui = this.ui;
    const header = h('header', { class: 'panel-header' },
      h('div', { class: 'toolbar' },
        button('Choose Runs…', 'checklist', 'pick-runs', () => this.host.post({ type: 'pickRuns' })),
        button('Diff Code…', 'diff', 'diff-code', () => {
          const runs = this.snapshot?.runs ?? [];
          this.host.post({ type: 'diffCode', uids: runs.length === 2 ? [runs[0]!.uid, runs[1]!.uid] : undefined });
        }),
        button('Export CSV', 'desktop-download', 'export-csv', () => this.exportTable('csv')),
        button('Copy Markdown', 'markdown', 'copy-markdown', () => this.exportTable('markdown')),
        ui.summary),
      ui.notices);

    // Curves
    ui.keys.id = 'metric-keys';
    ui.keys.setAttribute('aria-label', 'Metrics to chart');
    ui.keys.addEventListener('change', () => {
      this.state.keys = [...ui.keys.value];
      this.save();
      this.requestSeriesIfNeeded();
      this.renderCharts();
    });
    ui.xMode.id = 'x-axis';
    ui.xMode.setAttribute('aria-label', 'X axis');
    for (const mode of Object.keys(X_AXIS_LABELS) as XAxisMode[]) ui.xMode.append(option(mode, X_AXIS_LABELS[mode], mode === this.state.xMode));
    ui.xMode.addEventListener('change', () => {
      this.state.xMode = ui.xMode.value as XAxisMode;
      this.save();
      this.requestSeriesIfNeeded();
      this.updateView();
    });
    const smoothing = ui.smoothing as HTMLInputElement;
    smoothing.value = String(this.state.smoothing);
    smoothing.setAttribute('aria-label', 'Smoothing');
    ui.smoothingValue.textContent = this.state.smoothing.toFixed(2);
    smoothing.addEventListener('input', () => {
      this.state.smoothing = Math.min(0.99, Math.max(0, Number(smoothing.value) || 0));
      ui.smoothingValue.textContent = this.state.smoothing.toFixed(2);
      this.save();
      this.updateView();
    });
    ui.logY.id = 'log-y';
    ui.logY.label = 'Log scale';
    ui.logY.checked = this.state.logY;
    ui.logY.addEventListener('change', () => {
      this.state.logY = ui.logY.checked;
      this.save();
      this.updateView();
    });
    const curves = h('div', { class: 'tab-body' },
      h('div', { class: 'controls' },
        labelled('Metrics', ui.keys),
        labelled('X axis', ui.xMode),
        h('div', { class: 'control smoothing-control' }, h('label', { text: 'Smoothing', attrs: { for: 'smoothing' } }), ui.smoothing, ui.smoothingValue),
        ui.logY,
        button('Reset Zoom', 'screen-normal', 'reset-zoom', () => {
          for (const c of this.charts.values()) c.resetZoom();
        }, true)),
      h('p', { class: 'muted hint', text: 'Drag to zoom · Shift+drag to pan · Ctrl+wheel to zoom · double-click to reset' }),
      ui.chartGrid);

    // Parallel coordinates
    ui.parallelKey.id = 'parallel-metric';
    ui.parallelKey.setAttribute('aria-label', 'Metric of the last axis');
    ui.parallelKey.addEventListener('change', () => {
      this.state.parallel.key = ui.parallelKey.value;
      this.save();
      this.renderParallel();
    });
    fillStats(ui.parallelStat, this.state.parallel.stat, 'parallel-stat');
    ui.parallelStat.addEventListener('change', () => {
      this.state.parallel.stat = ui.parallelStat.value as Stat;
      this.save();
      this.renderParallel();
    });
    const parallel = h('div', { class: 'tab-body' },
      h('div', { class: 'controls' }, labelled('Metric', ui.parallelKey), labelled('Value', ui.parallelStat)),
      this.parallel.element);

    // Scatter
    ui.scatterParam.id = 'scatter-param';
    ui.scatterParam.setAttribute('aria-label', 'Parameter on the x axis');
    ui.scatterParam.addEventListener('change', () => {
      this.state.scatter.param = ui.scatterParam.value;
      this.save();
      this.renderScatter();
    });
    ui.scatterKey.id = 'scatter-metric';
    ui.scatterKey.setAttribute('aria-label', 'Metric on the y axis');
    ui.scatterKey.addEventListener('change', () => {
      this.state.scatter.key = ui.scatterKey.value;
      this.save();
      this.renderScatter();
    });
    fillStats(ui.scatterStat, this.state.scatter.stat, 'scatter-stat');
    ui.scatterStat.addEventListener('change', () => {
      this.state.scatter.stat = ui.scatterStat.value as Stat;
      this.save();
      this.renderScatter();
    });
    const scatter = h('div', { class: 'tab-body' },
      h('div', { class: 'controls' }, labelled('Parameter', ui.scatterParam), labelled('Metric', ui.scatterKey), labelled('Value', ui.scatterStat)),
      this.scatter.element);

    // Table
    ui.allParams.id = 'all-params';
    ui.allParams.label = 'Show all parameters';
    ui.allParams.checked = this.state.allParams;
    ui.allParams.addEventListener('change', () => {
      this.state.allParams = ui.allParams.checked;
      this.save();
      this.renderTable();
    });
    const tableTab = h('div', { class: 'tab-body' }, h('div', { class: 'controls' }, ui.allParams), this.table.element);

    const system = h('div', { class: 'tab-body' },
      h('p', { class: 'muted hint', text: 'CPU % and memory of each run\'s processes, the machine\'s memory, disk and network, and GPUs, as sampled while the run ran (x axis and smoothing as on Curves).' }),
      ui.systemGrid);
    const slices = h('div', { class: 'tab-body' }, this.slices.element);
    const titles: Record<(typeof PANEL_TABS)[number], string> = {
      curves: 'Curves', system: 'System', slices: 'Slices', parallel: 'Parallel Coordinates', scatter: 'Metric vs Parameter', table: 'Table',
    };
    const bodies = { curves, system, slices, parallel, scatter, table: tableTab };
    for (const tab of PANEL_TABS) {
      const header = document.createElement('vscode-tab-header');
      header.slot = 'header';
      header.dataset.tab = tab; // vscode-tabs gives headers ids of its own
      header.textContent = titles[tab];
      const panel = document.createElement('vscode-tab-panel');
      panel.append(bodies[tab]);
      ui.tabs.append(header, panel);
    }
    ui.tabs.selectedIndex = PANEL_TABS.indexOf(this.state.tab);
    ui.tabs.addEventListener('vsc-tabs-select', (e) => this.selectTab(PANEL_TABS[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex] ?? 'curves'));
    if (this.state.tab === 'slices') this.selectTab('slices');

    this.root.append(header, h('div', { class: 'panel-main' }, h('div', { class: 'panel-content' }, ui.tabs), this.legend.element));
  }

  /** Options of the metric and parameter pickers, after the set of metrics or params changed. */
  private fillKeyControls(): void {
    const s = this.snapshot!;
    const keys = s.metrics.map((m) => m.key);
    const chosen = this.chosenKeys();
    this.ui.keys.replaceChildren(...keys.map((k) => option(k, k, chosen.includes(k))));
    if (!this.state.parallel.key || !keys.includes(this.state.parallel.key)) this.state.parallel.key = chosen[0] ?? keys[0] ?? null;
    this.ui.parallelKey.replaceChildren(...keys.map((k) => option(k, k, k === this.state.parallel.key)));
    if (!this.state.scatter.key || !keys.includes(this.state.scatter.key)) this.state.scatter.key = chosen[0] ?? keys[0] ?? null;
    this.ui.scatterKey.replaceChildren(...keys.map((k) => option(k, k, k === this.state.scatter.key)));
    const params = s.params.filter((p) => p.differs).map((p) => p.key);
    const allParams = s.params.map((p) => p.key);
    if (!this.state.scatter.param || !allParams.includes(this.state.scatter.param)) this.state.scatter.param = params[0] ?? allParams[0] ?? null;
    this.ui.scatterParam.replaceChildren(...[...params, ...allParams.filter((p) => !params.includes(p))].map((p) => option(p, p, p === this.state.scatter.param)));
  }

  // ---- rendering ------------------------------------------------------------------------------

  private renderAll(): void {
    const s = this.snapshot;
    const runs = s?.runs.length ?? 0;
    this.ui.summary.textContent = s ? `${runs} run${runs === 1 ? '' : 's'} · ${s.metrics.length} metric${s.metrics.length === 1 ? '' : 's'}${s.missing.length ? ` · ${s.missing.length} no longer indexed` : ''}` : 'Loading…';
    this.renderCharts();
    if (this.state.tab === 'parallel') this.renderParallel();
    if (this.state.tab === 'scatter') this.renderScatter();
    if (this.state.tab === 'table') this.renderTable();
  }

  private view(): ChartView {
    return { xMode: this.state.xMode, smoothing: this.state.smoothing, logY: this.state.logY, hidden: this.legend.hiddenRuns };
  }

  /** Axis, smoothing or scale changed: every chart redraws its data (once per frame while dragging). */
  private updateView(): void {
    if (this.viewFrame) return;
    this.viewFrame = requestAnimationFrame(() => {
      this.viewFrame = 0;
      const view = this.view();
      for (const c of this.charts.values()) c.setView(view);
    });
  }

  private renderCharts(): void {
    const s = this.snapshot;
    const grid = this.state.tab === 'system' ? this.ui.systemGrid : this.ui.chartGrid;
    if (!s || s.runs.length === 0) {
      for (const c of this.charts.values()) c.destroy();
      this.charts.clear();
      grid.replaceChildren(h('p', { class: 'muted empty', text: s ? 'No runs to compare. Choose runs, or tick them in the Runs view and run "Compare Selected Runs".' : 'Loading…' }));
      return;
    }
    const keys = this.chosenKeys();
    for (const [key, chart] of this.charts) {
      if (!keys.includes(key)) {
        chart.destroy();
        this.charts.delete(key);
      }
    }
    const colors = this.palette;
    const view = this.view();
    const elements: HTMLElement[] = [];
    if (keys.length === 0) {
      const text = this.state.tab === 'system' ? 'No system metrics: runs that ExpTrack starts or watches record them (exptrack.systemMetrics.intervalSeconds), and so does exptrack.init(system_metrics=True).'
        : s.metrics.length ? 'Choose metrics to chart.' : 'These runs recorded no metrics.';
      elements.push(h('p', { class: 'muted empty', text }));
    }
    for (const key of keys) {
      let chart = this.charts.get(key);
      if (!chart) {
        chart = new MetricChart(key, view, (uid) => this.setHighlight(uid));
        this.charts.set(key, chart);
      }
      elements.push(chart.element);
      const byRun = this.series.get(key);
      const runs: ChartRun[] = [];
      s.runs.forEach((run, i) => {
        const series = byRun?.get(run.uid);
        if (series) runs.push({ uid: run.uid, name: run.name, color: colors.rgb(this.colorSlots[i] ?? i), series, started: run.started });
      });
      chart.set(view, runs);
      chart.setHighlight(this.highlighted);
    }
    // Moving a canvas makes chart.js resize it: the grid is only rebuilt when the charts changed.
    const current = [...grid.children];
    if (current.length !== elements.length || current.some((el, i) => el !== elements[i])) grid.replaceChildren(...elements);
  }

  private metricValues(key: string | null, stat: Stat): (number | null)[] {
    const s = this.snapshot!;
    const column: MetricColumn | undefined = s.metrics.find((m) => m.key === key);
    return s.runs.map((_, i) => {
      if (!column || column.count[i] === 0) return null;
      const v = column[stat][i]!;
      return Number.isFinite(v) ? v : null;
    });
  }

  private renderParallel(): void {
    const s = this.snapshot;
    if (!s) return;
    const colors = this.runColors();
    const visible = s.runs.map((r, i) => ({ r, i })).filter(({ r }) => !this.legend.hiddenRuns.has(r.uid));
    const axes: ParallelAxis[] = s.params.filter((p) => p.differs).map((p) => ({
      label: p.key,
      values: visible.map(({ i }) => p.numbers[i] ?? p.values[i] ?? null),
    }));
    const { key, stat } = this.state.parallel;
    if (key) {
      const values = this.metricValues(key, stat);
      axes.push({ label: `${key} (${STAT_LABELS[stat]})`, values: visible.map(({ i }) => values[i] ?? null) });
    }
    this.parallel.setData(visible.map(({ r, i }) => ({ uid: r.uid, name: r.name, color: colors[i]! })), axes);
  }

  private renderScatter(): void {
    const s = this.snapshot;
    if (!s) return;
    const { param, key, stat } = this.state.scatter;
    const row = s.params.find((p) => p.key === param);
    const values = this.metricValues(key, stat);
    const colors = this.runColors();
    const points = [];
    for (let i = 0; i < s.runs.length; i++) {
      const run = s.runs[i]!;
      if (this.legend.hiddenRuns.has(run.uid)) continue;
      const x = row ? (row.numbers[i] ?? row.values[i]) : null;
      const y = values[i];
      if (x === null || x === undefined || y === null || y === undefined) continue;
      points.push({ uid: run.uid, name: run.name, color: colors[i]!, x, y });
    }
    this.scatter.setData(points, param ?? '', key ? `${key} (${STAT_LABELS[stat]})` : '');
  }

  private renderTable(): void {
    const s = this.snapshot;
    if (!s) return;
    this.table.render(s, this.runColors(), { allParams: this.state.allParams, metricKeys: this.chosenKeys(), sort: this.state.sort });
  }

  private exportTable(format: 'csv' | 'markdown'): void {
    this.host.post({ type: 'export', format, allParams: this.state.allParams, metricKeys: this.chosenKeys() });
  }
}

/** Milestones of the first load (ms since the page started), read by the UI tests' timing report. */
function mark(name: string, at = performance.now()): void {
  document.body.dataset[name] ??= String(Math.round(at));
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

function button(label: string, icon: string, id: string, onClick: () => void, secondary = true): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  b.icon = icon;
  b.secondary = secondary;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

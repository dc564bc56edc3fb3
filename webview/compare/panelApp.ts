/**
 * The Compare panel: overlaid metric curves (one chart per metric, in sections by key prefix),
 * system metrics on a tab of their own (the same charts), metrics per slice, parallel
 * coordinates, metric against parameter, and the comparison table — with one legend of
 * runs shared by all. The host sends a snapshot (runs, params, summaries) and the series of the
 * charts in view, already smoothed and reduced to pixel columns by the store worker; the page asks
 * for the charts that scroll into view, another smoothing, and the points of a zoomed range.
 *
 * Built for the first paint: the charts draw before the component library and the other tabs
 * load (extras.ts), the first chart before the others, and only the charts in view.
 */
import type { ChartSeries, CompareSnapshot, XAxisMode } from '../../src/shared/compare/compareTypes';
import { DEFAULT_CHART_BUCKETS } from '../../src/shared/compare/chartBudget';
import { keysOfTab, type ChartTab } from '../../src/shared/compare/defaultKeys';
import { derivedProblem } from '../../src/shared/compare/derivedExpression';
import type { Smoothing } from '../../src/shared/compare/smoothing';
import type { CompareHostMessage } from '../../src/shared/protocol/compare';
import type { RunSlices } from '../../src/shared/slices';
import { clear, h } from '../common/dom';
import { onThemeChange } from '../common/theme';
import type { AnalysisTabs } from './analysisTabs';
import { ChartGrid } from './chartGrid';
import type { CompareConnection } from './compareConnection';
import type { CurveRun } from './curves/curveData';
import type { CurveView } from './curves/curveChart';
import { CurvesControls } from './curvesControls';
import { Legend } from './legend';
import { PANEL_TABS, restorePanelState, type PanelState, type PanelTab } from './panelState';
import { RunColors } from './runColors';
import type { SlicesView } from './slicesView';

type Extras = typeof import('./extras');

/** What the host sent the series as; another smoothing or axis asks for them again. */
interface SeriesShape {
  smoothing: Smoothing;
  buckets: number;
  withTimes: boolean;
}

const TAB_TITLES: Record<PanelTab, string> = {
  curves: 'Curves', system: 'System', slices: 'Slices', parallel: 'Parallel Coordinates', scatter: 'Metric vs Parameter', table: 'Table',
};

const NO_SYSTEM_METRICS = 'No system metrics: runs that ExpTrack starts or watches record them (exptrack.systemMetrics.intervalSeconds), and so does exptrack.init(system_metrics=True).';

export class PanelApp {
  private readonly state: PanelState;
  private snapshot: CompareSnapshot | undefined;
  private colorSlots: number[] = [];
  private readonly palette = new RunColors();
  /** key → uid → series */
  private readonly series = new Map<string, Map<string, ChartSeries>>();
  private shape: SeriesShape;
  private highlighted: string | null = null;
  private firstPaint = false;
  private analysis: AnalysisTabs | undefined;
  private extrasLoading: Promise<void> | undefined;
  private readonly legend: Legend;
  private readonly grid: ChartGrid;
  private readonly controls: CurvesControls;
  private readonly summary = h('span', { class: 'muted summary' });
  private readonly notices = h('div');
  private readonly scroller = h('div', { class: 'panel-content' });
  private readonly tabBar = h('div', { class: 'tab-bar', attrs: { role: 'tablist', 'aria-label': 'Views of the comparison' } });
  private readonly tabPanels = new Map<PanelTab, HTMLElement>();
  private readonly empty = h('p', { class: 'muted empty', text: 'Loading…' });
  private readonly systemHint = h('p', { class: 'muted hint', text: 'CPU % and memory of each run\'s processes, the machine\'s memory, disk and network, and GPUs, as sampled while the run ran (x axis and smoothing as on Curves).' });
  /** The charts (controls, sections, grid): on the Curves tab or the System tab, whichever was shown last. */
  private readonly chartsBody = h('div', { class: 'tab-body' });
  private chartTab: ChartTab;
  private slices: SlicesView | undefined;
  private slicesData: RunSlices[] | undefined;
  private slicesRequested = false;

  constructor(private readonly root: HTMLElement, private readonly host: CompareConnection<PanelState>, private readonly loadExtras: () => Promise<Extras>) {
    this.state = restorePanelState(host.state);
    this.chartTab = this.state.tab === 'system' ? 'system' : 'curves';
    // The host fetched with these before the page said anything (comparePanel.ts): the same here.
    this.shape = { smoothing: this.state.smoothing, buckets: this.state.buckets ?? DEFAULT_CHART_BUCKETS, withTimes: this.state.xMode !== 'step' };
    const hover = (uid: string | null) => this.setHighlight(uid);
    this.legend = new Legend(this.state.hidden, this.state.filter, {
      onToggle: (hidden) => {
        this.state.hidden = [...hidden];
        this.save();
        this.grid.setView(this.view());
        this.renderAnalysis();
      },
      onHover: hover,
      onFilter: (text) => {
        this.state.filter = text;
        this.save();
      },
    });
    this.grid = new ChartGrid(this.scroller, this.view(), {
      onHover: hover,
      onDetail: (chart, ranges, buckets) => {
        if (ranges) this.host.post({ type: 'requestDetail', key: chart.key, id: chart.currentDetailId, buckets: Math.min(20_000, buckets), ranges });
      },
      onVisibleKeys: () => this.requestSeries(),
      onToggleSection: (id, collapsed) => {
        this.state.collapsed = collapsed ? [...new Set([...this.state.collapsed, id])] : this.state.collapsed.filter((c) => c !== id);
        this.save();
        this.layoutCharts();
      },
      onRemoveDerived: (key) => this.host.post({ type: 'setDerived', expressions: this.derivedKeys().filter((k) => k !== key) }),
    });
    this.controls = new CurvesControls(this.state, {
      onKeyFilter: (text) => {
        this.state.keyFilter = text;
        this.save();
        this.layoutCharts();
        this.renderAnalysis();
      },
      onXMode: (mode: XAxisMode) => {
        this.state.xMode = mode;
        this.save();
        this.grid.setView(this.view());
        this.requestSeries();
      },
      onSmoothing: (smoothing) => {
        this.state.smoothing = smoothing;
        this.save();
        this.requestSeries();
      },
      onLook: (change) => {
        Object.assign(this.state, change);
        this.save();
        this.grid.setView(this.view());
      },
      onAddDerived: (expression) => this.host.post({ type: 'setDerived', expressions: [...this.derivedKeys(), expression] }),
      onResetZoom: () => {
        for (const c of this.grid.all) c.resetZoom();
      },
    }, (text) => derivedProblem(text, (this.snapshot?.metrics ?? []).filter((m) => !m.derived).map((m) => m.key)));
    this.grid.element.addEventListener('charts-drawn', () => {
      if (!this.firstPaint) return;
      mark('chartsDrawnMs');
      void this.ensureExtras();
    });
  }

  start(): void {
    // Listening and saying so come first: the host sends what it has prepared while the page builds.
    this.host.listen((m) => this.onMessage(m));
    this.host.post({ type: 'ready' });
    mark('readyMs');
    this.layout();
    onThemeChange(() => {
      this.palette.refresh();
      for (const c of this.grid.all) c.applyTheme();
      this.analysis?.applyTheme();
      this.updateRuns();
      this.renderAnalysis();
      this.renderSlices();
    });
    // Whatever happens to the data, the rest of the page comes within a few seconds.
    window.setTimeout(() => void this.ensureExtras(), 3000);
  }

  private save(): void {
    this.host.setState(this.state);
  }

  // ---- messages -------------------------------------------------------------------------------

  private onMessage(m: CompareHostMessage): void {
    switch (m.type) {
      case 'snapshot': {
        if (m.snapshot.runs.length) mark('firstSnapshotMs');
        this.snapshot = m.snapshot;
        this.colorSlots = m.colors;
        this.state.uids = m.snapshot.runs.map((r) => r.uid);
        this.save();
        const uids = new Set(this.state.uids);
        for (const byRun of this.series.values()) for (const uid of [...byRun.keys()]) if (!uids.has(uid)) byRun.delete(uid);
        this.legend.setRuns(m.snapshot.runs, this.runColors());
        this.layoutCharts();
        this.updateRuns();
        this.renderSummary();
        this.renderSlices();
        if (m.snapshot.runs.length === 0 || m.snapshot.metrics.length === 0) void this.ensureExtras();
        this.renderAnalysis();
        return;
      }
      case 'series': {
        const started = performance.now();
        if (!this.firstPaint && m.series.length) mark('firstSeriesMs');
        this.shape = { smoothing: m.smoothing, buckets: m.buckets, withTimes: m.withTimes };
        // A replace comes chart by chart: what came before stays drawn until its own key arrives again.
        const keys = new Set([...m.keys, ...m.series.map((s) => s.key)]);
        if (m.replace) for (const key of keys) this.series.set(key, new Map());
        for (const s of m.series) {
          let byRun = this.series.get(s.key);
          if (!byRun) this.series.set(s.key, (byRun = new Map()));
          byRun.set(s.uid, s);
        }
        this.updateRuns(keys);
        this.grid.drawFirstNow();
        if (!this.firstPaint && m.series.length > 0) {
          this.firstPaint = true;
          mark('firstChartMs');
          document.body.dataset.firstChartRenderMs = String(Math.round(performance.now() - started));
        }
        // A chart wider than the columns it was sent asks for more (and a much narrower one for fewer).
        const wanted = this.bucketsWanted();
        if (wanted !== undefined && wanted !== this.shape.buckets) this.requestSeries();
        return;
      }
      case 'detail':
        this.grid.find(m.key)?.setDetail(m.id, m.series);
        return;
      case 'notice':
        clear(this.notices);
        if (m.text) this.notices.append(h('div', { class: 'notice', text: m.text }));
        return;
      case 'slices':
        this.slicesData = m.runs;
        this.renderSlices();
        return;
      case 'showTab':
        this.selectTab(m.tab);
        return;
    }
  }

  /** Asks for the series of the charts in view, as they should look now (the host sends only what it has not). */
  private requestSeries(): void {
    if (!this.snapshot) return;
    const keys = this.grid.visibleKeys;
    const buckets = this.bucketsWanted();
    if (buckets !== undefined && buckets !== this.state.buckets) {
      this.state.buckets = buckets;
      this.save();
    }
    this.host.post({ type: 'requestSeries', keys, buckets, smoothing: this.state.smoothing, withTimes: this.state.xMode !== 'step' });
  }

  /**
   * Pixel columns for the charts as wide as they are: the current ones unless far off; undefined
   * before a chart was laid out (the host keeps what it fetched with).
   */
  private bucketsWanted(): number | undefined {
    const width = Math.max(0, ...[...this.grid.all].filter((c) => c.visible).map((c) => c.plotWidth));
    if (width === 0) return undefined;
    const current = this.shape.buckets;
    if (width <= current * 1.25 && width >= current / 2) return current;
    return Math.min(20_000, Math.ceil(width / 100) * 100);
  }

  private derivedKeys(): string[] {
    return (this.snapshot?.metrics ?? []).filter((m) => m.derived).map((m) => m.key);
  }

  private runColors(): string[] {
    return (this.snapshot?.runs ?? []).map((_, i) => this.palette.css(this.colorSlots[i] ?? i));
  }

  private setHighlight(uid: string | null): void {
    if (uid === this.highlighted) return;
    this.highlighted = uid;
    for (const c of this.grid.all) if (c.visible) c.setHighlight(uid);
    this.legend.setHighlight(uid);
    this.analysis?.setHighlight(uid);
  }

  private view(): CurveView {
    return { xMode: this.state.xMode, logY: this.state.logY, showRaw: this.state.showRaw, band: this.state.band, hidden: this.legend.hiddenRuns };
  }

  // ---- layout ---------------------------------------------------------------------------------

  private layout(): void {
    document.body.classList.add('panel');
    const header = h('header', { class: 'panel-header' },
      h('div', { class: 'toolbar' },
        button('Choose Runs…', 'checklist', 'pick-runs', () => this.host.post({ type: 'pickRuns' })),
        button('Diff Code…', 'diff', 'diff-code', () => {
          const runs = this.snapshot?.runs ?? [];
          this.host.post({ type: 'diffCode', uids: runs.length === 2 ? [runs[0]!.uid, runs[1]!.uid] : undefined });
        }),
        button('Export CSV', 'desktop-download', 'export-csv', () => this.exportTable('csv')),
        button('Copy Markdown', 'markdown', 'copy-markdown', () => this.exportTable('markdown')),
        this.summary),
      this.notices);

    this.chartsBody.append(this.systemHint, this.controls.element, this.empty, this.grid.element);
    this.systemHint.hidden = this.chartTab !== 'system';
    for (const tab of PANEL_TABS) {
      const selected = tab === this.state.tab;
      const tabButton = h('button', {
        class: 'tab', text: TAB_TITLES[tab],
        attrs: { role: 'tab', 'data-tab': tab, id: `tab-${tab}`, 'aria-selected': String(selected), tabindex: selected ? '0' : '-1', type: 'button' },
        on: { click: () => this.selectTab(tab), keydown: (e) => this.onTabKey(e, tab) },
      });
      this.tabBar.append(tabButton);
      const panel = h('div', { class: 'tab-panel', attrs: { role: 'tabpanel', 'aria-labelledby': `tab-${tab}` } }, tab === this.chartTab ? this.chartsBody : h('p', { class: 'muted empty', text: 'Loading…' }));
      panel.hidden = !selected;
      this.tabPanels.set(tab, panel);
    }
    this.scroller.append(this.tabBar, ...this.tabPanels.values());
    this.root.append(header, h('div', { class: 'panel-main' }, this.scroller, this.legend.element));
    if (!isChartTab(this.state.tab)) void this.ensureExtras();
    if (this.state.tab === 'slices') this.requestSlices();
  }

  private selectTab(tab: PanelTab): void {
    this.state.tab = tab;
    this.save();
    for (const b of this.tabBar.querySelectorAll<HTMLElement>('[role="tab"]')) {
      const selected = b.dataset.tab === tab;
      b.setAttribute('aria-selected', String(selected));
      b.tabIndex = selected ? 0 : -1;
    }
    for (const [t, panel] of this.tabPanels) panel.hidden = t !== tab;
    if (isChartTab(tab)) {
      // One set of charts serves both tabs: it moves to the tab shown and charts that tab's keys.
      if (tab !== this.chartTab) {
        this.chartTab = tab;
        this.systemHint.hidden = tab !== 'system';
        this.tabPanels.get(tab)!.replaceChildren(this.chartsBody);
        this.tabPanels.get(tab === 'system' ? 'curves' : 'system')!.replaceChildren(h('p', { class: 'muted empty', text: 'Loading…' }));
      }
      this.layoutCharts();
    }
    if (tab === 'slices') this.requestSlices();
    void this.ensureExtras().then(() => this.renderAnalysis());
  }

  /** The Slices tab's data is fetched the first time it is shown, then kept current by the host. */
  private requestSlices(): void {
    if (this.slicesRequested) return;
    this.slicesRequested = true;
    this.host.post({ type: 'requestSlices' });
  }

  private onTabKey(e: KeyboardEvent, tab: PanelTab): void {
    const i = PANEL_TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? PANEL_TABS[(i + 1) % PANEL_TABS.length] : e.key === 'ArrowLeft' ? PANEL_TABS[(i + PANEL_TABS.length - 1) % PANEL_TABS.length] : undefined;
    if (!next) return;
    e.preventDefault();
    this.selectTab(next);
    this.tabBar.querySelector<HTMLElement>(`[data-tab="${next}"]`)?.focus();
  }

  /** The component library and the other tabs, once. */
  private ensureExtras(): Promise<void> {
    this.extrasLoading ??= this.loadExtras().then((extras) => {
      const s = this.state;
      this.analysis = new extras.AnalysisTabs({
        state: s,
        save: () => this.save(),
        snapshot: () => this.snapshot,
        colors: () => this.runColors(),
        hidden: () => this.legend.hiddenRuns,
        onHover: (uid) => this.setHighlight(uid),
        tableKeys: () => this.shownKeys(),
      });
      this.tabPanels.get('parallel')!.replaceChildren(this.analysis.parallelBody);
      this.tabPanels.get('scatter')!.replaceChildren(this.analysis.scatterBody);
      this.tabPanels.get('table')!.replaceChildren(this.analysis.tableBody);
      this.slices = new extras.SlicesView(s.slices, (intent) => {
        this.state.slices = intent;
        this.save();
      });
      this.tabPanels.get('slices')!.replaceChildren(this.slices.element);
      this.renderSlices();
      mark('extrasMs');
      this.renderAnalysis();
    });
    return this.extrasLoading;
  }

  // ---- rendering ------------------------------------------------------------------------------

  private renderSummary(): void {
    const s = this.snapshot;
    const runs = s?.runs.length ?? 0;
    this.summary.textContent = s ? `${runs} run${runs === 1 ? '' : 's'} · ${s.metrics.length} metric${s.metrics.length === 1 ? '' : 's'}${s.missing.length ? ` · ${s.missing.length} no longer indexed` : ''}` : 'Loading…';
  }

  /** Sections and charts for the metrics present, the filter and the closed sections. */
  private layoutCharts(): void {
    const s = this.snapshot;
    const keys = s ? keysOfTab(s.metrics.map((m) => m.key), this.chartTab) : [];
    if (!s || s.runs.length === 0 || keys.length === 0) {
      this.empty.hidden = false;
      this.empty.textContent = !s ? 'Loading…' : s.runs.length === 0
        ? 'No runs to compare. Choose runs, or tick them in the Runs view and run "Compare Selected Runs".'
        : this.chartTab === 'system' ? NO_SYSTEM_METRICS : 'These runs recorded no metrics.';
      this.grid.layout([], [], '', new Set());
      this.controls.showFilterResult(0, 0, null);
      return;
    }
    const { shown, error } = this.grid.layout(keys, this.derivedKeys(), this.state.keyFilter, new Set(this.state.collapsed));
    this.controls.showFilterResult(shown, keys.length, error);
    this.empty.hidden = shown > 0;
    this.empty.textContent = 'No metric matches the filter.';
  }

  /** Gives the charts of `keys` (all when absent) their runs' lines. */
  private updateRuns(keys?: Iterable<string>): void {
    const s = this.snapshot;
    if (!s) return;
    const wanted = keys ? new Set(keys) : undefined;
    for (const chart of this.grid.all) {
      if (wanted && !wanted.has(chart.key)) continue;
      const byRun = this.series.get(chart.key);
      const runs: CurveRun[] = [];
      s.runs.forEach((run, i) => {
        const series = byRun?.get(run.uid);
        if (series) runs.push({ uid: run.uid, name: run.name, color: this.palette.rgb(this.colorSlots[i] ?? i), series, started: run.started });
      });
      chart.setRuns(runs);
      chart.setHighlight(this.highlighted);
    }
  }

  private renderAnalysis(): void {
    const tab = this.state.tab;
    if (tab === 'parallel' || tab === 'scatter' || tab === 'table') this.analysis?.render(tab);
  }

  /** The metrics per slice, each run in its legend colour. */
  private renderSlices(): void {
    if (!this.slices || !this.slicesData) return;
    const colors = this.runColors();
    const index = new Map((this.snapshot?.runs ?? []).map((r, i) => [r.uid, i]));
    this.slices.setData(this.slicesData, this.slicesData.map((r) => colors[index.get(r.uid) ?? -1] ?? ''));
  }

  /** The metrics of the charts shown (the filter, open sections): the table's columns and the exports'. */
  private shownKeys(): string[] {
    return this.grid.shownKeys;
  }

  private exportTable(format: 'csv' | 'markdown'): void {
    this.host.post({ type: 'export', format, allParams: this.state.allParams, metricKeys: this.shownKeys() });
  }
}

function isChartTab(tab: PanelTab): tab is ChartTab {
  return tab === 'curves' || tab === 'system';
}

/** Milestones of the first load (ms since the page started), read by the UI tests' timing report. */
function mark(name: string, at = performance.now()): void {
  document.body.dataset[name] ??= String(Math.round(at));
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

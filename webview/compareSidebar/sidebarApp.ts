/**
 * The Compare side-bar view: the runs ticked in the Runs tree side by side — their status and
 * source, the parameters that differ (or all), and per metric a small overlaid curve and a table
 * of last / min / max / value at a chosen step, sortable by any column.
 */
import type { ChartSeries, CompareSnapshot, MetricColumn } from '../../src/shared/compare/compareTypes';
import { SPARKLINE_BUCKETS } from '../../src/shared/compare/chartBudget';
import { sparklineKeys } from '../../src/shared/compare/defaultKeys';
import { isSystemMetric } from '../../src/shared/systemMetricKeys';
import { formatMetricValue } from '../../src/shared/format';
import type { CompareHostMessage } from '../../src/shared/protocol/compare';
import { clear, codicon, h } from '../common/dom';
import type { CompareConnection } from '../compare/compareConnection';
import { RunColors } from '../compare/runColors';
import { sourceText, statusIcon, swatch } from '../compare/runLabels';
import { sparkline } from '../compare/sparkline';
import { onThemeChange } from '../common/theme';

type SortColumn = 'run' | 'last' | 'min' | 'max' | 'atStep';

/** Metric blocks this close to the view (in pixels) are filled. */
const NEAR_PX = 600;
/** A table row's and a sparkline's height, about: an unfilled block's. */
const ROW_PX = 24;
const SPARKLINE_PX = 48;

/** UI intent kept with setState across hide/show and reload; the data is fetched again. */
export interface SidebarState {
  atStep: number | null;
  allParams: boolean;
  /** System metrics (`system/…`) are left out of the summaries unless asked for. */
  withSystem: boolean;
  sort: { column: SortColumn; descending: boolean };
}


export class SidebarApp {
  private state: SidebarState;
  private snapshot: CompareSnapshot | undefined;
  private colors: number[] = [];
  private readonly series = new Map<string, ChartSeries>();
  private seriesKeys: string[] | null = null;
  private requestedKeys: string | null = null;
  private readonly palette = new RunColors();
  private notice = '';
  /** Metric blocks waiting to come near the view, with what fills them. */
  private readonly pendingBlocks = new Map<Element, () => void>();
  private readonly blockObserver = new IntersectionObserver((entries) => this.onBlocksNear(entries), { rootMargin: `${NEAR_PX}px 0px` });
  /** Metrics whose blocks are filled: filled again at once by the next render. */
  private filledKeys = new Set<string>();
  private filledBefore = new Set<string>();

  constructor(private readonly root: HTMLElement, private readonly host: CompareConnection<SidebarState>) {
    const saved = host.state;
    this.state = {
      atStep: typeof saved.atStep === 'number' ? saved.atStep : null,
      allParams: saved.allParams === true,
      withSystem: saved.withSystem === true,
      sort: saved.sort && ['run', 'last', 'min', 'max', 'atStep'].includes(saved.sort.column) ? saved.sort : { column: 'run', descending: false },
    };
  }

  start(): void {
    this.host.listen((m) => this.onMessage(m));
    onThemeChange(() => {
      this.palette.refresh();
      this.render();
    });
    this.layout();
    this.render();
    this.host.post({ type: 'ready' });
    if (this.state.atStep !== null) this.host.post({ type: 'setAtStep', step: this.state.atStep });
  }

  private onMessage(m: CompareHostMessage): void {
    switch (m.type) {
      case 'snapshot':
        this.snapshot = m.snapshot;
        this.colors = m.colors;
        this.requestSparklines();
        this.render();
        return;
      case 'series':
        if (m.replace) this.series.clear();
        for (const s of m.series) this.series.set(`${s.uid}\u0000${s.key}`, s);
        this.seriesKeys = m.keys;
        this.requestSparklines();
        this.render();
        return;
      case 'notice':
        this.notice = m.text;
        this.render();
        return;
    }
  }

  /** Asks for the series of every metric shown once the host has said which keys it sends. */
  private requestSparklines(): void {
    if (!this.snapshot || this.seriesKeys === null) return;
    const keys = sparklineKeys(this.snapshot.metrics.map((m) => m.key), this.state.withSystem);
    const wanted = JSON.stringify(keys);
    if (wanted === JSON.stringify(this.seriesKeys) || wanted === this.requestedKeys) return;
    this.requestedKeys = wanted;
    this.host.post({ type: 'requestSeries', keys, buckets: SPARKLINE_BUCKETS });
  }

  private saveState(): void {
    this.host.setState(this.state);
  }

  private color(i: number): string {
    return this.palette.css(this.colors[i] ?? i);
  }

  /** Parts that stay put across renders, so a control keeps focus and half-typed text during live updates. */
  private readonly parts = (() => {
    const pick = button('Choose Runs…', 'checklist', () => this.host.post({ type: 'pickRuns' }), { id: 'pick-runs', secondary: true });
    const open = button('Open in Editor', 'link-external', () => this.host.post({ type: 'openPanel' }), { id: 'open-panel' });
    const diff = button('Diff Code', 'diff', () => {
      const runs = this.snapshot?.runs ?? [];
      if (runs.length === 2) this.host.post({ type: 'diffCode', uids: [runs[0]!.uid, runs[1]!.uid] });
    }, { id: 'diff-code', secondary: true });
    const allParams = document.createElement('vscode-checkbox');
    allParams.id = 'all-params';
    allParams.label = 'Show all';
    allParams.addEventListener('change', () => {
      this.state.allParams = allParams.checked;
      this.saveState();
      this.render();
    });
    const atStep = document.createElement('vscode-textfield');
    atStep.id = 'at-step';
    atStep.type = 'number';
    atStep.placeholder = 'step';
    atStep.setAttribute('aria-label', 'Show each metric at this step');
    atStep.addEventListener('change', () => {
      const v = atStep.value.trim();
      const step = v === '' ? null : Number(v);
      this.state.atStep = step !== null && Number.isFinite(step) ? step : null;
      this.saveState();
      this.host.post({ type: 'setAtStep', step: this.state.atStep });
    });
    const withSystem = document.createElement('vscode-checkbox');
    withSystem.id = 'with-system';
    withSystem.label = 'System';
    withSystem.title = 'Show system metrics (CPU, memory, disk, network, GPU) too';
    withSystem.addEventListener('change', () => {
      this.state.withSystem = withSystem.checked;
      this.saveState();
      this.requestSparklines();
      this.render();
    });
    const paramsCount = h('span', { class: 'muted' });
    const paramsBody = h('div');
    const metricsBody = h('div');
    return {
      pick, open, diff, allParams, withSystem, atStep, paramsCount, paramsBody, metricsBody,
      notices: h('div'),
      runs: h('div'),
      message: h('p', { class: 'empty muted' }),
      params: h('section', { class: 'section', attrs: { 'aria-labelledby': 'params-title' } },
        h('div', { class: 'section-head' }, h('h2', { text: 'Parameters', attrs: { id: 'params-title' } }), paramsCount, allParams), paramsBody),
      metrics: h('section', { class: 'section', attrs: { 'aria-labelledby': 'metrics-title' } },
        h('div', { class: 'section-head' },
          h('h2', { text: 'Metrics', attrs: { id: 'metrics-title' } }),
          h('label', { class: 'muted', text: 'Value at step', attrs: { for: 'at-step' } }),
          atStep, withSystem),
        metricsBody),
    };
  })();

  private layout(): void {
    const p = this.parts;
    p.allParams.checked = this.state.allParams;
    p.withSystem.checked = this.state.withSystem;
    p.atStep.value = this.state.atStep === null ? '' : String(this.state.atStep);
    this.root.append(h('div', { class: 'toolbar' }, p.pick, p.open, p.diff), p.notices, p.message, p.runs, p.params, p.metrics);
  }

  private render(): void {
    const focused = document.activeElement?.id;
    const p = this.parts;
    const s = this.snapshot;
    const runs = s?.runs ?? [];
    p.open.disabled = runs.length === 0;
    p.diff.hidden = runs.length !== 2;
    clear(p.notices);
    if (this.notice) p.notices.append(h('div', { class: 'notice', text: this.notice }));
    if (s && s.missing.length) {
      p.notices.append(h('div', { class: 'notice', text: `${s.missing.length} ticked run${s.missing.length === 1 ? ' is' : 's are'} no longer in the index.` }));
    }
    const empty = !s || runs.length === 0;
    p.message.hidden = !empty;
    p.message.textContent = !s ? 'Loading…' : 'No runs to compare. Tick runs in the Runs view, or choose them here.';
    for (const part of [p.runs, p.params, p.metrics]) part.hidden = empty;
    clear(p.runs);
    clear(p.paramsBody);
    clear(p.metricsBody);
    this.blockObserver.disconnect();
    this.pendingBlocks.clear();
    this.filledBefore = this.filledKeys;
    this.filledKeys = new Set();
    if (!s || empty) return;
    p.runs.append(this.runList(s));
    this.renderParams(s);
    this.renderMetrics(s);
    if (focused && document.activeElement?.id !== focused) document.getElementById(focused)?.focus();
  }

  private runList(s: CompareSnapshot): HTMLElement {
    const list = h('ul', { class: 'runs', attrs: { 'aria-label': 'Compared runs' } });
    s.runs.forEach((run, i) => {
      const remove = h('button', {
        class: 'icon-button',
        title: `Remove ${run.name} from the comparison`,
        attrs: { 'aria-label': `Remove ${run.name} from the comparison`, id: `remove-${i}` },
        on: { click: () => this.host.post({ type: 'setRuns', uids: s.runs.filter((r) => r.uid !== run.uid).map((r) => r.uid) }) },
      }, codicon('close'));
      list.append(h('li', { class: 'run', attrs: { 'data-uid': run.uid } },
        swatch(this.color(i)),
        statusIcon(run),
        h('span', { class: 'run-text' },
          h('span', { class: 'run-name ellipsis', text: run.name, title: `${run.name}\n${run.uid}` }),
          h('span', { class: 'run-source muted ellipsis', text: [sourceText(run), run.experiment].filter(Boolean).join(' · ') })),
        remove));
    });
    return list;
  }

  private renderParams(s: CompareSnapshot): void {
    const differing = s.params.filter((p) => p.differs);
    const shown = this.state.allParams ? s.params : differing;
    this.parts.paramsCount.textContent = `${differing.length} of ${s.params.length} differ`;
    const body = this.parts.paramsBody;
    if (shown.length === 0) {
      body.append(h('p', { class: 'muted', text: s.params.length === 0 ? 'No parameters recorded.' : 'All parameters are the same.' }));
      return;
    }
    const table = h('table', { class: 'grid params', attrs: { 'aria-label': 'Parameters' } });
    table.append(h('thead', {}, h('tr', {},
      h('th', { text: 'Parameter', attrs: { scope: 'col' } }),
      ...s.runs.map((run, i) => h('th', { attrs: { scope: 'col' }, title: run.name }, swatch(this.color(i)), h('span', { class: 'ellipsis col-name', text: run.name }))))));
    const rows = h('tbody');
    for (const p of shown) {
      rows.append(h('tr', {},
        h('th', { text: p.key, attrs: { scope: 'row' }, class: p.differs ? 'differs' : '' }),
        ...p.values.map((v) => h('td', { text: v ?? '—', class: v === null ? 'value-missing' : '' }))));
    }
    table.append(rows);
    body.append(h('div', { class: 'scroll-x' }, table));
  }

  private renderMetrics(s: CompareSnapshot): void {
    const body = this.parts.metricsBody;
    const shown = s.metrics.map((m, k) => ({ m, k })).filter(({ m }) => this.state.withSystem || !isSystemMetric(m.key));
    if (shown.length === 0) {
      const hidden = s.metrics.length - shown.length;
      body.append(h('p', { class: 'muted', text: hidden ? `Only system metrics recorded (${hidden}): tick System to show them.` : 'No metrics recorded.' }));
      return;
    }
    for (const { m, k } of shown) body.append(this.metricBlock(s, m, k));
  }

  /**
   * A metric's block: its key at once, its curve and table once it comes near the view (or at once
   * when it was shown before, so a sort keeps what is on screen). 300 metrics of 20 runs would
   * otherwise build some 30,000 cells on every update, on the thread the editor's Compare panel
   * shares with this view.
   */
  private metricBlock(s: CompareSnapshot, m: MetricColumn, index: number): HTMLElement {
    const block = h('div', { class: 'metric' }, h('h3', { class: 'metric-key ellipsis', text: m.key, title: m.key }));
    const fill = () => {
      this.filledKeys.add(m.key);
      block.style.minHeight = '';
      block.append(...this.metricContent(s, m, index));
    };
    if (this.filledBefore.has(m.key)) {
      fill();
    } else {
      // About the height it will have, so the scroll bar and what comes into view stay right.
      block.style.minHeight = `${(s.runs.length + 1) * ROW_PX + SPARKLINE_PX}px`;
      this.pendingBlocks.set(block, fill);
      this.blockObserver.observe(block);
    }
    return block;
  }

  private onBlocksNear(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const fill = e.isIntersecting ? this.pendingBlocks.get(e.target) : undefined;
      if (!fill) continue;
      this.pendingBlocks.delete(e.target);
      this.blockObserver.unobserve(e.target);
      fill();
    }
  }

  private metricContent(s: CompareSnapshot, m: MetricColumn, index: number): (HTMLElement | SVGElement)[] {
    const spark = [];
    for (let i = 0; i < s.runs.length; i++) {
      const series = this.series.get(`${s.runs[i]!.uid}\u0000${m.key}`);
      if (series) spark.push({ color: this.color(i), steps: series.steps, values: series.values });
    }
    const withStep = s.atStep !== null;
    const columns: [SortColumn, string][] = [['run', 'Run'], ['last', 'Last'], ['min', 'Min'], ['max', 'Max']];
    if (withStep) columns.push(['atStep', `@${s.atStep}`]);
    const table = h('table', { class: 'grid metric-table', attrs: { 'aria-label': `${m.key} by run` } });
    table.append(h('thead', {}, h('tr', {}, ...columns.map(([col, label]) => this.sortHeader(col, label, index)))));
    const body = h('tbody');
    for (const i of this.sortedRuns(s, m)) {
      const run = s.runs[i]!;
      const cells = [
        h('td', { title: run.name }, swatch(this.color(i)), h('span', { class: 'ellipsis col-name', text: run.name })),
        numberCell(m, i, m.last[i]!),
        numberCell(m, i, m.min[i]!),
        numberCell(m, i, m.max[i]!),
      ];
      if (withStep) {
        const found = !Number.isNaN(m.atStepStep[i]!);
        const cell = numberCell(m, i, found ? m.atStep[i]! : NaN, !found);
        if (found && m.atStepStep[i] !== s.atStep) cell.title = `at step ${m.atStepStep[i]}`;
        cells.push(cell);
      }
      body.append(h('tr', {}, ...cells));
    }
    table.append(body);
    const curve = spark.length ? sparkline(spark, `${m.key}: curves of ${spark.length} runs`) : null;
    return [...(curve ? [curve] : []), h('div', { class: 'scroll-x' }, table)];
  }

  private sortHeader(column: SortColumn, label: string, table: number): HTMLElement {
    const active = this.state.sort.column === column;
    const direction = active ? (this.state.sort.descending ? 'descending' : 'ascending') : 'none';
    const btn = h('button', {
      class: 'sort',
      attrs: { id: `sort-${table}-${column}`, 'aria-label': `Sort by ${label}` },
      on: {
        click: () => {
          this.state.sort = { column, descending: active ? !this.state.sort.descending : false };
          this.saveState();
          this.render();
        },
      },
    }, label, active ? codicon(this.state.sort.descending ? 'arrow-down' : 'arrow-up') : null);
    return h('th', { class: column === 'run' ? '' : 'num', attrs: { scope: 'col', 'aria-sort': direction } }, btn);
  }

  /** Run indexes in the chosen order; runs without the metric (or NaN values) go last. */
  private sortedRuns(s: CompareSnapshot, m: MetricColumn): number[] {
    const { column, descending } = this.state.sort;
    const order = s.runs.map((_, i) => i);
    const sign = descending ? -1 : 1;
    if (column === 'run') return order.sort((a, b) => sign * s.runs[a]!.name.localeCompare(s.runs[b]!.name));
    const values = m[column];
    const key = (i: number) => (m.count[i] === 0 || Number.isNaN(values[i]!) ? null : values[i]!);
    return order.sort((a, b) => {
      const va = key(a);
      const vb = key(b);
      if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
      return va === vb ? a - b : sign * (va < vb ? -1 : 1);
    });
  }
}

function numberCell(m: MetricColumn, i: number, value: number, missing = false): HTMLElement {
  if (m.count[i] === 0 || missing) return h('td', { class: 'num value-missing', text: '—' });
  return h('td', { class: 'num', text: formatMetricValue(value), title: String(value) });
}

function button(label: string, icon: string, onClick: () => void, opts: { id: string; secondary?: boolean; disabled?: boolean }): HTMLElementTagNameMap['vscode-button'] {
  const b = document.createElement('vscode-button');
  b.id = opts.id;
  b.icon = icon;
  b.secondary = opts.secondary ?? false;
  b.disabled = opts.disabled ?? false;
  b.textContent = label;
  b.addEventListener('click', () => {
    if (!b.disabled) onClick();
  });
  return b;
}

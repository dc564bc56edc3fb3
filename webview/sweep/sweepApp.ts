/**
 * The Sweep panel page: a study's header (source, objective, trials per state, best trial), then
 * the objective over trial number with the best so far, parameter importance, parallel coordinates
 * coloured by the objective, one slice plot per parameter, every trial's curve, the Pareto front
 * when there are several objectives, and the trials. The host sends the whole study (assembled in
 * the store worker); the page keeps only UI intent (which objective is shown, the Pareto axes).
 */
import { countsText } from '../../src/shared/sweepTypes';
import type { SweepHostMessage, SweepView, SweepWebviewMessage, TrialCurve } from '../../src/shared/protocol/sweep';
import { formatMetricValue } from '../../src/shared/format';
import { h } from '../common/dom';
import type { HostConnection } from '../common/hostConnection';
import { onThemeChange } from '../common/theme';
import { ParallelCoordinates } from '../compare/parallelCoordinates';
import { CurvesChart } from './curvesChart';
import { HistoryChart } from './historyChart';
import { ImportanceBars } from './importanceBars';
import { objectiveColors } from './objectiveColors';
import { ParetoChart } from './paretoChart';
import { SliceGrid } from './sliceGrid';
import { TrialsTable } from './trialsTable';

export interface PageState {
  studyUid: string;
  shownObjective: number;
  paretoAxes: [number, number];
}

export type SweepConnection = HostConnection<SweepHostMessage, SweepWebviewMessage, Partial<PageState>>;

const MAX_AXES = 12;
const KIND_LABELS: Record<SweepView['kind'], string> = {
  optuna: 'Optuna study', 'keras-tuner': 'KerasTuner project', mlflow: 'MLflow parent run', hydra: 'Hydra multirun', sweep: 'Sweep',
};

type Select = HTMLElementTagNameMap['vscode-single-select'];

export class SweepApp {
  private view: SweepView | undefined;
  private curves: { key: string; curves: TrialCurve[] } | undefined;
  private shownObjective: number;
  private paretoAxes: [number, number];
  private readonly history = new HistoryChart();
  private readonly importance = new ImportanceBars();
  private readonly parallel = new ParallelCoordinates((uid) => this.highlight(uid));
  private readonly slices = new SliceGrid((uid) => this.highlight(uid));
  private readonly curvesChart = new CurvesChart();
  private readonly pareto = new ParetoChart();
  private readonly table = new TrialsTable((uid, ticked) => this.host.post({ type: 'setTicked', uid, ticked }));
  private readonly ui = {
    title: h('h1', { class: 'study-name' }),
    source: h('div', { class: 'muted' }),
    counts: h('div', { class: 'counts', attrs: { 'aria-live': 'polite' } }),
    objective: h('div', { class: 'objective toolbar' }),
    best: h('div', { class: 'best-line' }),
    notice: h('div', { class: 'notice', attrs: { role: 'status' } }),
    curvesSection: h('section', { class: 'card', attrs: { 'aria-labelledby': 'curves-title' } }),
    paretoSection: h('section', { class: 'card', attrs: { 'aria-labelledby': 'pareto-title' } }),
    paretoAxes: h('div', { class: 'toolbar' }),
    compare: document.createElement('vscode-button'),
  };

  constructor(private readonly root: HTMLElement, private readonly host: SweepConnection) {
    const saved = host.state;
    this.shownObjective = typeof saved.shownObjective === 'number' ? saved.shownObjective : 0;
    this.paretoAxes = Array.isArray(saved.paretoAxes) && saved.paretoAxes.length === 2 ? saved.paretoAxes : [0, 1];
  }

  start(): void {
    this.host.listen((m) => this.onMessage(m));
    this.build();
    onThemeChange(() => this.render());
    this.host.post({ type: 'ready' });
  }

  private build(): void {
    const { ui } = this;
    ui.notice.hidden = true;
    ui.compare.id = 'compare-ticked';
    ui.compare.setAttribute('icon', 'compare-changes');
    ui.compare.setAttribute('secondary', '');
    ui.compare.textContent = 'Compare Ticked';
    ui.compare.addEventListener('click', () => this.host.post({ type: 'compareTicked' }));
    const section = (id: string, title: string, ...body: (Node | null)[]) =>
      h('section', { class: 'card', attrs: { 'aria-labelledby': `${id}-title` } }, h('h2', { attrs: { id: `${id}-title` }, text: title }), ...body);
    ui.curvesSection.append(h('h2', { attrs: { id: 'curves-title' }, text: 'Intermediate values' }), this.curvesChart.element);
    ui.paretoSection.append(h('h2', { attrs: { id: 'pareto-title' }, text: 'Pareto front' }), ui.paretoAxes, this.pareto.element);
    this.root.replaceChildren(
      h('header', { class: 'study-header' }, ui.title, ui.source, ui.counts, ui.objective, ui.best),
      ui.notice,
      h('div', { class: 'sections' },
        section('history', 'Objective over trials', this.history.element),
        section('importance', 'Parameter importance', this.importance.element),
        section('parallel', 'Parallel coordinates', h('p', { class: 'muted hint', text: 'One line per complete trial, coloured by the objective (green: best).' }), this.parallel.element),
        section('slices', 'Slices', h('p', { class: 'muted hint', text: 'The objective against each parameter, most important first; later trials darker.' }), this.slices.element),
        ui.curvesSection,
        ui.paretoSection,
        section('trials', 'Trials', h('div', { class: 'toolbar' }, ui.compare), this.table.element)),
    );
  }

  private onMessage(m: SweepHostMessage): void {
    switch (m.type) {
      case 'study':
        if (this.view?.uid !== m.view.uid) this.curves = undefined;
        this.view = m.view;
        if (this.shownObjective >= m.view.objectives.length) this.shownObjective = 0;
        this.save();
        this.ui.notice.hidden = true;
        return this.render();
      case 'curves':
        this.curves = { key: m.key, curves: m.curves };
        return this.renderCurves();
      case 'ticked':
        this.table.setTickedRuns(m.uids);
        this.ui.compare.toggleAttribute('disabled', m.uids.length === 0);
        return;
      case 'notice':
        this.ui.notice.hidden = false;
        this.ui.notice.textContent = m.text;
        return;
      default: {
        const never: never = m;
        this.host.reportError(`unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  private save(): void {
    if (this.view) this.host.setState({ studyUid: this.view.uid, shownObjective: this.shownObjective, paretoAxes: this.paretoAxes });
  }

  private render(): void {
    const v = this.view;
    if (!v) return;
    const { ui } = this;
    ui.title.textContent = v.name;
    ui.source.textContent = `${KIND_LABELS[v.kind]}${v.tuner ? ` · ${v.tuner}` : ''} · ${v.path}`;
    ui.counts.textContent = `${v.trials.length} trials: ${countsText(v.counts)}`;
    this.renderObjective(v);
    ui.best.textContent = bestLine(v);
    document.body.dataset.study = v.uid;
    document.body.dataset.best = v.trials.filter((t) => v.best.includes(t.uid)).map((t) => t.number).join(' ');
    const objective = this.shownObjective;
    this.history.setData(v, objective);
    this.importance.setData(v);
    const order = paramOrder(v);
    this.renderParallel(v, objective, order);
    this.slices.setData(v, objective, order);
    this.renderCurves();
    this.renderPareto(v);
    this.table.setData(v);
  }

  /** The objective line: stated, or a choice among the metrics (with its direction) for studies that state none. */
  private renderObjective(v: SweepView): void {
    const box = this.ui.objective;
    box.replaceChildren();
    if (v.objectiveOrigin === 'stated') {
      box.append(h('span', { text: `Objective: ${v.objectives.map((o) => `${o.name} (${o.direction})`).join(', ')}` }));
    } else {
      const metric = select('objective-metric', 'Objective metric');
      const inferred = v.objectiveOrigin === 'inferred' || (v.objectiveOrigin === 'chosen' && !v.choice) ? v.objectives[0] : undefined;
      const options: [string, string][] = [['', v.objectiveOrigin === 'none' || v.choice ? 'inferred (none)' : `inferred: ${inferred?.name ?? 'none'}`], ...v.metricKeys.map((k): [string, string] => [k, k])];
      fill(metric, options, v.choice?.name ?? '');
      const direction = select('objective-direction', 'Objective direction');
      fill(direction, [['minimize', 'minimize'], ['maximize', 'maximize']], v.choice?.direction ?? v.objectives[0]?.direction ?? 'minimize');
      direction.toggleAttribute('disabled', !v.choice);
      const send = () => this.host.post({ type: 'setObjective', choice: metric.value ? { name: metric.value, direction: direction.value === 'maximize' ? 'maximize' : 'minimize' } : null });
      metric.addEventListener('change', send);
      direction.addEventListener('change', send);
      const label = v.objectiveOrigin === 'none' ? 'No objective stated; choose one:' : v.objectiveOrigin === 'inferred' ? `Objective: ${v.objectives[0]!.name} (${v.objectives[0]!.direction}, inferred)` : `Objective: ${v.objectives[0]!.name} (${v.objectives[0]!.direction}, chosen)`;
      box.append(h('span', { text: label }), metric, direction);
    }
    if (v.objectives.length > 1) {
      const shown = select('shown-objective', 'Objective shown in the charts');
      fill(shown, v.objectives.map((o, i): [string, string] => [String(i), o.name]), String(this.shownObjective));
      shown.addEventListener('change', () => {
        this.shownObjective = Number(shown.value);
        this.save();
        this.host.post({ type: 'setImportanceObjective', objective: this.shownObjective });
        this.render();
      });
      box.append(h('span', { class: 'muted', text: 'Shown:' }), shown);
    }
  }

  private renderParallel(v: SweepView, objective: number, order: readonly string[]): void {
    const values = v.values[objective];
    const o = v.objectives[objective];
    if (!values || !o) {
      this.parallel.setData([], []);
      return;
    }
    const color = objectiveColors(values, o.direction);
    const rows = v.trials.map((t, i) => ({ t, i })).filter(({ t, i }) => t.state === 'complete' && Number.isFinite(values[i]!));
    const params = order.slice(0, MAX_AXES).map((name) => v.params.find((p) => p.name === name)!);
    this.parallel.setData(
      rows.map(({ t, i }) => ({ uid: t.uid, name: `#${t.number} ${t.name} · ${o.name} ${formatMetricValue(values[i]!)}`, color: color(values[i]!) })),
      [...params.map((p) => ({ label: p.name, values: rows.map(({ i }) => p.values[i] ?? null) })), { label: o.name, values: rows.map(({ i }) => values[i]!) }],
    );
    this.parallel.element.dataset.lines = String(rows.length);
  }

  private renderCurves(): void {
    const v = this.view;
    const show = v?.curveKey !== null && this.curves !== undefined && this.curves.key === v?.curveKey;
    this.ui.curvesSection.hidden = !v?.curveKey;
    if (v && show) this.curvesChart.setData(v, this.curves!.key, this.curves!.curves);
    else this.curvesChart.clear();
  }

  private renderPareto(v: SweepView): void {
    const section = this.ui.paretoSection;
    section.hidden = v.objectives.length < 2;
    if (section.hidden) return;
    const [x, y] = this.paretoAxes.map((a) => Math.min(a, v.objectives.length - 1)) as [number, number];
    const axis = (id: string, label: string, value: number, set: (n: number) => void) => {
      const s = select(id, label);
      fill(s, v.objectives.map((o, i): [string, string] => [String(i), o.name]), String(value));
      s.addEventListener('change', () => {
        set(Number(s.value));
        this.save();
        this.renderPareto(v);
      });
      return s;
    };
    this.ui.paretoAxes.replaceChildren(
      h('span', { class: 'muted', text: 'x' }), axis('pareto-x', 'Pareto x axis', x, (n) => (this.paretoAxes[0] = n)),
      h('span', { class: 'muted', text: 'y' }), axis('pareto-y', 'Pareto y axis', y === x ? (x + 1) % v.objectives.length : y, (n) => (this.paretoAxes[1] = n)),
    );
    this.pareto.setData(v, x, y === x ? (x + 1) % v.objectives.length : y);
  }

  private highlight(uid: string | null): void {
    this.parallel.setHighlight(uid);
    this.slices.setHighlight(uid);
  }
}

/** Parameters by importance (most first) when known, else by name. */
function paramOrder(v: SweepView): string[] {
  const names = v.params.map((p) => p.name);
  if (!v.importance || !('params' in v.importance)) return names;
  const ranked = v.importance.params.map((p) => p.name).filter((n) => names.includes(n));
  return [...ranked, ...names.filter((n) => !ranked.includes(n))];
}

function bestLine(v: SweepView): string {
  const best = v.trials.filter((t) => v.best.includes(t.uid));
  if (best.length === 0) return v.objectives.length ? 'No complete trial yet.' : '';
  if (v.objectives.length > 1) return `Pareto front: ${best.map((t) => `#${t.number}`).join(', ')}`;
  const i = v.trials.indexOf(best[0]!);
  const params = v.params.filter((p) => p.values[i] !== null).map((p) => `${p.name}=${typeof p.values[i] === 'number' ? formatMetricValue(p.values[i] as number) : String(p.values[i])}`);
  return `Best: #${best[0]!.number} ${best[0]!.name} · ${v.objectives[0]!.name} ${formatMetricValue(v.values[0]![i]!)}${params.length ? ` · ${params.join(' ')}` : ''}`;
}

function select(id: string, label: string): Select {
  const s = document.createElement('vscode-single-select');
  s.id = id;
  s.setAttribute('aria-label', label);
  return s;
}

function fill(s: Select, options: [string, string][], value: string): void {
  s.replaceChildren(...options.map(([v, label]) => {
    const o = document.createElement('vscode-option');
    o.value = v;
    o.textContent = label;
    o.selected = v === value;
    return o;
  }));
}

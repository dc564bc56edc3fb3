import * as vscode from 'vscode';
import { isSystemMetric } from '../../shared/systemMetricKeys';
import { formatDuration, formatMetricValue, formatParamValue, formatTimestamp } from '../../shared/format';
import type { MetricSummary, RunDetail, RunSummary } from '../../shared/runTypes';
import type { StudySummary } from '../../shared/sweepTypes';
import { Disposable } from '../disposable';
import type { RunIndex } from '../store/runIndex';
import type { ObjectiveChoices } from '../sweeps/objectiveChoices';
import { asTrialItem, studyItem } from './studyItems';
import { placeRuns, type ExperimentPlacement, type PlacedStudy, type PlacedTrial } from './studyLayout';

export type RunsTreeNode =
  | { kind: 'experiment'; name: string; placement: ExperimentPlacement }
  /** A study that is no run itself (Optuna, KerasTuner, Hydra, a sweep name). */
  | { kind: 'study'; placed: PlacedStudy }
  /** A run; a trial of a study, and the node of the study it is the MLflow parent run of. */
  | { kind: 'run'; run: RunSummary; trial?: PlacedTrial; study?: PlacedStudy }
  | { kind: 'group'; run: RunSummary; group: 'params' | 'metrics' | 'system' }
  | { kind: 'value'; label: string; description: string; tooltip?: string };

/**
 * The Runs view of one workspace folder: experiments → runs → their parameters and metrics (the
 * view itself spans folders: runsView.ts). Data comes from the store worker; nothing here touches
 * files. Refreshes are debounced so a live run does not flood it.
 */
export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsTreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<RunsTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private runs: RunSummary[] = [];
  private studyList: StudySummary[] = [];
  private loaded: Promise<void> | undefined;
  private readonly details = new Map<string, Promise<RunDetail | undefined>>();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** Runs the index changed since the last redraw: an expanded one is redrawn even if its summary is not. */
  private readonly touched = new Set<string>();
  showHidden = false;
  /** A search filter (MLflow's syntax) the view shows only the matching runs of; see runsFilter.ts. */
  private filterText = '';
  private readonly loadedEmitter = this.register(new vscode.EventEmitter<{ shown: number; total: number; error?: string }>());
  /** Fires after the runs were read: how many are shown, of how many (they differ under a filter). */
  readonly onDidLoad = this.loadedEmitter.event;

  /** `isChecked`: whether a run is ticked for comparison (the ticks span folders: runs/runsView.ts). */
  constructor(private readonly index: RunIndex, private readonly isChecked: (uid: string) => boolean = () => false, private readonly choices?: ObjectiveChoices) {
    super();
    if (choices) this.register(choices.onDidChange(() => this.refreshSoon()));
    this.register(index.onDidChange((report) => {
      for (const uid of report.runsTouched) this.touched.add(uid);
      this.refreshSoon();
    }));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('exptrack.keyMetric')) void this.refreshIfChanged();
    }));
  }

  /** Runs as last loaded, newest first. */
  get currentRuns(): readonly RunSummary[] {
    return this.runs;
  }

  /** Studies as last loaded. */
  get currentStudies(): readonly StudySummary[] {
    return this.studyList;
  }

  refreshSoon(delayMs = 100): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refreshIfChanged();
    }, delayMs);
  }

  /**
   * Reads the runs again and redraws the tree only if they changed: VS Code drops a checkbox
   * click made while the tree is being redrawn, so needless redraws lose ticks.
   */
  async refreshIfChanged(): Promise<void> {
    const shown = JSON.stringify([this.runs, this.studyList]);
    const expandedChanged = [...this.touched].some((uid) => this.details.has(uid));
    this.forget();
    const runs = await this.load().catch(() => undefined);
    if (!runs || expandedChanged || JSON.stringify([runs, this.studyList]) !== shown) this.changed.fire(undefined);
  }

  refresh(): void {
    this.forget();
    this.changed.fire(undefined);
  }

  /** Drops what was read, so the next look reads the index again. */
  private forget(): void {
    this.touched.clear();
    this.loaded = undefined;
    this.details.clear();
  }

  get filter(): string {
    return this.filterText;
  }

  /** Shows only the runs this filter matches ('' : all); the text is checked by the caller (compileQuery). */
  setFilter(filter: string): void {
    if (filter === this.filterText) return;
    this.filterText = filter;
    this.refresh();
  }

  /** Resolves once the runs are loaded, for callers that need them (tests, commands). */
  async load(): Promise<readonly RunSummary[]> {
    const keyMetric = vscode.workspace.getConfiguration('exptrack').get<string>('keyMetric', '').trim() || undefined;
    this.loaded ??= Promise.all([
      this.index.call('searchRuns', { filter: this.filterText, includeHidden: this.showHidden, keyMetric }),
      this.index.call('listStudies', this.choices?.all()),
    ]).then(([found, studies]) => {
      this.runs = found.ok ? found.runs : [];
      this.studyList = studies;
      this.loadedEmitter.fire(found.ok ? { shown: found.runs.length, total: found.total } : { shown: 0, total: 0, error: found.error.message });
    });
    await this.loaded;
    return this.runs;
  }

  async getChildren(node?: RunsTreeNode): Promise<RunsTreeNode[]> {
    if (!node) {
      const runs = await this.load();
      const placed = placeRuns(runs, this.studyList);
      return [...placed.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, placement]) => ({ kind: 'experiment', name, placement }));
    }
    switch (node.kind) {
      case 'experiment':
        return [...node.placement.studies.map(studyNode), ...node.placement.runs.map((run): RunsTreeNode => ({ kind: 'run', run }))];
      case 'study':
        return node.placed.trials.map(trialNode);
      case 'run': {
        // System metrics (CPU, memory, GPUs…) are kept apart from the training metrics.
        const system = (await this.detail(node.run.uid))?.metrics.some((m) => isSystemMetric(m.key)) ?? false;
        const groups: RunsTreeNode[] = [
          { kind: 'group', run: node.run, group: 'metrics' },
          ...(system ? [{ kind: 'group', run: node.run, group: 'system' } as const] : []),
          { kind: 'group', run: node.run, group: 'params' },
        ];
        return node.study ? [...groups, ...node.study.trials.map(trialNode)] : groups;
      }
      case 'group': {
        const detail = await this.detail(node.run.uid);
        if (!detail) return [];
        if (node.group === 'params') return Object.entries(detail.params).map(([k, v]) => ({ kind: 'value', label: k, description: formatParamValue(v) }));
        const system = node.group === 'system';
        return detail.metrics.filter((m) => isSystemMetric(m.key) === system).map(metricNode);
      }
      case 'value':
        return [];
    }
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'experiment': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `experiment:${node.name}`;
        const count = node.placement.runs.length + node.placement.studies.reduce((n, s) => n + countRuns(s), 0);
        const studies = node.placement.studies.length;
        item.description = `${count} run${count === 1 ? '' : 's'}${studies ? ` · ${studies} ${studies === 1 ? 'study' : 'studies'}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = 'experiment';
        return item;
      }
      case 'study':
        return studyItem(node.placed);
      case 'run': {
        const item = node.study ? withRunContext(studyItem(node.study), node.run) : node.trial ? asTrialItem(runItem(node.run), node.trial) : runItem(node.run);
        item.checkboxState = {
          state: this.isChecked(node.run.uid) ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
          tooltip: 'Compare this run',
          accessibilityInformation: { label: `Compare ${node.run.name}` },
        };
        return item;
      }
      case 'group': {
        const look = GROUP_LOOKS[node.group];
        const item = new vscode.TreeItem(look.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.run.uid}:${node.group}`;
        item.iconPath = new vscode.ThemeIcon(look.icon);
        if (node.group === 'system') item.contextValue = 'systemMetrics';
        return item;
      }
      case 'value': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.description;
        item.tooltip = node.tooltip;
        return item;
      }
    }
  }

  private detail(uid: string): Promise<RunDetail | undefined> {
    let d = this.details.get(uid);
    if (!d) {
      d = this.index.call('getRun', uid);
      this.details.set(uid, d);
    }
    return d;
  }
}

function studyNode(placed: PlacedStudy): RunsTreeNode {
  return placed.parent ? { kind: 'run', run: placed.parent, study: placed } : { kind: 'study', placed };
}

function trialNode(trial: PlacedTrial): RunsTreeNode {
  return trial.nested ? { kind: 'run', run: trial.run, trial, study: trial.nested } : { kind: 'run', run: trial.run, trial };
}

/** Runs a study holds: its parent run, its trials and those of the studies nested in it. */
function countRuns(p: PlacedStudy): number {
  return (p.parent ? 1 : 0) + p.trials.reduce((n, t) => n + (t.nested ? countRuns(t.nested) : 1), 0);
}

/** A study node that is an MLflow parent run: the run's id, so it is ticked and revealed as the run. */
function withRunContext(item: vscode.TreeItem, run: RunSummary): vscode.TreeItem {
  item.id = `run:${run.uid}`;
  return item;
}

const STATUS_ICONS: Record<string, [string, string | undefined]> = {
  running: ['sync~spin', 'charts.blue'],
  finished: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  killed: ['circle-slash', 'testing.iconSkipped'],
  scheduled: ['clock', undefined],
  unknown: ['circle-outline', undefined],
};

function runItem(run: RunSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(run.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `run:${run.uid}`;
  const metric = run.keyMetric ? `${run.keyMetric.key}=${formatMetricValue(run.keyMetric.last)}` : '';
  item.description = [metric, formatTimestamp(run.started)].filter(Boolean).join(' · ');
  const [icon, color] = STATUS_ICONS[run.status] ?? STATUS_ICONS.unknown!;
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendText(run.name);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(`${run.status}${run.exitCode !== null ? ` (exit ${run.exitCode})` : ''} · ${run.uid}`);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(`started ${formatTimestamp(run.started)}`);
  if (run.started !== null && run.ended !== null) tooltip.appendText(` · took ${formatDuration(run.ended - run.started)}`);
  if (run.sourcePath) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(`${run.sourceKind ?? 'source'}: ${run.sourcePath}`);
  }
  item.tooltip = tooltip;
  // Context value words drive the context menu's `when` clauses (package.json).
  item.contextValue = ['run', run.status, run.hidden ? 'hidden' : ''].filter(Boolean).join(' ');
  item.accessibilityInformation = { label: `${run.name}, ${run.status}${metric ? `, ${metric}` : ''}` };
  return item;
}

const GROUP_LOOKS = {
  metrics: { label: 'Metrics', icon: 'graph-line' },
  system: { label: 'System', icon: 'pulse' },
  params: { label: 'Parameters', icon: 'symbol-parameter' },
} as const;

function metricNode(m: MetricSummary): RunsTreeNode {
  return {
    kind: 'value',
    label: m.key,
    description: `${formatMetricValue(m.last)}${m.lastStep !== null ? ` @${m.lastStep}` : ''}`,
    tooltip: `last ${formatMetricValue(m.last)} · min ${formatMetricValue(m.min)} · max ${formatMetricValue(m.max)} · ${m.count} points`,
  };
}

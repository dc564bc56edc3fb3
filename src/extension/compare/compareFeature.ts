import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { createCompareProtocol } from '../../shared/protocol/compare';
import { Disposable } from '../disposable';
import { PanelSlot } from '../webview/panelSlot';
import type { Log } from '../log';
import type { WorkspaceRunSource } from '../folders/workspaceRunSource';
import type { RunsTreeNode } from '../runs/runsTree';
import type { RunsView } from '../runs/runsView';
import type { SessionViews } from '../startup/deferredViews';
import { CodeDiff } from './codeDiff';
import { CompareActions } from './compareActions';
import { ComparePanel, DEFAULT_INTENT, type PanelIntent } from './comparePanel';
import { DerivedMetrics } from './derivedMetrics';
import { DEFAULT_CHART_BUCKETS } from '../../shared/compare/chartBudget';
import { normalizeSmoothing, smoothingProblem } from '../../shared/compare/smoothing';
import { CompareViewProvider } from './compareViewProvider';
import { RunColorSlots } from './runColorSlots';

/** The command ids of this feature (declared in package.json). */
export const COMPARE_COMMAND_IDS = [
  'exptrack.compareSelectedRuns', 'exptrack.openCompareInEditor', 'exptrack.clearComparedRuns', 'exptrack.diffRunCode',
  'exptrack.showRunSlices', 'exptrack.showRunSystemMetrics',
] as const;

/**
 * What the Compare panel keeps with setState that the host reads when VS Code restores it: the
 * runs, and what its first charts need (so they are fetched while the page loads).
 */
const RestoredPanelState = z.object({
  uids: z.array(z.string().check(z.maxLength(500))).check(z.maxLength(5000)),
  smoothing: z.optional(z.object({ kind: z.enum(['none', 'ema', 'twema', 'gauss', 'avg']), amount: z.number() })),
  xMode: z.optional(z.string()),
  keyFilter: z.optional(z.string().check(z.maxLength(2000))),
  collapsed: z.optional(z.array(z.string().check(z.maxLength(2000))).check(z.maxLength(2000))),
  buckets: z.optional(z.nullable(z.int().check(z.minimum(1), z.maximum(20_000)))),
});

/**
 * Comparing runs: the Compare side-bar view, the Compare panel (one at a time, restored after a
 * reload) and the code diff of two runs.
 */
export class CompareFeature extends Disposable {
  private readonly protocol = createCompareProtocol();
  private readonly actions: CompareActions;
  private readonly colors = new RunColorSlots();
  private readonly slot = this.register(new PanelSlot<ComparePanel>());
  private readonly derived: DerivedMetrics;
  private readonly chartWidth: { buckets: number };

  constructor(
    private readonly extensionUri: vscode.Uri,
    state: vscode.Memento,
    private readonly index: WorkspaceRunSource,
    private readonly tree: RunsView,
    private readonly log: Log,
    views: SessionViews,
  ) {
    super();
    this.derived = this.register(new DerivedMetrics(state));
    this.chartWidth = rememberedChartWidth(state);
    const codeDiff = this.register(new CodeDiff(index, log));
    this.actions = new CompareActions(index, tree, codeDiff, log);
    const view = this.register(new CompareViewProvider(extensionUri, index, tree, this.protocol, this.actions, (uids) => this.openPanel(uids), this.colors, log));
    views.webviewView(CompareViewProvider.viewId, view);
    // How many runs are ticked, for when clauses (the walkthrough's compare step is done at two).
    this.register(tree.onDidChangeChecked((uids) => void vscode.commands.executeCommand('setContext', 'exptrack.comparedRuns', uids.length)));
    this.register(vscode.window.registerWebviewPanelSerializer(ComparePanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => {
        const saved = RestoredPanelState.safeParse(state);
        this.slot.adopt(new ComparePanel(panel, extensionUri, this.deps(), saved.success ? intentOf(saved.data) : DEFAULT_INTENT)).setRuns(saved.success ? saved.data.uids : []);
      },
    }));
  }

  handlers(): Record<(typeof COMPARE_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return {
      'exptrack.compareSelectedRuns': (node) => this.compareSelected(node),
      'exptrack.openCompareInEditor': () => this.compareSelected(undefined),
      'exptrack.clearComparedRuns': () => this.tree.setChecked([]),
      'exptrack.diffRunCode': (a, b) => this.actions.diffCode(runPair(a, b), this.tree.checkedRuns),
      'exptrack.showRunSlices': (node) => this.showTab(node, 'slices'),
      'exptrack.showRunSystemMetrics': (node) => this.showTab(node, 'system'),
    };
  }

  /**
   * The panel on one tab, for the run the command was invoked on (its System group, or a uid from
   * a test or a link) and the ticked runs beside it; from the palette, for the ticked runs.
   */
  private async showTab(node: unknown, tab: 'slices' | 'system'): Promise<void> {
    const clicked = typeof node === 'string' ? node : runOf(node as RunsTreeNode | undefined);
    const ticked = this.tree.checkedRuns;
    const uids = clicked === undefined ? [...ticked] : ticked.includes(clicked) ? [...ticked] : [clicked];
    if (uids.length === 0) await this.compareSelected(undefined);
    else await this.openPanel(uids);
    this.slot.panel?.showTab(tab);
  }

  /** Opens the panel with the ticked runs (or the run the command was invoked on, or picked ones). */
  private async compareSelected(node: unknown): Promise<void> {
    let uids = [...this.tree.checkedRuns];
    const clicked = node as RunsTreeNode | undefined;
    const key = clicked?.kind === 'run' ? this.tree.keyOf(clicked) : undefined;
    if (key !== undefined && !uids.includes(key)) uids = [...uids, key];
    if (uids.length === 0) {
      const picked = await this.actions.pickRuns([]);
      if (!picked?.length) return;
      uids = picked;
      this.tree.setChecked(uids);
    }
    await this.openPanel(uids);
  }

  async openPanel(uids: readonly string[]): Promise<void> {
    this.slot.getOrCreate(() => ComparePanel.create(this.extensionUri, this.deps())).show(uids);
  }

  private deps() {
    return { index: this.index, protocol: this.protocol, actions: this.actions, colors: this.colors, derived: this.derived, chartWidth: this.chartWidth, log: this.log };
  }
}

/** The run of a Runs view node (a run, or one of its groups). */
function runOf(node: RunsTreeNode | undefined): string | undefined {
  return node?.kind === 'run' || node?.kind === 'group' ? node.run.uid : undefined;
}

/** Two run uids given to the command (from a test, a link or another extension). */
function runPair(a: unknown, b: unknown): [string, string] | undefined {
  return typeof a === 'string' && typeof b === 'string' ? [a, b] : undefined;
}

/** The first charts' needs from a restored panel's state. */
function intentOf(saved: z.infer<typeof RestoredPanelState>): PanelIntent {
  const smoothing = saved.smoothing && !smoothingProblem(saved.smoothing) ? normalizeSmoothing(saved.smoothing) : DEFAULT_INTENT.smoothing;
  return {
    smoothing,
    withTimes: saved.xMode === 'wallTime' || saved.xMode === 'relativeTime',
    keyFilter: saved.keyFilter ?? '',
    collapsed: saved.collapsed ?? [],
    buckets: saved.buckets ?? undefined,
  };
}

/** Kept per workspace: a new panel's first charts are fetched as wide as the last panel drew them. */
const CHART_BUCKETS_KEY = 'exptrack.compare.chartBuckets';

function rememberedChartWidth(state: vscode.Memento): { buckets: number } {
  const saved = state.get<unknown>(CHART_BUCKETS_KEY);
  let buckets = typeof saved === 'number' && Number.isInteger(saved) && saved >= 50 && saved <= 20_000 ? saved : DEFAULT_CHART_BUCKETS;
  return {
    get buckets() {
      return buckets;
    },
    set buckets(value: number) {
      if (value === buckets) return;
      buckets = value;
      void state.update(CHART_BUCKETS_KEY, value);
    },
  };
}

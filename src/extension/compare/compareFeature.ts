import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { createCompareProtocol } from '../../shared/protocol/compare';
import { Disposable } from '../disposable';
import { PanelSlot } from '../webview/panelSlot';
import type { Log } from '../log';
import type { RunsTreeNode, RunsTreeProvider } from '../runs/runsTree';
import type { SessionViews } from '../startup/deferredViews';
import type { RunIndex } from '../store/runIndex';
import { CodeDiff } from './codeDiff';
import { CompareActions } from './compareActions';
import { ComparePanel } from './comparePanel';
import { CompareViewProvider } from './compareViewProvider';
import { RunColorSlots } from './runColorSlots';

/** The command ids of this feature (declared in package.json). */
export const COMPARE_COMMAND_IDS = [
  'exptrack.compareSelectedRuns', 'exptrack.openCompareInEditor', 'exptrack.clearComparedRuns', 'exptrack.diffRunCode',
] as const;

/** What the Compare panel keeps with setState; only `uids` matters to the host (to restore it). */
const RestoredPanelState = z.object({ uids: z.array(z.string().check(z.maxLength(500))).check(z.maxLength(5000)) });

/**
 * Comparing runs: the Compare side-bar view, the Compare panel (one at a time, restored after a
 * reload) and the code diff of two runs.
 */
export class CompareFeature extends Disposable {
  private readonly protocol = createCompareProtocol();
  private readonly actions: CompareActions;
  private readonly colors = new RunColorSlots();
  private readonly slot = this.register(new PanelSlot<ComparePanel>());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly index: RunIndex,
    private readonly tree: RunsTreeProvider,
    private readonly log: Log,
    views: SessionViews,
  ) {
    super();
    const codeDiff = this.register(new CodeDiff(index, log));
    this.actions = new CompareActions(index, tree, codeDiff, log);
    const view = this.register(new CompareViewProvider(extensionUri, index, tree, this.protocol, this.actions, (uids) => this.openPanel(uids), this.colors, log));
    views.webviewView(CompareViewProvider.viewId, view);
    this.register(vscode.window.registerWebviewPanelSerializer(ComparePanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => {
        const saved = RestoredPanelState.safeParse(state);
        this.slot.adopt(new ComparePanel(panel, extensionUri, this.deps())).setRuns(saved.success ? saved.data.uids : []);
      },
    }));
  }

  handlers(): Record<(typeof COMPARE_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return {
      'exptrack.compareSelectedRuns': (node) => this.compareSelected(node),
      'exptrack.openCompareInEditor': () => this.compareSelected(undefined),
      'exptrack.clearComparedRuns': () => this.tree.setChecked([]),
      'exptrack.diffRunCode': (a, b) => this.actions.diffCode(runPair(a, b), this.tree.checkedRuns),
    };
  }

  /** Opens the panel with the ticked runs (or the run the command was invoked on, or picked ones). */
  private async compareSelected(node: unknown): Promise<void> {
    let uids = [...this.tree.checkedRuns];
    const clicked = node as RunsTreeNode | undefined;
    if (clicked?.kind === 'run' && !uids.includes(clicked.run.uid)) uids = [...uids, clicked.run.uid];
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
    return { index: this.index, protocol: this.protocol, actions: this.actions, colors: this.colors, log: this.log };
  }
}

/** Two run uids given to the command (from a test, a link or another extension). */
function runPair(a: unknown, b: unknown): [string, string] | undefined {
  return typeof a === 'string' && typeof b === 'string' ? [a, b] : undefined;
}

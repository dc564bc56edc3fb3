import * as vscode from 'vscode';
import { createRunsTableProtocol } from '../../shared/protocol/runsTable';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunsTreeProvider } from '../runs/runsTree';
import type { RunIndex } from '../store/runIndex';
import { PanelSlot } from '../webview/panelSlot';
import { webviewPanelOptions } from '../webview/webviewHtml';
import { RunsTablePanel } from './runsTablePanel';
import { loadTableSettings } from './tableSettings';

/** The command ids of this feature (declared in package.json). */
export const RUNS_TABLE_COMMAND_IDS = ['exptrack.openRunsTable'] as const;

/**
 * The Runs table: one panel at a time, opened from the command palette or the Runs view's title,
 * restored after a reload with the columns, sort, grouping, filter and pins kept for the workspace.
 */
export class RunsTableFeature extends Disposable {
  private readonly protocol = createRunsTableProtocol();
  private readonly slot = this.register(new PanelSlot<RunsTablePanel>());

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly state: vscode.Memento,
    private readonly index: RunIndex,
    private readonly tree: RunsTreeProvider,
    private readonly log: Log,
  ) {
    super();
    this.register(vscode.window.registerWebviewPanelSerializer(RunsTablePanel.viewType, {
      deserializeWebviewPanel: async (panel) => {
        this.slot.adopt(this.create(panel));
      },
    }));
  }

  handlers(): Record<(typeof RUNS_TABLE_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return { 'exptrack.openRunsTable': () => this.open() };
  }

  /** Opens the table, or brings the open one to the front. */
  open(): RunsTablePanel {
    const panel = this.slot.getOrCreate(() =>
      this.create(vscode.window.createWebviewPanel(RunsTablePanel.viewType, 'Runs', vscode.ViewColumn.Active, webviewPanelOptions(this.extensionUri))));
    panel.reveal();
    return panel;
  }

  /** The open table (for tests). */
  get panel(): RunsTablePanel | undefined {
    return this.slot.panel;
  }

  private create(panel: vscode.WebviewPanel): RunsTablePanel {
    const settings = loadTableSettings(this.state, this.protocol.view);
    return new RunsTablePanel(panel, this.extensionUri, { index: this.index, tree: this.tree, protocol: this.protocol, state: this.state, settings, log: this.log });
  }
}

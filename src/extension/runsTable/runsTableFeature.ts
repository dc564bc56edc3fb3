import * as vscode from 'vscode';
import { createRunsTableProtocol } from '../../shared/protocol/runsTable';
import { Disposable } from '../disposable';
import type { FolderSession } from '../folders/folderSession';
import type { FolderSessions } from '../folders/folderSessions';
import type { LocalFolder } from '../folders/localFolders';
import type { Log } from '../log';
import type { RunsView } from '../runs/runsView';
import { PanelSlot } from '../webview/panelSlot';
import { webviewPanelOptions } from '../webview/webviewHtml';
import { RunsTablePanel } from './runsTablePanel';
import { loadTableSettings, tableSettingsKey } from './tableSettings';

/** The command ids of this feature (declared in package.json). */
export const RUNS_TABLE_COMMAND_IDS = ['exptrack.openRunsTable'] as const;

const TITLE = 'Runs';

/**
 * The Runs table: one panel at a time per workspace folder (a multi-root workspace asks which
 * folder, or takes the folder the command was invoked on), opened from the command palette or
 * the Runs view's title, restored after a reload with the columns, sort, grouping, filter and
 * pins kept for the folder.
 */
export class RunsTableFeature extends Disposable {
  private readonly protocol = createRunsTableProtocol();
  private readonly slots = new Map<string, PanelSlot<RunsTablePanel>>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly state: vscode.Memento,
    private readonly sessions: FolderSessions,
    private readonly tree: RunsView,
    private readonly log: Log,
  ) {
    super();
    this.register({ dispose: () => [...this.slots.values()].forEach((slot) => slot.dispose()) });
    this.register(sessions.onDidStop((session) => {
      this.slots.get(session.folder.id)?.dispose();
      this.slots.delete(session.folder.id);
    }));
    this.register(vscode.window.registerWebviewPanelSerializer(RunsTablePanel.viewType, {
      deserializeWebviewPanel: async (panel) => {
        // The tab's title names the folder of a multi-root workspace ("Runs: <folder>").
        const folder = sessions.folders.all.find((f) => panel.title === titleOf(f, true)) ?? sessions.folders.first;
        const session = folder && (await sessions.start(folder));
        if (!session) {
          panel.dispose();
          return;
        }
        this.slot(session.folder).adopt(this.create(panel, session));
      },
    }));
  }

  handlers(): Record<(typeof RUNS_TABLE_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return {
      'exptrack.openRunsTable': async (node) => {
        const folder = this.tree.folderOf(node) ?? (await this.sessions.folders.pick('Open Runs Table'));
        const session = folder && (await this.sessions.start(folder));
        return session && this.open(session);
      },
    };
  }

  /** Opens the folder's table (the first folder's by default), or brings the open one to the front. */
  async open(session?: FolderSession): Promise<RunsTablePanel | undefined> {
    const first = this.sessions.folders.first;
    const target = session ?? (first && (await this.sessions.start(first)));
    if (!target) return undefined;
    const multi = this.sessions.folders.multi;
    const panel = this.slot(target.folder).getOrCreate(() => this.create(
      vscode.window.createWebviewPanel(RunsTablePanel.viewType, titleOf(target.folder, multi), vscode.ViewColumn.Active, webviewPanelOptions(this.extensionUri)), target));
    panel.reveal();
    return panel;
  }

  /** The open table of the first folder (of the only one, in a single-folder workspace), for tests. */
  get panel(): RunsTablePanel | undefined {
    const first = this.sessions.folders.first;
    return first && this.slots.get(first.id)?.panel;
  }

  /** The open table of the workspace folder at `folder`. */
  panelOf(folder: vscode.Uri): RunsTablePanel | undefined {
    const found = this.sessions.folders.all.find((f) => f.uri.toString() === folder.toString());
    return found && this.slots.get(found.id)?.panel;
  }

  private slot(folder: LocalFolder): PanelSlot<RunsTablePanel> {
    let slot = this.slots.get(folder.id);
    if (!slot) this.slots.set(folder.id, (slot = new PanelSlot<RunsTablePanel>()));
    return slot;
  }

  private create(panel: vscode.WebviewPanel, session: FolderSession): RunsTablePanel {
    const settingsKey = tableSettingsKey(this.sessions.folders.multi ? session.folder.uri : undefined);
    const settings = loadTableSettings(this.state, this.protocol.view, settingsKey);
    return new RunsTablePanel(panel, this.extensionUri, {
      index: session.index, tree: this.tree.ticksOf(session.folder), protocol: this.protocol, state: this.state, settings, settingsKey, log: this.log,
    });
  }
}

function titleOf(folder: LocalFolder, multi: boolean): string {
  return multi ? `${TITLE}: ${folder.name}` : TITLE;
}

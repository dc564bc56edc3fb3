import * as vscode from 'vscode';
import { fieldKindLabel, fieldLabel, fieldText, sameField, type RunField } from '../../shared/runFields';
import type { RunsTableHostMessage, RunsTableProtocol, RunsTableWebviewMessage } from '../../shared/protocol/runsTable';
import type { RunsTableQuery, RunsTableResult } from '../../shared/runsTable';
import type { Log } from '../log';
import type { FolderTicks } from '../runs/runsView';
import type { RunIndex } from '../store/runIndex';
import { PanelReload } from '../webview/panelReload';
import { WebviewPanelHost } from '../webview/webviewPanelHost';
import { columnChoices, defaultColumns, mergeColumns, saveTableSettings, type TableSettings } from './tableSettings';

export interface RunsTablePanelDeps {
  index: RunIndex;
  /** The ticks of the table's folder: one selection for the tree, this table and the Compare view. */
  tree: FolderTicks;
  protocol: RunsTableProtocol;
  /** Where the table's settings are kept (the workspace's state). */
  state: vscode.Memento;
  settings: TableSettings;
  /** Where `settings` are kept in `state` (tableSettings.ts). */
  settingsKey: string;
  log: Log;
}

/**
 * The Runs table in an editor tab. The store worker filters, sorts and formats (src/core/runs);
 * the page shows the rows it is sent, drawing only those in view. Ticks are the Runs view's
 * (RunsView.ticksOf): one selection for the tree, this table and the Compare view.
 */
export class RunsTablePanel extends WebviewPanelHost<RunsTableWebviewMessage> {
  static readonly viewType = 'exptrack.runsTable';
  private seq = 0;
  private readonly reload: PanelReload;
  private last: RunsTableResult | undefined;
  /** The view `last` answers. */
  private lastView: TableSettings['view'] | undefined;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly deps: RunsTablePanelDeps) {
    super(panel, extensionUri, { bundle: 'runsTable', title: 'Runs', logName: 'Runs table' }, deps.protocol.webviewMessage, deps.log);
    this.reload = this.register(new PanelReload(() => this.queryOnce(), () => this.panel.visible && this.pageReady,
      (e) => this.log.error(`Runs table: could not read the runs: ${e.message}`), 300));
    this.register(deps.index.onDidChange(() => this.reload.soon()));
    this.register(deps.tree.onDidChangeChecked((uids) => this.post({ type: 'ticked', uids: [...uids] })));
  }

  /** The settings in use (for tests). */
  get settings(): TableSettings {
    return this.deps.settings;
  }

  /** The table last sent (for tests). */
  get current(): RunsTableResult | undefined {
    return this.last;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  protected async onMessage(msg: RunsTableWebviewMessage): Promise<void> {
    const { settings } = this.deps;
    switch (msg.type) {
      case 'ready':
        this.pageReady = true;
        this.post({ type: 'view', view: settings.view, pinned: settings.pinned });
        this.post({ type: 'ticked', uids: [...this.deps.tree.checkedRuns] });
        if (this.reload.due || !this.last) return this.reload.now();
        return this.sendRows();
      case 'setFilter':
        return this.change({ filter: msg.filter });
      case 'setSort':
        return this.change({ sort: msg.sort });
      case 'setGroupBy':
        return this.change({ groupBy: msg.groupBy });
      case 'chooseColumns':
        return this.chooseColumns();
      case 'removeColumn':
        settings.columnsChosen = true;
        return this.change({ columns: settings.view.columns.filter((c) => !sameField(c, msg.field)) });
      case 'setTicked': {
        const ticked = this.deps.tree.checkedRuns.filter((u) => u !== msg.uid);
        this.deps.tree.setChecked(msg.ticked ? [...ticked, msg.uid] : ticked);
        return;
      }
      case 'setPinned':
        settings.pinned = [...settings.pinned.filter((u) => u !== msg.uid), ...(msg.pinned ? [msg.uid] : [])];
        await saveTableSettings(this.deps.state, settings, this.deps.settingsKey);
        this.post({ type: 'view', view: settings.view, pinned: settings.pinned });
        return this.reload.now();
      case 'compareTicked':
        await vscode.commands.executeCommand('exptrack.compareSelectedRuns');
        return;
      case 'error':
        this.log.error(`Runs table: ${msg.message}`);
        return;
      default:
        this.unhandled(msg);
    }
  }

  private async change(part: Partial<TableSettings['view']>): Promise<void> {
    const settings = this.deps.settings;
    settings.view = { ...settings.view, ...part };
    await saveTableSettings(this.deps.state, settings, this.deps.settingsKey);
    this.post({ type: 'view', view: settings.view, pinned: settings.pinned });
    await this.reload.now();
  }

  private async chooseColumns(): Promise<void> {
    // While the filter is wrong the last answer has no keys: ask for them without it.
    const answer = this.last?.ok ? this.last : await this.deps.index.call('runsTable', { ...this.currentQuery(), filter: '', columns: [] });
    if (!answer.ok) return;
    const keys = answer.keys;
    const current = this.deps.settings.view.columns;
    type Item = vscode.QuickPickItem & { field?: RunField };
    const items: Item[] = [];
    let kind = '';
    for (const field of columnChoices(keys)) {
      if (field.kind !== kind) {
        kind = field.kind;
        items.push({ label: { attribute: 'Attributes', metric: 'Metrics', param: 'Parameters', tag: 'Tags' }[field.kind], kind: vscode.QuickPickItemKind.Separator });
      }
      items.push({ label: fieldLabel(field), description: `${fieldKindLabel(field)} · ${fieldText(field)}`, field, picked: current.some((c) => sameField(c, field)) });
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Runs Table Columns', placeHolder: 'Columns to show (kept for this workspace)', canPickMany: true, matchOnDescription: true,
    });
    if (!picked) return;
    this.deps.settings.columnsChosen = true;
    await this.change({ columns: mergeColumns(current, picked.flatMap((p) => (p.field ? [p.field] : []))) });
  }

  private currentQuery(): RunsTableQuery {
    const { view, pinned } = this.deps.settings;
    return { filter: view.filter, sort: view.sort, columns: view.columns, groupBy: view.groupBy, pinned };
  }

  /** Asks the worker for the table and sends it. */
  private async queryOnce(): Promise<void> {
    const settings = this.deps.settings;
    const view = settings.view;
    const result = await this.deps.index.call('runsTable', this.currentQuery());
    if (result.ok && !settings.columnsChosen) {
      // First opened in this workspace: columns for the metrics and parameters it has.
      settings.columnsChosen = true;
      settings.view = { ...settings.view, columns: defaultColumns(result.keys) };
      await saveTableSettings(this.deps.state, settings, this.deps.settingsKey);
      this.post({ type: 'view', view: settings.view, pinned: settings.pinned });
      this.reload.repeat();
      return;
    }
    this.last = result;
    this.lastView = view;
    this.seq++;
    this.sendRows();
  }

  private sendRows(): void {
    if (this.last && this.lastView) this.post({ type: 'rows', seq: this.seq, view: this.lastView, result: this.last });
  }

  private post(message: RunsTableHostMessage): void {
    if (this.pageReady && !this.isDisposed) void this.panel.webview.postMessage(message);
  }
}

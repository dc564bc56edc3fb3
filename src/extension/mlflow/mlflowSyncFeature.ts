import * as vscode from 'vscode';
import type { SyncProgress } from '../../core/mlflowSync/localRuns';
import { MlflowError } from '../../core/mlflowSync/mlflowErrors';
import { listExperimentNames } from '../../core/mlflowSync/pullRuns';
import type { ModelSyncReport } from '../../core/mlflowSync/registrySync';
import { MlflowRestClient } from '../../core/mlflowSync/restClient';
import { SyncBusyError } from '../../core/mlflowSync/syncState';
import { parseTrackingUri, TrackingUriError, type TrackingServer } from '../../core/mlflowSync/trackingServer';
import type { RunSummary } from '../../shared/runTypes';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunsTreeNode, RunsTreeProvider } from '../runs/runsTree';
import type { RunIndex } from '../store/runIndex';

export const MLFLOW_COMMAND_IDS = [
  'exptrack.mlflow.pushRuns', 'exptrack.mlflow.pullRuns', 'exptrack.mlflow.pushModels', 'exptrack.mlflow.pullModels', 'exptrack.mlflow.setToken',
] as const;

/** The secret holding the token (or, with exptrack.mlflow.username set, the password) of a server. */
const secretKey = (uri: string) => `exptrack.mlflow.token:${uri}`;

/**
 * "Push Runs to MLflow", "Pull Runs from MLflow", the registry both ways and "Set MLflow Token".
 * The work is src/core/mlflowSync, run in the store worker (syncTasks.ts); this is the pickers, the
 * progress notification (cancel stops after the batch in flight; the next push continues) and the messages.
 */
export class MlflowSyncFeature extends Disposable {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly index: RunIndex,
    private readonly tree: RunsTreeProvider,
    private readonly log: Log,
  ) {
    super();
  }

  handlers(): Record<string, (...args: unknown[]) => unknown> {
    return {
      'exptrack.mlflow.pushRuns': (node?: unknown, nodes?: unknown) => this.pushRuns(node, nodes),
      'exptrack.mlflow.pullRuns': () => this.pullRuns(),
      'exptrack.mlflow.pushModels': () => this.syncModels('push'),
      'exptrack.mlflow.pullModels': () => this.syncModels('pull'),
      'exptrack.mlflow.setToken': () => this.setToken(),
    };
  }

  /** The configured server with its secret, asking for the URI when none is set. */
  private async server(): Promise<TrackingServer | undefined> {
    const config = vscode.workspace.getConfiguration('exptrack.mlflow');
    let uri = config.get<string>('trackingUri', '').trim();
    if (!uri) {
      const entered = await vscode.window.showInputBox({
        title: 'MLflow tracking server', prompt: 'The URI of the MLflow tracking server (saved as the workspace setting exptrack.mlflow.trackingUri)',
        placeHolder: 'http://127.0.0.1:5000', ignoreFocusOut: true, validateInput: (v) => validateUri(v),
      });
      if (!entered) return undefined;
      uri = entered.trim();
      await config.update('trackingUri', uri, vscode.ConfigurationTarget.Workspace);
    }
    let server: TrackingServer;
    try {
      server = parseTrackingUri(uri);
    } catch (e) {
      void vscode.window.showErrorMessage(`ExpTrack: exptrack.mlflow.trackingUri: ${(e as Error).message}`);
      return undefined;
    }
    const secret = await this.secrets.get(secretKey(server.uri));
    const username = config.get<string>('username', '').trim();
    if (username) {
      server.username = username;
      server.password = secret ?? server.password;
    } else if (secret) server.token = secret;
    return server;
  }

  private async setToken(): Promise<void> {
    const server = await this.server();
    if (!server) return;
    const username = vscode.workspace.getConfiguration('exptrack.mlflow').get<string>('username', '').trim();
    const value = await vscode.window.showInputBox({
      title: `MLflow ${username ? `password of ${username}` : 'token'} for ${server.uri}`, password: true, ignoreFocusOut: true,
      prompt: 'Kept in VS Code\'s secret storage, never in settings. Leave empty to remove it.',
    });
    if (value === undefined) return;
    if (value === '') {
      await this.secrets.delete(secretKey(server.uri));
      void vscode.window.showInformationMessage(`ExpTrack: the MLflow credentials for ${server.uri} were removed.`);
    } else {
      await this.secrets.store(secretKey(server.uri), value);
      void vscode.window.showInformationMessage(`ExpTrack: the MLflow ${username ? 'password' : 'token'} for ${server.uri} is kept in secret storage.`);
    }
  }

  private async pushRuns(node?: unknown, nodes?: unknown): Promise<void> {
    const uids = await this.chooseRuns(node, nodes);
    if (!uids?.length) return;
    const server = await this.server();
    if (!server) return;
    await this.withProgress(`Pushing ${uids.length === 1 ? 'a run' : `${uids.length} runs`} to MLflow`, async (progress) => {
      const result = await this.index.sync({ kind: 'push', server, runUids: uids }, progress);
      if (!result.ok) return this.showError(`${result.message}. Nothing local was changed.`);
      const report = result.push!;
      this.logWarnings(report.warnings, report.stateSetAside);
      const failed = report.runs.filter((r) => r.error);
      for (const r of failed) this.log.error(`MLflow push of ${r.name} (${r.uid}): ${r.error}`);
      const sent = report.runs.filter((r) => !r.skipped && !r.error).length;
      const summary = `${sent} run${sent === 1 ? '' : 's'}, ${report.points.toLocaleString()} new points to ${server.uri}`;
      if (report.cancelled) void vscode.window.showWarningMessage(`ExpTrack: push cancelled after ${summary}. Push again to continue where it stopped.`);
      else if (failed.length) void this.showError(`MLflow push: ${failed.length} run(s) failed: ${failed[0]!.error}`);
      else void vscode.window.showInformationMessage(`ExpTrack: pushed ${summary}${report.warnings.length ? ` (${report.warnings.length} warnings in the Output)` : ''}.`);
    });
  }

  /** The runs of the context menu (one or a multi-selection), else a multi-select pick with the ticked runs chosen. */
  private async chooseRuns(node?: unknown, nodes?: unknown): Promise<string[] | undefined> {
    const fromTree = [...(Array.isArray(nodes) ? nodes : []), node].filter((n): n is RunsTreeNode => (n as RunsTreeNode | undefined)?.kind === 'run');
    if (fromTree.length) return [...new Set(fromTree.map((n) => (n as Extract<RunsTreeNode, { kind: 'run' }>).run.uid))];
    const runs = (await this.index.call('listRuns')).filter((r) => r.sourceKind !== 'mlflow-server');
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('ExpTrack: there are no local runs to push.');
      return undefined;
    }
    const ticked = new Set(this.tree.checkedRuns);
    const picks = await vscode.window.showQuickPick(runs.map((r: RunSummary) => ({
      label: r.name, description: `${r.status} · ${r.experiment}`, detail: r.uid, picked: ticked.has(r.uid), uid: r.uid,
    })), { canPickMany: true, title: 'Push runs to MLflow', placeHolder: 'Choose the runs to push (pushing again sends only what is new)', matchOnDescription: true, matchOnDetail: true });
    return picks?.map((p) => p.uid);
  }

  private async pullRuns(): Promise<void> {
    const server = await this.server();
    if (!server) return;
    const experiment = await this.chooseExperiment(server);
    if (!experiment) return;
    await this.withProgress(`Pulling "${experiment}" from MLflow`, async (progress) => {
      const result = await this.index.sync({ kind: 'pull', server, experiment }, progress);
      if (!result.ok) return this.showError(`${result.message}. Nothing local was changed.`);
      const report = result.pull!;
      this.logWarnings(report.warnings, report.stateSetAside);
      await this.index.ingestSoon(report.files);
      const count = (o: string) => report.runs.filter((r) => r.outcome === o).length;
      void vscode.window.showInformationMessage(`ExpTrack: ${report.cancelled ? 'pull cancelled; ' : ''}"${experiment}": ${count('new')} new, ${count('updated')} updated, `
        + `${count('unchanged')} unchanged${count('skipped') ? `, ${count('skipped')} pushed from here` : ''}.`);
    });
  }

  private async chooseExperiment(server: TrackingServer): Promise<string | undefined> {
    let names: string[] = [];
    try {
      names = await listExperimentNames(new MlflowRestClient(server, { timeoutMs: 15_000 }));
    } catch (e) {
      await this.showError((e as Error).message);
      return undefined;
    }
    const typed = '$(edit) Type an experiment name…';
    const pick = await vscode.window.showQuickPick([...names, typed], { title: `Pull runs from MLflow (${server.uri})`, placeHolder: 'The experiment whose runs to bring in' });
    if (pick !== typed) return pick;
    return vscode.window.showInputBox({ title: 'MLflow experiment', prompt: 'Name of the experiment to pull', ignoreFocusOut: true });
  }

  private async syncModels(direction: 'push' | 'pull'): Promise<void> {
    const server = await this.server();
    if (!server) return;
    await this.withProgress(`${direction === 'push' ? 'Pushing' : 'Pulling'} registered models ${direction === 'push' ? 'to' : 'from'} MLflow`, async (progress) => {
      const result = await this.index.sync(direction === 'push' ? { kind: 'push', server, runUids: [], models: true } : { kind: 'pull', server, models: true }, progress);
      if (!result.ok) return this.showError(`${result.message}. Nothing local was changed.`);
      const report = direction === 'push' ? result.push!.models : result.pull!.models;
      if (direction === 'pull') await this.index.rescan();
      this.logWarnings([...(report?.warnings ?? []), ...(report?.runs?.warnings ?? [])]);
      void vscode.window.showInformationMessage(`ExpTrack: ${describeModels(report)}${report?.warnings.length ? ` (${report.warnings.length} warnings in the Output)` : ''}.`);
    });
  }

  private async withProgress(title: string, work: (progress: SyncProgress) => Promise<void>): Promise<void> {
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ExpTrack: ${title}`, cancellable: true }, async (p, token) => {
        let shown = 0;
        await work({
          get cancelled() {
            return token.isCancellationRequested;
          },
          report(message, done, total) {
            const percent = done !== undefined && total ? Math.min(100, (done / total) * 100) : shown;
            p.report({ message, increment: Math.max(0, percent - shown) });
            shown = Math.max(shown, percent);
          },
        });
      });
    } catch (e) {
      if (e instanceof MlflowError || e instanceof SyncBusyError) await this.showError(`${e.message}. Nothing local was changed.`);
      else throw e;
    }
  }

  private logWarnings(warnings: string[], setAside?: string): void {
    if (setAside) this.log.warn(`MLflow sync: the state file was unreadable and was moved to ${setAside}; the server's run tags are used instead`);
    for (const w of warnings) this.log.warn(`MLflow sync: ${w}`);
  }

  private async showError(message: string): Promise<void> {
    this.log.error(message);
    const choice = await vscode.window.showErrorMessage(`ExpTrack: ${message}`, 'Open Settings', 'Set Token');
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'exptrack.mlflow');
    if (choice === 'Set Token') await vscode.commands.executeCommand('exptrack.mlflow.setToken');
  }
}

function validateUri(v: string): string | undefined {
  try {
    parseTrackingUri(v);
    return undefined;
  } catch (e) {
    return e instanceof TrackingUriError ? e.message : String(e);
  }
}

function describeModels(r: ModelSyncReport | undefined): string {
  if (!r) return 'nothing was synced';
  const versions = r.models.reduce((n, m) => n + m.versions.filter((v) => v.outcome !== 'known').length, 0);
  const aliases = r.models.reduce((n, m) => n + m.aliases.length, 0);
  return `${r.models.length} model${r.models.length === 1 ? '' : 's'}: ${versions} version${versions === 1 ? '' : 's'} and ${aliases} alias change${aliases === 1 ? '' : 's'}`;
}

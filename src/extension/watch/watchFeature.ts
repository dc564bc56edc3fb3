import * as vscode from 'vscode';
import { CLAIMS_ENV, claimsDir } from '../../core/capture/runClaims';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { IndexFeed } from '../store/runIndex';
import { DebugWatcher } from './debugWatcher';
import { OutputRendezvous } from './outputRouting';
import { ShellIntegrationHint } from './shellIntegrationHint';
import { TaskWatcher } from './taskWatcher';
import { TerminalWatcher } from './terminalWatcher';
import { WatchedRuns } from './watchedRuns';
import { WatchSettings } from './watchSettings';

/**
 * Training scripts started anywhere in the workbench become runs: typed into a terminal, started
 * from Run and Debug, or run as a task (the `exptrack.watch.*` settings). Nothing is watched in an
 * untrusted workspace.
 */
export class WatchFeature extends Disposable {
  constructor(context: vscode.ExtensionContext, exptrackDir: string, index: IndexFeed, log: Log) {
    super();
    const settings = this.register(new WatchSettings(log));
    const runs = this.register(new WatchedRuns(exptrackDir, index.workspaceRoot, settings, index, log));
    const rendezvous = new OutputRendezvous();
    this.register(new TerminalWatcher(settings, runs, rendezvous, log));
    this.register(new DebugWatcher(exptrackDir, settings, runs, rendezvous, log));
    this.register(new TaskWatcher(settings, runs, rendezvous, log));
    this.register(new ShellIntegrationHint(context.globalState, settings));

    // New terminals and tasks learn where claims appear, so a Python client there waits for its own.
    const environment = context.environmentVariableCollection;
    environment.persistent = false;
    environment.description = 'Lets the ExpTrack Python client join the run recorded for a command run here.';
    const updateEnvironment = () => {
      const { terminal, tasks } = settings.current;
      if (terminal || tasks) environment.replace(CLAIMS_ENV, claimsDir(exptrackDir));
      else environment.delete(CLAIMS_ENV);
    };
    updateEnvironment();
    this.register(settings.onDidChange(updateEnvironment));
    this.register({ dispose: () => environment.delete(CLAIMS_ENV) });

    const { terminal, debug, tasks } = settings.current;
    log.info(vscode.workspace.isTrusted
      ? `watching for training runs in: ${[terminal && 'terminals', debug && 'debug sessions', tasks && 'tasks'].filter(Boolean).join(', ') || 'nothing (exptrack.watch.* are off)'}`
      : 'untrusted workspace: terminals, debug sessions and tasks are not watched');
  }
}

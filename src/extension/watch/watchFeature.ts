import * as vscode from 'vscode';
import { CLAIMS_ENV, claimsDir } from '../../core/capture/runClaims';
import { terminalPythonPathChange } from '../../core/pythonClient/pythonPath';
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
 * untrusted workspace. Watched terminals, tasks and launch configurations get the bundled Python
 * client first on PYTHONPATH.
 */
export class WatchFeature extends Disposable {
  constructor(context: vscode.ExtensionContext, exptrackDir: string, clientDir: string, index: IndexFeed, log: Log) {
    super();
    const settings = this.register(new WatchSettings(log));
    const runs = this.register(new WatchedRuns(exptrackDir, index.workspaceRoot, settings, index, log));
    const rendezvous = new OutputRendezvous();
    this.register(new TerminalWatcher(settings, runs, rendezvous, log));
    this.register(new DebugWatcher(exptrackDir, clientDir, settings, runs, rendezvous, log));
    this.register(new TaskWatcher(settings, runs, rendezvous, log));
    this.register(new ShellIntegrationHint(context.globalState, settings));

    // New terminals and tasks learn where claims appear, so a Python client there waits for its own,
    // and find the bundled client on PYTHONPATH, so `import exptrack` works with nothing installed.
    const environment = context.environmentVariableCollection;
    environment.persistent = false;
    environment.description = 'Puts the ExpTrack Python client on PYTHONPATH and lets it join the run recorded for a command run here.';
    const updateEnvironment = () => {
      const { terminal, tasks } = settings.current;
      environment.delete(PYTHONPATH);
      if (!terminal && !tasks) {
        environment.delete(CLAIMS_ENV);
        return;
      }
      environment.replace(CLAIMS_ENV, claimsDir(exptrackDir));
      const change = terminalPythonPathChange(inheritedPythonPath(), clientDir);
      if (change.kind === 'prepend') environment.prepend(PYTHONPATH, change.value);
      else if (change.kind === 'replace') environment.replace(PYTHONPATH, change.value);
    };
    updateEnvironment();
    this.register(settings.onDidChange(updateEnvironment));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('terminal.integrated.env')) updateEnvironment();
    }));
    this.register({ dispose: () => [CLAIMS_ENV, PYTHONPATH].forEach((name) => environment.delete(name)) });

    const { terminal, debug, tasks } = settings.current;
    log.info(vscode.workspace.isTrusted
      ? `watching for training runs in: ${[terminal && 'terminals', debug && 'debug sessions', tasks && 'tasks'].filter(Boolean).join(', ') || 'nothing (exptrack.watch.* are off)'}`
      : 'untrusted workspace: terminals, debug sessions and tasks are not watched');
  }
}

const PYTHONPATH = 'PYTHONPATH';

/**
 * The PYTHONPATH a new terminal starts with before extensions change it: the one set for this
 * platform in `terminal.integrated.env.*`, else the one VS Code itself was started with.
 */
function inheritedPythonPath(): string | undefined {
  const platform = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'osx' : 'linux';
  const env = vscode.workspace.getConfiguration('terminal.integrated.env').get<Record<string, string | null>>(platform);
  if (env && Object.prototype.hasOwnProperty.call(env, PYTHONPATH)) return env[PYTHONPATH] ?? undefined;
  return process.env[PYTHONPATH];
}

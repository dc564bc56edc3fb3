import * as path from 'node:path';
import * as vscode from 'vscode';
import { CLAIMS_ENV, claimsDir } from '../../core/capture/runClaims';
import { terminalPythonPathChange } from '../../core/pythonClient/pythonPath';
import { Disposable } from '../disposable';
import type { RecordingFolders } from '../folders/recordingFolders';
import type { Log } from '../log';
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
 * client first on PYTHONPATH. A run is recorded in the workspace folder holding its script or
 * working directory; in a multi-root workspace terminals name every folder's claims.
 */
export class WatchFeature extends Disposable {
  constructor(context: vscode.ExtensionContext, folders: RecordingFolders, clientDir: string, log: Log) {
    super();
    const settings = this.register(new WatchSettings(log));
    const runs = this.register(new WatchedRuns(folders, settings, log));
    const rendezvous = new OutputRendezvous();
    this.register(new TerminalWatcher(settings, runs, rendezvous, log));
    this.register(new DebugWatcher(clientDir, settings, runs, rendezvous, log));
    this.register(new TaskWatcher(settings, runs, rendezvous, log));
    this.register(new ShellIntegrationHint(context.globalState, settings));

    // New terminals and tasks learn where claims appear, so a Python client there waits for its own,
    // and find the bundled client on PYTHONPATH, so `import exptrack` works with nothing installed.
    const environment = context.environmentVariableCollection;
    environment.persistent = false;
    environment.description = 'Puts the ExpTrack Python client on PYTHONPATH and lets it join the run recorded for a command run here.';
    const claims = new FolderClaimsEnvironment(environment, folders);
    const updateEnvironment = () => {
      const { terminal, tasks } = settings.current;
      environment.delete(PYTHONPATH);
      claims.update(terminal || tasks);
      if (!terminal && !tasks) return;
      const change = terminalPythonPathChange(inheritedPythonPath(), clientDir);
      if (change.kind === 'prepend') environment.prepend(PYTHONPATH, change.value);
      else if (change.kind === 'replace') environment.replace(PYTHONPATH, change.value);
    };
    updateEnvironment();
    this.register(settings.onDidChange(updateEnvironment));
    this.register(folders.onDidChange(updateEnvironment));
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
 * Where watched terminals and tasks find their claims: every folder's claims folder, joined with
 * the platform's path delimiter (one folder: just its own). The Python client looks in each, so a
 * terminal of any folder (whatever its working directory, which a folder-scoped collection does
 * not follow in a remote window) joins the run recorded in that folder.
 */
class FolderClaimsEnvironment {
  constructor(private readonly environment: vscode.GlobalEnvironmentVariableCollection, private readonly folders: RecordingFolders) {}

  update(on: boolean): void {
    const dirs = this.folders.all.map(({ exptrackDir }) => claimsDir(exptrackDir));
    if (!on || !dirs.length) this.environment.delete(CLAIMS_ENV);
    else this.environment.replace(CLAIMS_ENV, dirs.join(path.delimiter));
  }
}

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

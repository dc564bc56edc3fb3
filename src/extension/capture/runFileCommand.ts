import * as path from 'node:path';
import * as vscode from 'vscode';
import { startTrackedRun } from '../../core/capture/trackedProcess';
import { ensureExptrackLayout } from '../../core/exptrackDir';
import { formatDuration } from '../../shared/format';
import { Disposable } from '../disposable';
import type { RecordingFolder } from '../folders/recordingFolders';
import type { Log } from '../log';
import type { ActiveRuns } from './activeRuns';
import { resolvePythonInterpreter } from './pythonInterpreter';
import { systemMetricsInterval } from './systemMetricsSetting';
import { TrackingPseudoterminal } from './trackingTerminal';

/**
 * "ExpTrack: Run Python File with Tracking": the script runs in a terminal the user watches and
 * can stop, while its command line, output, metrics and end state are recorded as a run, in the
 * workspace folder holding the script.
 */
export class RunFileCommand extends Disposable {
  constructor(
    /** The folder a script's run is recorded in (asked when a script outside every folder could go to several). */
    private readonly folderFor: (script: string) => Promise<RecordingFolder | undefined>,
    private readonly active: ActiveRuns,
    /** `<extensionPath>/python`: put first on every tracked run's PYTHONPATH. */
    private readonly pythonClientDir: string,
    private readonly log: Log,
  ) {
    super();
  }

  /** Returns the run id once the run has started (tests wait on it), or undefined if nothing ran. */
  async run(uri?: vscode.Uri): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('ExpTrack: running scripts is disabled in an untrusted workspace. Trust the workspace to track runs; recorded runs stay viewable.');
      return undefined;
    }
    // From the palette or the walkthrough no script may be in front: the one in view, or a pick.
    const target = uri ?? visiblePythonFile() ?? (await pickPythonFile());
    if (!target) return undefined;
    if (target.scheme !== 'file' || !target.fsPath.endsWith('.py')) {
      void vscode.window.showInformationMessage('ExpTrack: open a Python file to run it with tracking.');
      return undefined;
    }
    const folder = await this.folderFor(target.fsPath);
    if (!folder) return undefined;
    const { exptrackDir, workspaceRoot } = folder;
    // Said before anything starts: a read-only folder cannot hold the run's files.
    try {
      ensureExptrackLayout(exptrackDir);
    } catch (e) {
      const msg = `ExpTrack cannot record ${path.basename(target.fsPath)} here: ${(e as Error).message}. Runs already indexed are still shown.`;
      this.log.error(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (open?.isDirty) await open.save();

    const config = vscode.workspace.getConfiguration('exptrack', target);
    const interpreter = await resolvePythonInterpreter(target, config.get<string>('pythonPath', ''));
    const script = target.fsPath;
    const cwd = path.dirname(script);
    const command = [interpreter, script, ...config.get<string[]>('runArgs', [])];
    const relScript = path.relative(workspaceRoot, script).split(path.sep).join('/');
    const label = path.basename(script);

    const pty = new TrackingPseudoterminal();
    const terminal = vscode.window.createTerminal({ name: `ExpTrack: ${label}`, pty, iconPath: new vscode.ThemeIcon('beaker') });
    terminal.show(true);

    let runId = '';
    const startedAt = Date.now();
    const eventsFile = () => path.join(exptrackDir, 'runs', runId, 'events.jsonl');
    try {
      const tracked = await startTrackedRun({
        exptrackDir,
        workspaceRoot,
        command,
        cwd,
        pythonClientDir: this.pythonClientDir,
        experiment: config.get<string>('experiment', '') || undefined,
        sourceKind: 'script',
        sourcePath: relScript,
        stdoutPatterns: config.get<unknown[]>('stdoutMetricPatterns', []),
        systemMetricsIntervalSeconds: systemMetricsInterval(config),
        onError: (e) => this.log.warn(`run ${runId || label}: ${e.message}`),
        onOutput: (chunk) => pty.write(chunk),
        onEvent: (event) => {
          if (event.t === 'metrics') {
            for (const [key, value] of Object.entries(event.values)) this.active.noteMetric(runId, key, Number(value));
          }
          void folder.ingestSoon([eventsFile()]);
        },
      });
      runId = tracked.runId;
      pty.attach(tracked);
      this.active.add({ runId, label, terminal, stop: () => tracked.stop() });
      this.log.info(`run ${runId} started: ${command.join(' ')}`);
      void folder.ingestSoon([eventsFile()]);
      void tracked.done.then(async (end) => {
        this.active.remove(runId);
        const took = formatDuration((Date.now() - startedAt) / 1000);
        pty.end(`run ${end.status}${end.exitCode !== null ? ` (exit ${end.exitCode})` : ''} after ${took} · ${runId}`);
        this.log.info(`run ${runId} ${end.status}${end.exitCode !== null ? ` with exit code ${end.exitCode}` : ''}`);
        await folder.ingestSoon([eventsFile()]);
      });
      return runId;
    } catch (e) {
      const msg = `could not start ${label}: ${(e as Error).message}`;
      this.log.error(msg);
      pty.end(msg);
      void vscode.window.showErrorMessage(`ExpTrack: ${msg}`);
      return undefined;
    }
  }

  async stop(): Promise<void> {
    const runs = this.active.all;
    if (runs.length === 0) return;
    const run = runs.length === 1 ? runs[0] : (await vscode.window.showQuickPick(
      runs.map((r) => ({ label: this.active.describe(r), description: r.runId, run: r })),
      { placeHolder: 'Stop which run?' },
    ))?.run;
    run?.stop();
  }
}

/**
 * The active editor's Python file, else the active tab's (a file just opened has its tab before its
 * editor has loaded the text), else the only Python file among the visible editors.
 */
function visiblePythonFile(): vscode.Uri | undefined {
  const isPython = (uri: vscode.Uri) => uri.scheme === 'file' && uri.fsPath.endsWith('.py');
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isPython(active)) return active;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputText && isPython(tab.uri)) return tab.uri;
  const visible = vscode.window.visibleTextEditors.map((e) => e.document.uri).filter(isPython);
  return visible.length === 1 ? visible[0] : undefined;
}

const PYTHON_EXCLUDE = '{**/node_modules/**,**/.git/**,**/.exptrack/**,**/.venv/**,**/venv/**,**/site-packages/**,**/__pycache__/**}';
const MAX_PYTHON_FILES = 2000;

/** Asks which of the workspace's Python files to run: shallow ones first, where entry points usually are. */
async function pickPythonFile(): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles('**/*.py', PYTHON_EXCLUDE, MAX_PYTHON_FILES);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('ExpTrack: there is no Python file in this workspace to run with tracking.');
    return undefined;
  }
  const items = found.map((uri) => {
    const rel = vscode.workspace.asRelativePath(uri, false);
    const dir = path.posix.dirname(rel);
    return { label: path.posix.basename(rel), description: dir === '.' ? '' : dir, rel, uri };
  });
  const depth = (rel: string) => rel.split('/').length;
  items.sort((a, b) => depth(a.rel) - depth(b.rel) || a.rel.localeCompare(b.rel));
  // Kept open when focus moves: a walkthrough button that asked takes the focus back a moment later.
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Run Python File with Tracking', placeHolder: 'The script to run (type to filter by name or folder)', matchOnDescription: true, ignoreFocusOut: true,
  });
  return chosen?.uri;
}

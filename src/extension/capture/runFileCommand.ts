import * as path from 'node:path';
import * as vscode from 'vscode';
import { startTrackedRun } from '../../core/capture/trackedProcess';
import { ensureExptrackLayout } from '../../core/exptrackDir';
import { formatDuration } from '../../shared/format';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';
import type { ActiveRuns } from './activeRuns';
import { resolvePythonInterpreter } from './pythonInterpreter';
import { TrackingPseudoterminal } from './trackingTerminal';

/**
 * "ExpTrack: Run Python File with Tracking": the script runs in a terminal the user watches and
 * can stop, while its command line, output, metrics and end state are recorded as a run.
 */
export class RunFileCommand extends Disposable {
  constructor(
    private readonly index: RunIndex,
    private readonly active: ActiveRuns,
    private readonly exptrackDir: string,
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
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file' || !target.fsPath.endsWith('.py')) {
      void vscode.window.showInformationMessage('ExpTrack: open a Python file to run it with tracking.');
      return undefined;
    }
    // Said before anything starts: a read-only folder cannot hold the run's files.
    try {
      ensureExptrackLayout(this.exptrackDir);
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
    const relScript = path.relative(this.index.workspaceRoot, script).split(path.sep).join('/');
    const label = path.basename(script);

    const pty = new TrackingPseudoterminal();
    const terminal = vscode.window.createTerminal({ name: `ExpTrack: ${label}`, pty, iconPath: new vscode.ThemeIcon('beaker') });
    terminal.show(true);

    let runId = '';
    const startedAt = Date.now();
    const eventsFile = () => path.join(this.exptrackDir, 'runs', runId, 'events.jsonl');
    try {
      const tracked = await startTrackedRun({
        exptrackDir: this.exptrackDir,
        workspaceRoot: this.index.workspaceRoot,
        command,
        cwd,
        pythonClientDir: this.pythonClientDir,
        experiment: config.get<string>('experiment', '') || undefined,
        sourceKind: 'script',
        sourcePath: relScript,
        stdoutPatterns: config.get<unknown[]>('stdoutMetricPatterns', []),
        onOutput: (chunk) => pty.write(chunk),
        onEvent: (event) => {
          if (event.t === 'metrics') {
            for (const [key, value] of Object.entries(event.values)) this.active.noteMetric(runId, key, Number(value));
          }
          void this.index.ingestSoon([eventsFile()]);
        },
      });
      runId = tracked.runId;
      pty.attach(tracked);
      this.active.add({ runId, label, terminal, stop: () => tracked.stop() });
      this.log.info(`run ${runId} started: ${command.join(' ')}`);
      void this.index.ingestSoon([eventsFile()]);
      void tracked.done.then(async (end) => {
        this.active.remove(runId);
        const took = formatDuration((Date.now() - startedAt) / 1000);
        pty.end(`run ${end.status}${end.exitCode !== null ? ` (exit ${end.exitCode})` : ''} after ${took} · ${runId}`);
        this.log.info(`run ${runId} ${end.status}${end.exitCode !== null ? ` with exit code ${end.exitCode}` : ''}`);
        await this.index.ingestSoon([eventsFile()]);
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

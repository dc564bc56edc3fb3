import * as vscode from 'vscode';
import { firstShellLine } from '../../core/capture/shellCommandLine';
import { decideCommandLine } from '../../core/capture/watchedCommand';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { OutputTap, taskCommandText, type OutputRendezvous } from './outputRouting';
import type { WatchedRun, WatchedRuns } from './watchedRuns';
import type { WatchSettings } from './watchSettings';

/** A task's output is kept this long for the task watcher, which hears of the task a moment later. */
const TASK_OUTPUT_KEEP_MS = 5000;
/** A Python-looking command that is not recorded gets a declined claim (so the client does not wait). */
const PYTHONISH = /python|\.pyw?\b|\bpy\b|pytest|torchrun|accelerate|\buv\b|poetry/i;

interface Execution {
  terminal: vscode.Terminal;
  tap: OutputTap;
  run?: WatchedRun;
  removeDecline?: () => void;
  /** How the command ended, when it ended before its run was set up. */
  endedEarly?: { exitCode: number | null } | { killed: true };
}

/**
 * Commands typed into integrated terminals, as shell integration reports them: one that matches
 * the watch settings becomes a run with the output the terminal shows and the exit code the shell
 * reports. A terminal closed while its command runs ends the run as killed.
 */
export class TerminalWatcher extends Disposable {
  private readonly executions = new Map<vscode.TerminalShellExecution, Execution>();

  constructor(
    private readonly settings: WatchSettings,
    private readonly runs: WatchedRuns,
    private readonly rendezvous: OutputRendezvous,
    private readonly log: Log,
  ) {
    super();
    this.register(vscode.window.onDidStartTerminalShellExecution((e) => void this.started(e)));
    this.register(vscode.window.onDidEndTerminalShellExecution((e) => void this.ended(e)));
    this.register(vscode.window.onDidCloseTerminal((t) => this.closed(t)));
  }

  private async started(e: vscode.TerminalShellExecutionStartEvent): Promise<void> {
    // Lines typed ahead come as one command line with the first; each is reported again as it starts.
    const commandLine = firstShellLine(e.execution.commandLine.value);
    const taskText = taskCommandText(commandLine);
    // A terminal of ExpTrack's own (Run with Tracking) records its run already.
    if (isOwnTerminal(e.terminal)) return;
    const config = this.settings.current;
    if (!config.terminal && !(taskText !== undefined && config.tasks) && !config.debug) return;
    // Read from now on: shell integration delivers only what is read after the command started.
    const tap = new OutputTap(e.execution.read(), (err) => this.log.warn(`terminal output: ${err.message}`));
    if (this.rendezvous.offer(commandLine, tap, taskText !== undefined ? TASK_OUTPUT_KEEP_MS : 0) || taskText !== undefined) return;
    if (!config.terminal) {
      tap.discard();
      return;
    }

    const cwd = e.execution.cwd?.fsPath ?? e.shellIntegration.cwd?.fsPath ?? this.runs.rootFor();
    const decision = decideCommandLine(commandLine, cwd, this.runs.rootFor(cwd), config.rules);
    const execution: Execution = { terminal: e.terminal, tap };
    this.executions.set(e.execution, execution);
    if (decision.kind !== 'run') tap.discard();
    if (decision.kind !== 'run' && !(decision.kind === 'declined' || PYTHONISH.test(commandLine))) {
      this.executions.delete(e.execution);
      return;
    }
    const pid = await e.terminal.processId;
    if (decision.kind !== 'run') {
      this.log.info(`terminal command not recorded (${decision.reason}): ${commandLine}`);
      if (!execution.endedEarly) execution.removeDecline = this.runs.decline(cwd, pid);
      return;
    }
    const run = this.runs.start({ command: decision.command, sourceKind: 'terminal', claim: { pid }, origin: `terminal "${e.terminal.name}"`,
      // The shell's children are the command: the shell itself is not part of the run.
      processes: pid === undefined ? undefined : { pid, includeRoot: false },
    });
    if (!run) {
      tap.discard();
      return;
    }
    execution.run = run;
    tap.attach((chunk) => run.output(chunk));
    if (execution.endedEarly) await this.finish(execution, execution.endedEarly);
  }

  private async ended(e: vscode.TerminalShellExecutionEndEvent): Promise<void> {
    const execution = this.executions.get(e.execution);
    if (!execution) return;
    this.executions.delete(e.execution);
    await this.finish(execution, { exitCode: e.exitCode ?? null });
  }

  private closed(terminal: vscode.Terminal): void {
    for (const [key, execution] of this.executions) {
      if (execution.terminal !== terminal) continue;
      this.executions.delete(key);
      void this.finish(execution, { killed: true });
    }
  }

  private async finish(execution: Execution, how: { exitCode: number | null } | { killed: true }): Promise<void> {
    execution.removeDecline?.();
    execution.removeDecline = undefined;
    if (!execution.run) {
      execution.endedEarly = how; // started() ends the run once it is set up
      return;
    }
    if (!('killed' in how)) await execution.tap.drained();
    await execution.run.end(how);
  }
}

/** Pseudo-terminals are extension-owned (ExpTrack's Run with Tracking terminal among them). */
function isOwnTerminal(terminal: vscode.Terminal): boolean {
  return 'pty' in terminal.creationOptions;
}

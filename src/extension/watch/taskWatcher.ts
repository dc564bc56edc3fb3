import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveLaunchVariables, type LaunchVariableValues } from '../../core/capture/launchVariables';
import { decideArgv, decideCommandLine, type WatchDecision } from '../../core/capture/watchedCommand';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { sameCommandText, taskCommandText, type OutputRendezvous, type OutputTap } from './outputRouting';
import type { WatchedRun, WatchedRuns } from './watchedRuns';
import type { WatchSettings } from './watchSettings';

/** How long after a task starts its terminal command may still be reported. */
const TERMINAL_COMMAND_WAIT_MS = 10_000;
/** After a task's process ended, how long its output may still be arriving. */

interface TaskRun {
  run?: WatchedRun;
  tap?: OutputTap;
  cancelOutputWait(): void;
  removeDecline?: () => void;
}

/**
 * Tasks (shell and process tasks) whose command matches the watch settings become runs, with the
 * exit code of the task's process. The output comes from the task's terminal when VS Code's shell
 * integration reports the task's command there (it does when a task terminal is reused; not for
 * the first task in a new terminal in VS Code 1.100); a Python client in the task joins the run
 * through its claim.
 */
export class TaskWatcher extends Disposable {
  private readonly tasks = new Map<vscode.TaskExecution, TaskRun>();

  constructor(
    private readonly settings: WatchSettings,
    private readonly runs: WatchedRuns,
    private readonly rendezvous: OutputRendezvous,
    private readonly log: Log,
  ) {
    super();
    this.register(vscode.tasks.onDidStartTaskProcess((e) => this.started(e)));
    this.register(vscode.tasks.onDidEndTaskProcess((e) => void this.ended(e)));
  }

  private started(e: vscode.TaskProcessStartEvent): void {
    const config = this.settings.current;
    if (!config.tasks) return;
    const task = e.execution.task;
    const described = describeTask(task, this.runs.rootFor(typeof task.scope === 'object' ? task.scope.uri.fsPath : undefined));
    if (!described) return;
    const { decision, text } = described(config.rules);
    if (decision.kind === 'ignored') return;
    const entry: TaskRun = { cancelOutputWait: () => undefined };
    this.tasks.set(e.execution, entry);
    if (decision.kind === 'declined') {
      this.log.info(`task "${task.name}" not recorded: ${decision.reason}`);
      entry.removeDecline = this.runs.decline(decision.command?.cwd ?? this.runs.rootFor(), e.processId);
      return;
    }
    const run = this.runs.start({ command: decision.command, sourceKind: 'task', claim: { pid: e.processId }, origin: `task "${task.name}"`,
      processes: { pid: e.processId },
    });
    if (!run) return;
    entry.run = run;
    const script = decision.command.scriptPath ? path.basename(decision.command.scriptPath) : undefined;
    entry.cancelOutputWait = this.rendezvous.expect(
      (commandLine) => {
        const shown = taskCommandText(commandLine);
        return shown !== undefined && (sameCommandText(shown, text) || (script !== undefined && shown.includes(script)));
      },
      (tap) => {
        entry.tap = tap;
        tap.attach((chunk) => run.output(chunk));
      },
      TERMINAL_COMMAND_WAIT_MS,
    );
  }

  private async ended(e: vscode.TaskProcessEndEvent): Promise<void> {
    const entry = this.tasks.get(e.execution);
    if (!entry) return;
    this.tasks.delete(e.execution);
    entry.cancelOutputWait();
    entry.removeDecline?.();
    if (!entry.run) return;
    if (entry.tap) await entry.tap.drained();
    // The exit code is undefined when the task was terminated.
    await entry.run.end(e.exitCode === undefined ? { killed: true } : { exitCode: e.exitCode });
  }
}

/**
 * What a task runs, as a decision maker over the watch rules plus the command text VS Code shows
 * for it; undefined for tasks without a process (custom executions) or with unresolvable variables.
 */
function describeTask(task: vscode.Task, root: string): ((rules: Parameters<typeof decideArgv>[3]) => { decision: WatchDecision; text: string }) | undefined {
  const execution = task.execution;
  const folder = typeof task.scope === 'object' && task.scope ? task.scope.uri.fsPath : root;
  const active = vscode.window.activeTextEditor?.document.uri;
  const values: LaunchVariableValues = { workspaceFolder: folder, file: active?.scheme === 'file' ? active.fsPath : undefined, env: process.env };
  const resolve = (s: string) => resolveLaunchVariables(s, values);
  if (execution instanceof vscode.ShellExecution || execution instanceof vscode.ProcessExecution) {
    const cwd = execution.options?.cwd ? resolve(execution.options.cwd) : folder;
    if (cwd === undefined) return undefined;
    const absCwd = path.resolve(folder, cwd);
    const envNames = Object.keys(execution.options?.env ?? {});
    const withEnv = (decision: WatchDecision): WatchDecision => {
      if (decision.kind === 'run') decision.command.envNames = [...decision.command.envNames, ...envNames];
      return decision;
    };
    if (execution instanceof vscode.ShellExecution && execution.commandLine !== undefined) {
      const line = resolve(execution.commandLine);
      if (line === undefined) return undefined;
      return (rules) => ({ decision: withEnv(decideCommandLine(line, absCwd, root, rules)), text: line });
    }
    const program = execution instanceof vscode.ProcessExecution ? execution.process : execution.command;
    const args = execution.args ?? [];
    if (program === undefined) return undefined;
    const words = [program, ...args].map((w) => resolve(typeof w === 'string' ? w : w.value));
    if (words.some((w) => w === undefined) || !words[0]) return undefined;
    const argv = words as string[];
    return (rules) => ({ decision: withEnv(decideArgv(argv, absCwd, root, rules)), text: argv.join(' ') });
  }
  return undefined;
}

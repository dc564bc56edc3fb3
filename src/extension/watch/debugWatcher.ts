import * as path from 'node:path';
import * as vscode from 'vscode';
import { isStopRequest, PYTHON_DEBUG_TYPES, pythonLaunchCommand, readAdapterMessage } from '../../core/capture/debugLaunch';
import { isRunId, newRunId } from '../../core/capture/runId';
import { prependPythonPath } from '../../core/pythonClient/pythonPath';
import { decideArgv, type WatchDecision } from '../../core/capture/watchedCommand';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { OutputRendezvous, OutputTap } from './outputRouting';
import type { WatchedRun, WatchedRuns } from './watchedRuns';
import type { WatchSettings } from './watchSettings';

/** File names of Python scripts inside a (possibly quoted) argument. */
const SCRIPT_NAME = /([^\s'"\\/]+\.pyw?)(?=$|[\s'"\\])/gi;
/** How long after the adapter asks for a terminal the command may take to show up there. */
const TERMINAL_COMMAND_WAIT_MS = 15_000;

interface SessionState {
  run?: WatchedRun;
  /** The file name of the program's script, once the session's run is known. */
  scriptName?: string;
  exitCode?: number;
  stopRequested: boolean;
  /** Output that came before the session's run was set up. */
  early: Array<{ text: string; stream: 'stdout' | 'stderr' }>;
  cancelTerminalWait?: () => void;
  /** The terminal command bringing the program's output, when the adapter runs it in a terminal. */
  tap?: OutputTap;
}

/**
 * Python launch configurations (Run and Debug, F5, Run Without Debugging) as runs: the
 * configuration is given `EXPTRACK_RUN_ID` and `EXPTRACK_DIR` before it starts, so the Python
 * client in the program joins the run, and the bundled client first on PYTHONPATH; the debug adapter's messages bring the output (or, for a
 * program run in the integrated terminal, that terminal does) and the exit code.
 */
export class DebugWatcher extends Disposable {
  private readonly sessions = new Map<string, SessionState>();
  /** Run ids of launches whose PYTHONPATH only ExpTrack set: not one of the user's variables. */
  private readonly ownPythonPath = new Set<string>();

  constructor(
    /** `<extensionPath>/python`, put first on the PYTHONPATH of recorded launches. */
    private readonly clientDir: string,
    private readonly settings: WatchSettings,
    private readonly runs: WatchedRuns,
    private readonly rendezvous: OutputRendezvous,
    private readonly log: Log,
  ) {
    super();
    for (const type of PYTHON_DEBUG_TYPES) {
      this.register(vscode.debug.registerDebugConfigurationProvider(type, {
        resolveDebugConfigurationWithSubstitutedVariables: (folder, config) => this.addRunEnvironment(folder, config),
      }));
      this.register(vscode.debug.registerDebugAdapterTrackerFactory(type, {
        createDebugAdapterTracker: (session) => this.tracker(session),
      }));
    }
    this.register(vscode.debug.onDidStartDebugSession((s) => this.started(s)));
    this.register(vscode.debug.onDidTerminateDebugSession((s) => void this.terminated(s)));
  }

  /**
   * Gives a launch that will be recorded its run id and the bundled client through the environment.
   * PYTHONPATH builds on the configuration's own (which the Python debugger resolves from `env`,
   * the `.env` file and VS Code's environment when it runs first), else on VS Code's.
   */
  private addRunEnvironment(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration {
    const decision = this.settings.current.debug ? this.decide(folder, config) : undefined;
    // The run is written into the folder holding the program, where the client must join it.
    const exptrackDir = decision?.kind === 'run' ? this.runs.folderOf(decision.command)?.exptrackDir : undefined;
    if (!exptrackDir) return config;
    const env = config.env && typeof config.env === 'object' && !Array.isArray(config.env) ? config.env : {};
    if (typeof env.EXPTRACK_RUN_ID === 'string' && isRunId(env.EXPTRACK_RUN_ID)) return config; // resolved twice (type renamed)
    // The run's start events are written once the session has started: the client waits for them.
    const runId = newRunId();
    if (typeof env.PYTHONPATH !== 'string') this.ownPythonPath.add(runId);
    const pythonPath = prependPythonPath(typeof env.PYTHONPATH === 'string' ? env.PYTHONPATH : process.env.PYTHONPATH, this.clientDir);
    return { ...config, env: { ...env, EXPTRACK_RUN_ID: runId, EXPTRACK_DIR: exptrackDir, EXPTRACK_RUN_STARTING: '1', PYTHONPATH: pythonPath } };
  }

  private decide(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): WatchDecision | undefined {
    const root = folder?.uri.fsPath ?? this.runs.rootFor();
    const launch = pythonLaunchCommand(config, root);
    if (!launch) return undefined;
    const decision = decideArgv(launch.argv, launch.cwd, this.runs.rootFor(launch.cwd), this.settings.current.rules, { pythonInterpreter: true });
    if (decision.kind === 'run') decision.command.envNames = launch.envNames;
    return decision;
  }

  private state(session: vscode.DebugSession): SessionState {
    let state = this.sessions.get(session.id);
    if (!state) this.sessions.set(session.id, (state = { stopRequested: false, early: [] }));
    return state;
  }

  private tracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    if (!this.settings.current.debug || session.configuration.request !== 'launch') return undefined;
    const state = this.state(session);
    return {
      onDidSendMessage: (message: unknown) => {
        const meaning = readAdapterMessage(message);
        if (!meaning) return;
        if (meaning.kind === 'exited') state.exitCode = meaning.exitCode;
        else if (meaning.kind === 'output') {
          if (state.run) state.run.output(meaning.text, meaning.stream);
          else state.early.push({ text: meaning.text, stream: meaning.stream });
        } else this.expectTerminalCommand(state, meaning.args);
      },
      onWillReceiveMessage: (message: unknown) => {
        // The editor disconnects after every session; only a stop before the program's exit counts.
        if (isStopRequest(message) && state.exitCode === undefined) state.stopRequested = true;
      },
    };
  }

  /**
   * The adapter runs the program in a terminal: the terminal command that names the program's
   * script (as the run knows it, or as the adapter's arguments show it) brings the run's output.
   */
  private expectTerminalCommand(state: SessionState, args: string[]): void {
    const named = args.flatMap((a) => [...a.matchAll(SCRIPT_NAME)].map((m) => m[1]!));
    state.cancelTerminalWait?.();
    state.cancelTerminalWait = this.rendezvous.expect(
      (commandLine) => [state.scriptName, ...named].some((name) => name !== undefined && commandLine.includes(name)),
      (tap) => {
        state.tap = tap;
        tap.attach((chunk) => state.run?.output(chunk));
      },
      TERMINAL_COMMAND_WAIT_MS,
    );
  }

  private started(session: vscode.DebugSession): void {
    const config = session.configuration;
    if (!this.settings.current.debug || session.parentSession || config.request !== 'launch') return;
    const decision = this.decide(session.workspaceFolder, config);
    if (!decision) return;
    if (decision.kind !== 'run') {
      this.log.info(`debug session "${session.name}" not recorded: ${decision.reason}`);
      return;
    }
    const given = config.env?.EXPTRACK_RUN_ID;
    const runId = typeof given === 'string' && isRunId(given) ? given : undefined;
    if (runId && this.ownPythonPath.delete(runId)) decision.command.envNames = decision.command.envNames.filter((name) => name !== 'PYTHONPATH');
    const state = this.state(session);
    if (decision.command.scriptPath) state.scriptName = path.basename(decision.command.scriptPath);
    // Without a run id in its environment (another provider replaced the configuration), the
    // client in the program can still find the run through a claim.
    state.run = this.runs.start({
      command: decision.command, sourceKind: 'debug', runId, claim: runId ? undefined : {}, origin: `debug session "${session.name}"`,
      // The debug adapter's launcher and the program carry the run id in their environment.
      processes: runId ? { envName: 'EXPTRACK_RUN_ID', envValue: runId } : undefined,
    });
    for (const { text, stream } of state.early.splice(0)) state.run?.output(text, stream);
  }

  private async terminated(session: vscode.DebugSession): Promise<void> {
    const state = this.sessions.get(session.id);
    this.sessions.delete(session.id);
    if (!state?.run) return;
    state.cancelTerminalWait?.();
    // The session can end before the terminal has delivered the program's last lines (its metrics).
    await state.tap?.drained();
    // Stopped by the user, or gone without the program reporting an exit: killed.
    const killed = state.stopRequested || state.exitCode === undefined;
    await state.run.end(killed ? { killed: true, exitCode: state.exitCode ?? null } : { exitCode: state.exitCode });
  }
}

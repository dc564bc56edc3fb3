import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExternalRunEndInput } from '../../core/capture/externalRun';
import { newRunId } from '../../core/capture/runId';
import { removeClaim, removeStaleClaims, writeClaim } from '../../core/capture/runClaims';
import type { WatchedCommand } from '../../core/capture/watchedCommand';
import { ensureExptrackLayout } from '../../core/exptrackDir';
import type { SourceKind } from '../../shared/runEvents';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { loadDeferred } from '../startup/loadDeferred';
import type { IndexFeed } from '../store/runIndex';
import type { WatchSettings } from './watchSettings';

/** Claims older than this are left over from a window that closed mid-run. */
const STALE_CLAIM_MS = 10 * 60_000;

export interface WatchedRunStart {
  command: WatchedCommand;
  sourceKind: Extract<SourceKind, 'terminal' | 'debug' | 'task'>;
  /** A run id chosen beforehand (a debug session's environment carries it). */
  runId?: string;
  /** Writes a claim so the Python client inside the process joins this run; `pid` is the shell or task process. */
  claim?: { pid?: number };
  /** Says where the run came from, in the log. */
  origin: string;
}

/** A run being recorded for a process someone else started. */
export interface WatchedRun {
  readonly runId: string;
  output(chunk: string, stream?: 'stdout' | 'stderr'): void;
  end(how: ExternalRunEndInput): Promise<void>;
}

/**
 * Starts and ends the runs the terminal, debug and task watchers see, with their claims, and
 * keeps the run index current while they run. Runs still going when the window closes end as killed.
 */
export class WatchedRuns extends Disposable {
  private readonly active = new Set<WatchedRun>();

  constructor(
    private readonly exptrackDir: string,
    private readonly workspaceRoot: string,
    private readonly settings: WatchSettings,
    private readonly index: IndexFeed,
    private readonly log: Log,
  ) {
    super();
    removeStaleClaims(exptrackDir, STALE_CLAIM_MS);
    this.register({ dispose: () => {
      for (const run of [...this.active]) void run.end({ killed: true });
    } });
  }

  /** Starts recording; undefined (logged) when the run's directory cannot be made. */
  start(spec: WatchedRunStart): WatchedRun | undefined {
    const config = this.settings.current;
    const startedMs = Date.now();
    const runId = spec.runId ?? newRunId(new Date(startedMs));
    const eventsFile = path.join(this.exptrackDir, 'runs', runId, 'events.jsonl');
    const { command } = spec;
    try {
      ensureExptrackLayout(this.exptrackDir); // one line says why a read-only folder records nothing
    } catch (e) {
      this.log.error(`could not record ${spec.origin} ${command.argv.join(' ')}: ${(e as Error).message}`);
      return undefined;
    }
    let claimFile: string | undefined;
    if (spec.claim) {
      // First, before the git state is read: the client inside the process is already starting.
      try {
        claimFile = writeClaim(this.exptrackDir, {
          runId, cwd: command.cwd, started: startedMs / 1000,
          ...(command.scriptPath ? { script: command.scriptPath } : {}),
          ...(command.training.module ? { module: command.training.module } : {}),
          ...(spec.claim.pid !== undefined ? { pid: spec.claim.pid } : {}),
        });
      } catch (e) {
        this.log.warn(`could not write the claim of run ${runId} (a Python client in it may start a run of its own): ${(e as Error).message}`);
      }
    }
    let external;
    try {
      external = loadDeferred().startExternalRun({
        exptrackDir: this.exptrackDir, workspaceRoot: this.workspaceRoot, command: command.argv, cwd: command.cwd,
        sourceKind: spec.sourceKind, runId, startedMs, envNames: command.envNames, experiment: config.experiment,
        stdoutPatterns: config.stdoutPatterns,
        onEvent: () => void this.index.ingestSoon([eventsFile]),
        onError: (e) => this.log.warn(`run ${runId}: ${e.message}`),
      });
    } catch (e) {
      if (claimFile) removeClaim(claimFile);
      this.log.error(`could not record ${spec.origin} ${command.argv.join(' ')}: ${(e as Error).message}`);
      return undefined;
    }
    this.log.info(`run ${runId} started from ${spec.origin}: ${command.argv.join(' ')}`);
    void external.started.then(() => this.index.ingestSoon([eventsFile]));
    const run: WatchedRun = {
      runId,
      output: (chunk, stream) => external.output(chunk, stream),
      end: async (how) => {
        if (external.ended) return;
        this.active.delete(run);
        const end = await external.end(how);
        if (claimFile) removeClaim(claimFile);
        this.log.info(`run ${runId} ${end.status}${end.exitCode !== null ? ` (exit ${end.exitCode})` : ''}`);
        await this.index.ingestSoon([eventsFile]);
      },
    };
    this.active.add(run);
    return run;
  }

  /**
   * Tells a Python client starting under `pid` (in `cwd`) that its command is not recorded, so it
   * does not wait for a claim. Returns the function that removes the note again.
   */
  decline(cwd: string, pid: number | undefined): () => void {
    // A command that is not recorded is no reason to make .exptrack/: the client then waits its short while.
    if (!fs.existsSync(this.exptrackDir)) return () => undefined;
    try {
      const file = writeClaim(this.exptrackDir, { runId: null, cwd, started: Date.now() / 1000, ...(pid !== undefined ? { pid } : {}) });
      return () => removeClaim(file);
    } catch {
      return () => undefined; // the client then waits its short while and starts its own run
    }
  }

  /** The workspace root, where relative paths and the default working directory start. */
  get root(): string {
    return this.workspaceRoot;
  }
}

/**
 * `exptrack mlflow push [RUN…] [--all] [--uri URI] [--experiment NAME] [--models | --model NAME] [--json]`
 * `exptrack mlflow pull [--experiment NAME] [--uri URI] [--models | --model NAME] [--json]`
 *
 * Sync with an MLflow tracking server. The URI comes from --uri or MLFLOW_TRACKING_URI, the
 * credentials from MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD,
 * as for MLflow's own client. Pushing again sends only what is new; an interrupted push (Ctrl-C
 * stops after the batch in flight) continues where it stopped. Exit codes: 0 done, 1 some runs
 * failed or were cancelled, 2 the server could not be used (unreachable, refused credentials…).
 */
import { parseArgs, UsageError } from '../args';
import { formatProblem, type CliContext, type CliIo } from '../cliContext';
import { jsonReplacer } from '../../shared/format';
import { localRunsOfStore, type SyncProgress } from '../../core/mlflowSync/localRuns';
import { MlflowError } from '../../core/mlflowSync/mlflowErrors';
import type { ModelSyncReport } from '../../core/mlflowSync/registrySync';
import { pullSession, pushSession } from '../../core/mlflowSync/syncSession';
import { SyncBusyError } from '../../core/mlflowSync/syncState';
import { trackingServerFromEnv, TrackingUriError } from '../../core/mlflowSync/trackingServer';
import { findRuns } from './show';

export async function mlflowCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'push') return push(rest, io, ctx);
  if (sub === 'pull') return pull(rest, io, ctx);
  throw new UsageError(sub ? `unknown mlflow command "${sub}" (push or pull)` : 'mlflow needs push or pull');
}

function serverOf(uri: string | undefined) {
  try {
    return trackingServerFromEnv(uri);
  } catch (e) {
    if (e instanceof TrackingUriError) throw new UsageError(`${e.message}; give --uri or set MLFLOW_TRACKING_URI`);
    throw e;
  }
}

/** Progress lines on stderr (at most one a second), and Ctrl-C as "stop after this batch". */
function cliProgress(io: CliIo): { progress: SyncProgress; dispose(): void } {
  let cancelled = false;
  let last = 0;
  const onSigint = () => {
    if (cancelled) process.exit(130);
    cancelled = true;
    io.stderr('stopping after the batch in flight (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSigint);
  return {
    progress: {
      get cancelled() {
        return cancelled;
      },
      report(message) {
        const now = Date.now();
        if (now - last < 1000) return;
        last = now;
        io.stderr(`${message}\n`);
      },
    },
    dispose: () => process.off('SIGINT', onSigint),
  };
}

async function push(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { options: ['uri', 'experiment', 'model'], flags: ['all', 'models', 'json', 'no-ingest'] });
  if (a.positionals.length === 0 && !a.flags.has('all') && !a.flags.has('models')) throw new UsageError('mlflow push needs RUN… (ids, id prefixes or names), --all or --models');
  const server = serverOf(a.options.get('uri'));
  const store = await ctx.openStore();
  const cli = cliProgress(io);
  try {
    if (!a.flags.has('no-ingest')) store.ingest();
    const runs = store.listRuns({ includeHidden: false });
    let uids: string[];
    if (a.flags.has('all')) uids = runs.filter((r) => r.sourceKind !== 'mlflow-server').map((r) => r.uid);
    else {
      uids = [];
      for (const q of a.positionals) {
        const found = findRuns(store.listRuns({ includeHidden: true }), q);
        if (found.length !== 1) {
          io.stderr(found.length === 0 ? `no run matches "${q}"\n` : `"${q}" matches ${found.length} runs: ${found.map((r) => r.uid).join(', ')}\n`);
          return 1;
        }
        uids.push(found[0]!.uid);
      }
    }
    const modelName = a.options.get('model');
    const report = await pushSession({
      workspaceRoot: ctx.workspaceRoot, server, local: localRunsOfStore(store), runUids: [...new Set(uids)], experiment: a.options.get('experiment'),
      models: a.flags.has('models') || modelName !== undefined, modelNames: modelName ? [modelName] : undefined, progress: cli.progress,
    });
    store.save();
    if (report.stateSetAside) io.stderr(`warning: the sync state was unreadable and was moved to ${report.stateSetAside}; the server's run tags are used instead\n`);
    for (const w of [...report.warnings, ...(report.models?.warnings ?? []), ...(report.models?.runs?.warnings ?? [])]) io.stderr(`warning: ${w}\n`);
    if (a.flags.has('json')) io.stdout(JSON.stringify(report, jsonReplacer, 2) + '\n');
    else {
      for (const r of [...report.runs, ...(report.models?.runs?.runs ?? [])]) {
        const what = r.error ? `FAILED: ${r.error}` : r.skipped ? `skipped (${r.skipped})`
          : `${r.remote} ${r.remoteRunId}: ${r.points} points, ${r.params} params, ${r.tags} tags${r.artifacts.length ? `, ${r.artifacts.join(', ')}` : ''}`;
        io.stdout(`${r.uid}  ${r.name}  ${what}\n`);
      }
      if (report.models) io.stdout(describeModels(report.models));
      io.stdout(`${report.cancelled ? 'cancelled: ' : ''}${report.points} points in ${report.batches} batches to ${server.uri}${report.cancelled ? ' (push again to continue)' : ''}\n`);
    }
    return report.cancelled || report.runs.some((r) => r.error) ? 1 : 0;
  } catch (e) {
    return serverFailure(e, io, 'push');
  } finally {
    cli.dispose();
    store.close();
  }
}

async function pull(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { options: ['uri', 'experiment', 'model'], flags: ['models', 'json'] });
  const experiment = a.options.get('experiment');
  const modelName = a.options.get('model');
  const models = a.flags.has('models') || modelName !== undefined;
  if (!experiment && !models) throw new UsageError('mlflow pull needs --experiment NAME (and/or --models)');
  if (a.positionals.length) throw new UsageError(`unexpected argument "${a.positionals[0]}"`);
  const server = serverOf(a.options.get('uri'));
  const store = await ctx.openStore();
  const cli = cliProgress(io);
  try {
    if (models) store.ingest();
    const report = await pullSession({
      workspaceRoot: ctx.workspaceRoot, server, experiment, local: localRunsOfStore(store), models, modelNames: modelName ? [modelName] : undefined, progress: cli.progress,
    });
    const ingest = store.ingest(report.files);
    store.save();
    for (const p of ingest.problems) io.stderr(formatProblem(p) + '\n');
    for (const w of [...report.warnings, ...(report.models?.warnings ?? [])]) io.stderr(`warning: ${w}\n`);
    if (a.flags.has('json')) io.stdout(JSON.stringify(report, jsonReplacer, 2) + '\n');
    else {
      for (const r of report.runs) io.stdout(`${r.uid}  ${r.name}  ${r.outcome}${r.reason ? ` (${r.reason})` : ''}${r.points ? `: ${r.points} points` : ''}\n`);
      if (report.models) io.stdout(describeModels(report.models));
      if (experiment) {
        const counts = (o: string) => report.runs.filter((r) => r.outcome === o).length;
        io.stdout(`${report.cancelled ? 'cancelled: ' : ''}${experiment}: ${counts('new')} new, ${counts('updated')} updated, ${counts('unchanged')} unchanged, ${counts('skipped')} pushed from here\n`);
      }
    }
    return report.cancelled ? 1 : 0;
  } catch (e) {
    return serverFailure(e, io, 'pull');
  } finally {
    cli.dispose();
    store.close();
  }
}

function describeModels(r: ModelSyncReport): string {
  const lines: string[] = [];
  for (const m of r.models) {
    for (const v of m.versions) lines.push(`model ${m.name} v${v.local} ↔ MLflow version ${v.remote}: ${v.outcome}`);
    for (const al of m.aliases) lines.push(`model ${m.name} alias "${al.alias}" → version ${al.version}: ${al.outcome}`);
  }
  return lines.length ? lines.join('\n') + '\n' : 'models: nothing to change\n';
}

function serverFailure(e: unknown, io: CliIo, what: string): number {
  if (e instanceof MlflowError || e instanceof SyncBusyError) {
    io.stderr(`exptrack mlflow ${what}: ${e.message}\nnothing local was changed; what was sent before is recorded, so the next ${what} continues from there\n`);
    return 2;
  }
  throw e;
}

/**
 * Pull: an experiment's runs from an MLflow tracking server into the workspace, as run-event logs
 * under `.exptrack/runs/mlflow-<remote run id>/` (see pulledRunLog.ts), with `stdout.log` and
 * `code.patch` when the run has them as artifacts. The caller ingests the files it returns.
 * Runs this workspace pushed to the server are not pulled back: they are here already.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventsPath, runDir } from '../exptrackDir';
import type { SyncProgress } from './localRuns';
import { SILENT_PROGRESS } from './localRuns';
import { MlflowError } from './mlflowErrors';
import type { WireMetric, WireRun } from './mlflowTypes';
import { wireInt } from './mlflowTypes';
import { appendPulledEvents, missingEvents, pulledRunUid, readPulledRun } from './pulledRunLog';
import { serverProxiesArtifacts, type MlflowRestClient } from './restClient';
import { RUN_ARTIFACT_FILES } from './pushRuns';
import { RUN_ID_TAG } from './runTags';
import type { SyncStateStore } from './syncState';
import { runPageUri } from './trackingServer';

export interface PullOptions {
  client: MlflowRestClient;
  state: SyncStateStore;
  exptrackDir: string;
  experiment: string;
  progress?: SyncProgress;
}

export interface PulledRunReport {
  remoteRunId: string;
  uid: string;
  name: string;
  outcome: 'new' | 'updated' | 'unchanged' | 'skipped';
  events: number;
  points: number;
  reason?: string;
}

export interface PullReport {
  experimentId: string;
  runs: PulledRunReport[];
  /** Files written (events.jsonl and artifacts): what the index must read. */
  files: string[];
  warnings: string[];
  cancelled: boolean;
}

export async function pullRuns(opts: PullOptions): Promise<PullReport> {
  const progress = opts.progress ?? SILENT_PROGRESS;
  const { client } = opts;
  const experiment = await client.getExperimentByName(opts.experiment);
  if (!experiment) throw new MlflowError('not-found', `${client.server.uri} has no experiment named "${opts.experiment}"${await experimentHint(client)}`);
  const server = opts.state.server(client.server.uri);
  const report: PullReport = { experimentId: experiment.experiment_id, runs: [], files: [], warnings: [], cancelled: false };

  progress.report(`listing the runs of ${opts.experiment}`);
  const runs: WireRun[] = [];
  let token: string | undefined;
  do {
    const page = await client.searchRuns({ experimentIds: [experiment.experiment_id], pageToken: token });
    runs.push(...page.items);
    token = page.nextPageToken;
  } while (token);

  for (const [i, listed] of runs.entries()) {
    if (progress.cancelled) {
      report.cancelled = true;
      break;
    }
    const remoteRunId = listed.info.run_id;
    const uid = pulledRunUid(remoteRunId);
    const name = listed.info.run_name ?? remoteRunId;
    progress.report(`${name} (run ${i + 1} of ${runs.length})`, i, runs.length);
    const ownUid = listed.data?.tags?.find((t) => t.key === RUN_ID_TAG)?.value;
    if (ownUid !== undefined && server.runs[ownUid]?.remoteRunId === remoteRunId) {
      report.runs.push({ remoteRunId, uid: ownUid, name, outcome: 'skipped', events: 0, points: 0, reason: 'pushed from this workspace' });
      continue;
    }
    // runs/search lists each metric's latest value: the keys whose history to fetch.
    const histories = new Map<string, WireMetric[]>();
    for (const key of new Set((listed.data?.metrics ?? []).map((m) => m.key))) {
      histories.set(key, await client.getMetricHistory(remoteRunId, key));
    }
    const file = eventsPath(opts.exptrackDir, uid);
    const content = readPulledRun(file);
    const events = missingEvents(content, {
      run: listed, experimentName: experiment.name, pageUri: runPageUri(client.server, experiment.experiment_id, remoteRunId), histories,
    });
    const points = events.filter((e) => e.t === 'metrics').length;
    if (events.length > 0) report.files.push(appendPulledEvents(opts.exptrackDir, uid, events));
    report.runs.push({ remoteRunId, uid, name, outcome: events.length === 0 ? 'unchanged' : content.hasStart ? 'updated' : 'new', events: events.length, points });
    server.pulled[remoteRunId] = uid;
    opts.state.save();
    await pullArtifacts(client, listed, runDir(opts.exptrackDir, uid), report);
  }
  return report;
}

/** Downloads the run's stdout.log and code.patch when the server proxies its artifacts and the local copy differs in size. */
async function pullArtifacts(client: MlflowRestClient, run: WireRun, dir: string, report: PullReport): Promise<void> {
  if (!serverProxiesArtifacts(run.info.artifact_uri)) return;
  let listed;
  try {
    listed = await client.listArtifacts(run.info.run_id);
  } catch (e) {
    if (e instanceof MlflowError && (e.kind === 'auth' || e.kind === 'unreachable')) throw e;
    report.warnings.push(`${run.info.run_name ?? run.info.run_id}: artifacts not listed: ${(e as Error).message}`);
    return;
  }
  for (const name of RUN_ARTIFACT_FILES) {
    const remote = listed.find((f) => f.path === name && !f.is_dir);
    if (!remote) continue;
    const local = path.join(dir, name);
    const size = wireInt(remote.file_size);
    if (size !== undefined && fs.existsSync(local) && fs.statSync(local).size === size) continue;
    try {
      const bytes = await client.downloadArtifact(run.info.artifact_uri!, name);
      const tmp = `${local}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, bytes);
      fs.renameSync(tmp, local);
      report.files.push(local);
    } catch (e) {
      if (e instanceof MlflowError && (e.kind === 'auth' || e.kind === 'unreachable')) throw e;
      report.warnings.push(`${run.info.run_name ?? run.info.run_id}: ${name} not downloaded: ${(e as Error).message}`);
    }
  }
}

/** Experiment names the server does have, for the not-found message. */
async function experimentHint(client: MlflowRestClient): Promise<string> {
  try {
    const names = (await client.searchExperiments()).items.map((e) => e.name);
    return names.length ? `; it has: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}` : '';
  } catch {
    return '';
  }
}

/** Names of the server's active experiments, for pickers. */
export async function listExperimentNames(client: MlflowRestClient): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.searchExperiments(token);
    names.push(...page.items.map((e) => e.name));
    token = page.nextPageToken;
  } while (token);
  return names.sort((a, b) => a.localeCompare(b));
}

/**
 * Push: local runs to an MLflow tracking server. For each run: find or create its experiment and
 * its remote run (tagged `exptrack.run_id`), send the params, tags and metric points the server
 * does not have yet in log-batch requests within MLflow's limits, upload `code.patch` and
 * `stdout.log` when the server proxies artifacts, and set the status and end time last (so a run
 * only shows finished on the server once all of it is there).
 *
 * Progress is recorded in the sync state after every accepted batch. A run whose push was
 * interrupted (killed, cancelled, a server error) is marked incomplete; the next push compares
 * its unsent metrics with the server's history before sending, so nothing is sent twice.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricPoint, RunDetail } from '../../shared/runTypes';
import { LOG_BATCH_LIMITS, planLogBatches, type BatchLimits, type LogBatch } from './logBatches';
import type { LocalRuns, SyncProgress } from './localRuns';
import { SILENT_PROGRESS } from './localRuns';
import { MlflowError, SyncCancelled } from './mlflowErrors';
import type { WireKeyValue, WireMetric, WireRun, WireRunStatus } from './mlflowTypes';
import { serverProxiesArtifacts, type MlflowRestClient } from './restClient';
import { RUN_ID_TAG, runTagsFor } from './runTags';
import type { PushedRun, ServerSyncState, SyncStateStore } from './syncState';
import {
  isValidMlflowKey, localPointIdentity, paramToWire, secondsToMs, toWireMetric, wireMetricIdentity,
} from './wireValues';

export const MAX_PARAM_VALUE_CHARS = 6000;
export const MAX_TAG_VALUE_CHARS = 8000;
/** Files of a run's folder sent as artifacts, and the size above which they are left out. */
export const RUN_ARTIFACT_FILES = ['code.patch', 'stdout.log'] as const;
export const MAX_ARTIFACT_BYTES = 200 * 1024 * 1024;

export interface PushOptions {
  client: MlflowRestClient;
  state: SyncStateStore;
  local: LocalRuns;
  workspaceRoot: string;
  runUids: string[];
  /** Push every run into this experiment instead of the run's own. */
  experiment?: string;
  progress?: SyncProgress;
  /** Tests make batches smaller. */
  limits?: BatchLimits;
}

export interface PushedRunReport {
  uid: string;
  name: string;
  remoteRunId: string | null;
  experimentId: string | null;
  /** created: a new remote run; adopted: found on the server by its exptrack.run_id tag; existing: known from the state. */
  remote: 'created' | 'adopted' | 'existing' | null;
  points: number;
  params: number;
  tags: number;
  artifacts: string[];
  /** Why nothing was sent (pulled from this server, not in the index) or what failed. */
  skipped?: string;
  error?: string;
}

export interface PushReport {
  runs: PushedRunReport[];
  warnings: string[];
  points: number;
  batches: number;
  cancelled: boolean;
}

const ENDED: Record<string, WireRunStatus> = { finished: 'FINISHED', failed: 'FAILED', killed: 'KILLED' };

export async function pushRuns(opts: PushOptions): Promise<PushReport> {
  const progress = opts.progress ?? SILENT_PROGRESS;
  const server = opts.state.server(opts.client.server.uri);
  const report: PushReport = { runs: [], warnings: [], points: 0, batches: 0, cancelled: false };
  const pulledUids = new Set(Object.values(server.pulled));
  const total = opts.runUids.length;
  for (const [i, uid] of opts.runUids.entries()) {
    if (progress.cancelled) {
      report.cancelled = true;
      break;
    }
    const detail = await opts.local.getRun(uid);
    const entry: PushedRunReport = { uid, name: detail?.name ?? uid, remoteRunId: null, experimentId: null, remote: null, points: 0, params: 0, tags: 0, artifacts: [] };
    report.runs.push(entry);
    if (!detail) {
      entry.skipped = 'not in the index';
      continue;
    }
    if (pulledUids.has(uid)) {
      entry.skipped = 'pulled from this server';
      continue;
    }
    const label = total > 1 ? `${detail.name} (run ${i + 1} of ${total})` : detail.name;
    progress.report(label, i, total);
    try {
      const pusher = new RunPusher(opts, server, detail, entry, report, (sent, of) => {
        progress.report(`${label}: ${sent.toLocaleString('en-US')} of ${of.toLocaleString('en-US')} points`, i + (of > 0 ? sent / of : 1), total);
      });
      await pusher.push(progress);
    } catch (e) {
      if (e instanceof SyncCancelled) {
        report.cancelled = true;
        break;
      }
      // Nothing more will work without a server or credentials: stop with the error itself.
      if (!(e instanceof MlflowError) || e.kind === 'auth' || e.kind === 'unreachable' || e.kind === 'limit') throw e;
      entry.error = e.message;
    }
  }
  return report;
}

/** Points read from the index at a time while a run is pushed. */
const POINTS_PAGE = 50_000;

/** The per-key bookkeeping of metric points while a run is pushed. */
interface KeyPlan {
  /** 'suffix': the state's count is a prefix of the local points, the rest is new; 'diff': compared with the server. */
  mode: 'suffix' | 'diff';
  /** The first point that may need sending. */
  from: number;
  /** Points the server has of this key, in the state's terms (suffix mode), and their running hash. */
  count: number;
  hash: Hash;
  total: number;
  allDigest: string;
  /** The server's points not yet matched (diff mode). */
  onServer?: Map<string, number>;
  /** Points of the pending list already sent. */
  sentNow: number;
}

class RunPusher {
  constructor(
    private readonly opts: PushOptions,
    private readonly server: ServerSyncState,
    private readonly run: RunDetail,
    private readonly entry: PushedRunReport,
    private readonly report: PushReport,
    private readonly onPoints: (sent: number, of: number) => void,
  ) {}

  private get client(): MlflowRestClient {
    return this.opts.client;
  }

  private warn(message: string): void {
    this.report.warnings.push(`${this.run.name} (${this.run.uid}): ${message}`);
  }

  async push(progress: SyncProgress): Promise<void> {
    const { rec, reconcile } = await this.remoteRun();
    rec.incomplete = true;
    this.opts.state.save();
    const fallbackMs = secondsToMs(this.run.started ?? 0);
    const limits = this.opts.limits ?? LOG_BATCH_LIMITS;

    for (const batch of planLogBatches(this.newParams(rec), this.newTags(rec), [], limits)) {
      this.checkCancelled(progress);
      await this.send(rec, batch);
    }
    // Metric by metric, page by page: a run of 10M points never has them all as objects at once.
    const of = this.run.metrics.reduce((n, m) => n + m.count, 0);
    let seen = 0;
    for (const summary of this.run.metrics) {
      const key = summary.key;
      if (!isValidMlflowKey(key)) {
        this.warn(`metric "${key}" not sent: MLflow names may only hold letters, digits, _ - . / : and spaces`);
        continue;
      }
      const plan = await this.planKey(rec, key, fallbackMs, reconcile);
      let pending: WireMetric[] = [];
      let pendingIds: string[] = [];
      const flush = async () => {
        for (const batch of planLogBatches([], [], pending, limits)) {
          this.checkCancelled(progress);
          await this.send(rec, batch);
          for (let i = 0; i < batch.metrics.length; i++) plan.hash.update(pendingIds[plan.sentNow + i]! + '\n');
          plan.sentNow += batch.metrics.length;
          plan.count += batch.metrics.length;
          if (plan.mode === 'suffix') rec.metrics[key] = { count: plan.count, digest: plan.hash.copy().digest('hex') };
          this.opts.state.save();
          this.onPoints(seen, of);
        }
        pending = [];
        pendingIds = [];
        plan.sentNow = 0;
      };
      await this.eachPoint(key, plan.from, async (p, i) => {
        seen = Math.max(seen, i);
        const id = localPointIdentity(p, fallbackMs);
        if (plan.onServer) {
          const left = plan.onServer.get(id) ?? 0;
          if (left > 0) {
            plan.onServer.set(id, left - 1);
            return;
          }
        }
        pending.push(toWireMetric(key, p, fallbackMs));
        pendingIds.push(id);
        if (pending.length >= limits.metrics) await flush();
      });
      await flush();
      // A key compared with the server is complete only once every batch of it went through.
      rec.metrics[key] = { count: plan.total, digest: plan.allDigest };
      this.opts.state.save();
    }

    this.checkCancelled(progress);
    await this.uploadArtifacts(rec);
    await this.updateStatus(rec);
    rec.incomplete = false;
    this.opts.state.save();
  }

  private checkCancelled(progress: SyncProgress): void {
    if (!progress.cancelled) return;
    this.opts.state.save();
    throw new SyncCancelled();
  }

  /** One accepted log-batch request, counted and recorded. */
  private async send(rec: PushedRun, batch: LogBatch): Promise<void> {
    await this.client.logBatch({ run_id: rec.remoteRunId, metrics: batch.metrics, params: batch.params, tags: batch.tags });
    this.report.batches++;
    for (const p of batch.params) rec.params[p.key] = p.value;
    for (const t of batch.tags) rec.tags[t.key] = t.value;
    this.entry.params += batch.params.length;
    this.entry.tags += batch.tags.length;
    this.entry.points += batch.metrics.length;
    this.report.points += batch.metrics.length;
    if (batch.params.length || batch.tags.length) this.opts.state.save();
  }

  /** Calls `fn` for the points of `key` in step order from index `from`, a page at a time. */
  private async eachPoint(key: string, from: number, fn: (p: MetricPoint, index: number) => void | Promise<void>): Promise<void> {
    for (let offset = from; ;) {
      const page = await this.opts.local.metricPointsPage(this.run.uid, key, offset, POINTS_PAGE);
      for (let i = 0; i < page.points.length; i++) await fn(page.points[i]!, offset + i);
      offset += page.points.length;
      if (page.points.length === 0 || offset >= page.total) return;
    }
  }

  /**
   * Which points of `key` the server does not have yet. Normally those after the count already
   * sent; when the local history no longer starts with what was sent (its order changed, or it
   * shrank), or after an interrupted push, the server's history decides (a multiset difference,
   * so repeated identical points are counted).
   */
  private async planKey(rec: PushedRun, key: string, fallbackMs: number, reconcile: boolean): Promise<KeyPlan> {
    const sent = rec.metrics[key];
    const all = createHash('sha1');
    const prefix = createHash('sha1');
    let total = 0;
    await this.eachPoint(key, 0, (p, i) => {
      const line = localPointIdentity(p, fallbackMs) + '\n';
      all.update(line);
      if (sent && i < sent.count) prefix.update(line);
      total = i + 1;
    });
    const allDigest = all.digest('hex');
    const base = { total, allDigest, sentNow: 0 };
    if (sent && sent.count <= total && !(reconcile && sent.count < total) && prefix.copy().digest('hex') === sent.digest) {
      return { ...base, mode: 'suffix', from: sent.count, count: sent.count, hash: prefix };
    }
    if (!sent && !reconcile) return { ...base, mode: 'suffix', from: 0, count: 0, hash: createHash('sha1') };
    const onServer = new Map<string, number>();
    for (const m of await this.client.getMetricHistory(rec.remoteRunId, key)) {
      const id = wireMetricIdentity(m);
      onServer.set(id, (onServer.get(id) ?? 0) + 1);
    }
    return { ...base, mode: 'diff', from: 0, count: 0, hash: createHash('sha1'), onServer };
  }

  /** The remote run: from the state, else found by its tag (after a lost state file or a crash right after creating it), else created. */
  private async remoteRun(): Promise<{ rec: PushedRun; reconcile: boolean }> {
    const known = this.server.runs[this.run.uid];
    if (known) {
      this.entry.remote = 'existing';
      this.entry.remoteRunId = known.remoteRunId;
      this.entry.experimentId = known.experimentId;
      return { rec: known, reconcile: known.incomplete === true };
    }
    const experimentName = this.opts.experiment ?? this.run.experiment;
    let experimentId = await this.experimentId(experimentName);
    let remote: WireRun | undefined;
    try {
      remote = await this.findByTag(experimentId);
    } catch (e) {
      // The experiment id came from the state, and the experiment has gone from the server since.
      if (!(e instanceof MlflowError) || (e.kind !== 'not-found' && e.kind !== 'invalid')) throw e;
      delete this.server.experiments[experimentName];
      experimentId = await this.experimentId(experimentName);
      remote = await this.findByTag(experimentId);
    }
    this.entry.remote = remote ? 'adopted' : 'created';
    remote ??= await this.client.createRun({
      experimentId, runName: this.run.name, startTimeMs: secondsToMs(this.run.started ?? Date.now() / 1000),
      userId: this.run.user ?? undefined, tags: [{ key: RUN_ID_TAG, value: this.run.uid }],
    });
    const rec: PushedRun = {
      remoteRunId: remote.info.run_id, experimentId, artifactUri: remote.info.artifact_uri, params: {}, tags: { [RUN_ID_TAG]: this.run.uid },
      metrics: {}, artifacts: {}, runName: remote.info.run_name,
    };
    if (this.entry.remote === 'adopted') {
      for (const p of remote.data?.params ?? []) rec.params[p.key] = p.value;
      for (const t of remote.data?.tags ?? []) rec.tags[t.key] = t.value;
    }
    this.server.runs[this.run.uid] = rec;
    this.opts.state.save();
    this.entry.remoteRunId = rec.remoteRunId;
    this.entry.experimentId = experimentId;
    return { rec, reconcile: this.entry.remote === 'adopted' };
  }

  private async experimentId(name: string): Promise<string> {
    const cached = this.server.experiments[name];
    if (cached !== undefined) return cached;
    let experiment = await this.client.getExperimentByName(name);
    if (experiment?.lifecycle_stage === 'deleted') {
      throw new MlflowError('invalid', `the experiment "${name}" is deleted on ${this.client.server.uri}: restore it there, or push into another experiment`);
    }
    let id = experiment?.experiment_id;
    if (id === undefined) {
      try {
        id = await this.client.createExperiment(name);
      } catch (e) {
        // Someone else created it in between.
        experiment = await this.client.getExperimentByName(name);
        if (!experiment) throw e;
        id = experiment.experiment_id;
      }
    }
    this.server.experiments[name] = id;
    return id;
  }

  private async findByTag(experimentId: string): Promise<WireRun | undefined> {
    if (this.run.uid.includes("'") || this.run.uid.includes('\\')) return undefined;
    const page = await this.client.searchRuns({ experimentIds: [experimentId], filter: `tags.\`${RUN_ID_TAG}\` = '${this.run.uid}'`, maxResults: 10 });
    return page.items[0];
  }

  private newParams(rec: PushedRun): WireKeyValue[] {
    const out: WireKeyValue[] = [];
    for (const [key, raw] of Object.entries(this.run.params)) {
      if (!isValidMlflowKey(key)) {
        this.warn(`param "${key}" not sent: MLflow names may only hold letters, digits, _ - . / : and spaces`);
        continue;
      }
      let value = paramToWire(raw);
      if (value.length > MAX_PARAM_VALUE_CHARS) {
        this.warn(`param "${key}" cut to MLflow's ${MAX_PARAM_VALUE_CHARS} characters`);
        value = value.slice(0, MAX_PARAM_VALUE_CHARS);
      }
      const sent = rec.params[key];
      if (sent === value) continue;
      if (sent !== undefined) {
        this.warn(`param "${key}" changed to ${value} after it was sent as ${sent}; MLflow params cannot change, so the server keeps ${sent}`);
        continue;
      }
      out.push({ key, value });
    }
    return out;
  }

  private newTags(rec: PushedRun): WireKeyValue[] {
    const out: WireKeyValue[] = [];
    for (const [key, raw] of Object.entries(runTagsFor(this.run))) {
      if (!isValidMlflowKey(key)) {
        this.warn(`tag "${key}" not sent: MLflow names may only hold letters, digits, _ - . / : and spaces`);
        continue;
      }
      let value = raw;
      if (value.length > MAX_TAG_VALUE_CHARS) {
        this.warn(`tag "${key}" cut to MLflow's ${MAX_TAG_VALUE_CHARS} characters`);
        value = value.slice(0, MAX_TAG_VALUE_CHARS);
      }
      if (rec.tags[key] !== value) out.push({ key, value });
    }
    return out;
  }

  private async uploadArtifacts(rec: PushedRun): Promise<void> {
    if (!this.run.runDir) return;
    for (const name of RUN_ARTIFACT_FILES) {
      const file = path.join(this.opts.workspaceRoot, this.run.runDir, name);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        continue;
      }
      if (!stat.isFile()) continue;
      const signature = `${stat.size}:${Math.floor(stat.mtimeMs)}`;
      if (rec.artifacts[name] === signature) continue;
      if (!serverProxiesArtifacts(rec.artifactUri)) {
        this.warn(`${name} not uploaded: the server keeps artifacts at ${rec.artifactUri ?? 'an unknown place'}, which it does not proxy (start it with --serve-artifacts)`);
        continue;
      }
      if (stat.size > MAX_ARTIFACT_BYTES) {
        this.warn(`${name} not uploaded: ${(stat.size / 1024 / 1024).toFixed(0)} MB is more than ${MAX_ARTIFACT_BYTES / 1024 / 1024} MB`);
        continue;
      }
      await this.client.uploadArtifact(rec.artifactUri!, name, fs.readFileSync(file));
      rec.artifacts[name] = signature;
      this.entry.artifacts.push(name);
      this.opts.state.save();
    }
  }

  private async updateStatus(rec: PushedRun): Promise<void> {
    const status = ENDED[this.run.status];
    const endTimeMs = status && this.run.ended !== null ? secondsToMs(this.run.ended) : undefined;
    const nameChanged = rec.runName !== this.run.name;
    if (!nameChanged && (status === undefined || (rec.status === status && rec.endTimeMs === endTimeMs))) return;
    await this.client.updateRun({ runId: rec.remoteRunId, status, endTimeMs, runName: this.run.name });
    rec.runName = this.run.name;
    if (status) {
      rec.status = status;
      rec.endTimeMs = endTimeMs;
    }
  }
}

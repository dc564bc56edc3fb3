/**
 * Read side of the model registry: registered models with their versions, aliases, the source
 * run's metric summary and the audit history. Each call folds the current inputs afresh (the fold
 * is fast and pure), so a reader never sees a table the store has not re-folded yet.
 */
import type { Database } from 'sql.js';
import type { AliasAssignment, ModelHistoryEntry, ModelVersion, RegisteredModel } from '../../shared/modelTypes';
import type { RunStatus } from '../../shared/runEvents';
import type { MetricSummary } from '../../shared/runTypes';
import { foldModelRegistry, type FoldProblem, type ModelFoldResult } from './modelVersionsFold';
import { loadModelFoldInputs } from './modelTables';

export interface ModelRegistryView {
  models: RegisteredModel[];
  history: ModelHistoryEntry[];
  problems: FoldProblem[];
}

export function readModelRegistry(db: Database): ModelRegistryView {
  return viewOf(db, foldModelRegistry(loadModelFoldInputs(db)));
}

export function listModels(db: Database): RegisteredModel[] {
  return readModelRegistry(db).models;
}

export function getModelVersion(db: Database, name: string, version: number): ModelVersion | undefined {
  return findVersion(readModelRegistry(db), name, version);
}

/** Audit entries in (time, id) order, of one model or of all. */
export function modelHistory(db: Database, model?: string): ModelHistoryEntry[] {
  const history = readModelRegistry(db).history;
  return model === undefined ? history : history.filter((h) => h.model === model);
}

export function findModel(view: ModelRegistryView, name: string): RegisteredModel | undefined {
  return view.models.find((m) => m.name === name);
}

export function findVersion(view: ModelRegistryView, name: string, version: number): ModelVersion | undefined {
  return findModel(view, name)?.versions.find((v) => v.version === version);
}

/** The version holding `alias` (exact match first, then case-insensitive: MLflow stages are capitalised). */
export function aliasHolder(model: RegisteredModel, alias: string): AliasAssignment | undefined {
  return model.aliases.find((a) => a.alias === alias) ?? model.aliases.find((a) => a.alias.toLowerCase() === alias.toLowerCase());
}

function viewOf(db: Database, fold: ModelFoldResult): ModelRegistryView {
  const runUids = [...new Set(fold.versions.map((v) => v.runUid).filter((u): u is string => u !== null))];
  const runs = loadRuns(db, runUids);
  const aliasesByVersion = new Map<string, string[]>();
  for (const a of fold.aliases) {
    const key = `${a.model}\u0000${a.version}`;
    aliasesByVersion.set(key, [...(aliasesByVersion.get(key) ?? []), a.alias]);
  }
  const models = new Map<string, RegisteredModel>();
  for (const v of fold.versions) {
    const run = v.runUid === null ? undefined : runs.get(v.runUid);
    const version: ModelVersion = {
      name: v.name, version: v.version, origin: v.origin, runUid: v.runUid, runName: run?.name ?? null, runStatus: run?.status ?? null,
      path: v.path, sha256: v.sha256, bytes: v.bytes, framework: v.framework, parent: v.parent, derivation: v.derivation,
      description: v.description, aliases: (aliasesByVersion.get(`${v.name}\u0000${v.version}`) ?? []).sort(),
      created: v.created, createdBy: v.createdBy, registrationId: v.registrationId, metrics: run?.metrics ?? [],
    };
    let model = models.get(v.name);
    if (!model) models.set(v.name, (model = { name: v.name, versions: [], aliases: [], latestVersion: 0 }));
    model.versions.push(version);
    model.latestVersion = Math.max(model.latestVersion, v.version);
  }
  for (const a of fold.aliases) models.get(a.model)?.aliases.push({ ...a });
  return { models: [...models.values()], history: fold.history, problems: fold.problems };
}

interface RunFacts {
  name: string | null;
  status: RunStatus | 'unknown';
  metrics: MetricSummary[];
}

function loadRuns(db: Database, uids: readonly string[]): Map<string, RunFacts> {
  const out = new Map<string, RunFacts>();
  if (uids.length === 0) return out;
  const runStmt = db.prepare('SELECT id, COALESCE(renamed, name) AS name, status FROM runs WHERE uid = ?');
  const metricStmt = db.prepare('SELECT key, last, last_step, last_time, min, max, count FROM metric_summary WHERE run_id = ? ORDER BY key');
  try {
    for (const uid of uids) {
      runStmt.bind([uid]);
      if (runStmt.step()) {
        const r = runStmt.getAsObject();
        const metrics: MetricSummary[] = [];
        metricStmt.bind([r.id!]);
        while (metricStmt.step()) metrics.push(toMetricSummary(metricStmt.getAsObject()));
        metricStmt.reset();
        out.set(uid, { name: r.name === null ? null : String(r.name), status: String(r.status) as RunStatus | 'unknown', metrics });
      }
      runStmt.reset();
    }
  } finally {
    runStmt.free();
    metricStmt.free();
  }
  return out;
}

function toMetricSummary(s: Record<string, unknown>): MetricSummary {
  const n = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
  return {
    key: String(s.key), last: n(s.last), lastStep: s.last_step === null ? null : Number(s.last_step),
    lastTime: s.last_time === null ? null : Number(s.last_time), min: n(s.min), max: n(s.max), count: Number(s.count),
  };
}


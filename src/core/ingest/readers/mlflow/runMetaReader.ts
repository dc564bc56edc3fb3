/**
 * Reads `mlruns/<exp>/<run>/meta.yaml`, the file that defines an MLflow run: its `run` event
 * (name, experiment, start, user, git revision), its end when the status says it ended, and, for
 * runs deleted in MLflow (or in a deleted experiment), a hide record so the Runs view treats them
 * as MLflow's UI does. MLflow rewrites this file when the run ends; it is read whole each time.
 */
import * as path from 'node:path';
import type { EndEvent, RunEvent, RunStartEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type RegistryRecord, type SourceReader } from '../../sourceReader';
import { importedRunStart } from '../common/runIdentity';
import { parseYamlMap } from '../common/yamlFile';
import { classifyMlflowPath, mlflowRunDir, mlflowRunUid } from './mlflowPaths';
import { readExperimentMeta, readRunTag } from './mlflowSiblings';

/** MLflow's RunStatus numbers. SCHEDULED (2) has no event of its own: the run shows as started. */
const ENDED_STATUS: Record<number, EndEvent['status']> = { 3: 'finished', 4: 'failed', 5: 'killed' };
const STATUS_NAMES: Record<string, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };

export const mlflowRunMetaReader: SourceReader = {
  id: 'mlflow-run-meta@1',
  wholeFile: true,
  matches: (relPath) => classifyMlflowPath(relPath)?.kind === 'runMeta',
  read: readRunMeta,
};

function readRunMeta(input: ReadInput): ReadOutput {
  const done = { consumed: input.bytes.length, lines: 0 };
  const file = classifyMlflowPath(input.relPath);
  if (file?.kind !== 'runMeta') return { ...done, batches: [], problems: [] };
  const problems: SourceProblem[] = [];
  const meta = parseYamlMap(input.bytes, input.relPath, problems);
  if (!meta) return { ...done, batches: [], problems };

  const runDirAbs = path.dirname(input.path);
  const experiment = readExperimentMeta(path.dirname(runDirAbs));
  const runId = file.runId;
  const uid = mlflowRunUid(runId);
  const startMs = millis(meta.start_time);
  const endMs = millis(meta.end_time);
  if (startMs === undefined) problems.push(problem(input.relPath, null, 'no start_time: the run is shown without a start time', 'info'));
  const started = (startMs ?? endMs ?? 0) / 1000;

  const commit = readRunTag(runDirAbs, 'mlflow.source.git.commit');
  const branch = readRunTag(runDirAbs, 'mlflow.source.git.branch');
  const start: RunStartEvent = importedRunStart({
    id: runId,
    kind: 'mlflow',
    runPath: mlflowRunDir(file),
    started,
    name: nonEmpty(meta.run_name) ?? readRunTag(runDirAbs, 'mlflow.runName') ?? nonEmpty(meta.name) ?? runId,
    experiment: experiment.name ?? String(meta.experiment_id ?? file.expId),
    user: nonEmpty(meta.user_id),
    git: commit || branch ? { ...(commit ? { commit: commit.trim() } : {}), ...(branch ? { branch: branch.trim() } : {}) } : undefined,
  });
  const events: RunEvent[] = [start];

  const status = statusCode(meta.status);
  if (status === undefined) problems.push(problem(input.relPath, null, `unknown run status ${JSON.stringify(meta.status)}`, 'info'));
  const ended = status === undefined ? undefined : ENDED_STATUS[status];
  if (ended) events.push({ t: 'end', status: ended, ended: (endMs ?? startMs ?? 0) / 1000 });

  const registry: RegistryRecord[] = [];
  if (meta.lifecycle_stage === 'deleted' || experiment.deleted || file.trashed) {
    const time = (millis(meta.deleted_time) ?? endMs ?? startMs ?? 0) / 1000;
    const id = `mlflow-deleted:${runId}`;
    registry.push({ id, time, type: 'run.delete', json: JSON.stringify({ id, time, actor: 'mlflow', t: 'run.delete', run: uid }) });
  }
  return { ...done, batches: [{ runUid: uid, events, runDir: mlflowRunDir(file) }], problems, registry };
}

function millis(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function statusCode(v: unknown): number | undefined {
  if (typeof v === 'number' && v >= 1 && v <= 5) return v;
  if (typeof v === 'string') return STATUS_NAMES[v.toUpperCase()] ?? (/^[1-5]$/.test(v) ? Number(v) : undefined);
  return undefined;
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

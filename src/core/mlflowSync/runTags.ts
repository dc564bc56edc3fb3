/**
 * The tags a pushed run carries on the server: MLflow's own system tags where MLflow has a name
 * for the fact (git commit and branch, user, source, note), `exptrack.*` for the rest, then the
 * run's own tags. `exptrack.run_id` ties the remote run to the local one.
 */
import type { RunDetail } from '../../shared/runTypes';

export const RUN_ID_TAG = 'exptrack.run_id';
export const COMMAND_TAG = 'exptrack.command';
export const GIT_DIRTY_TAG = 'exptrack.git.dirty';
export const SOURCE_KIND_TAG = 'exptrack.source.kind';

export const MLFLOW_TAGS = {
  runName: 'mlflow.runName',
  user: 'mlflow.user',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  gitBranch: 'mlflow.source.git.branch',
  note: 'mlflow.note.content',
} as const;

/** Tags set by the server or by runs/update, never sent as plain tags. */
const NOT_SENT = new Set([MLFLOW_TAGS.runName, 'mlflow.log-model.history']);

export function runTagsFor(run: RunDetail): Record<string, string> {
  const tags: Record<string, string> = { [RUN_ID_TAG]: run.uid };
  if (run.user) tags[MLFLOW_TAGS.user] = run.user;
  if (run.sourcePath) tags[MLFLOW_TAGS.sourceName] = run.sourcePath;
  if (run.sourceKind) {
    tags[SOURCE_KIND_TAG] = run.sourceKind;
    tags[MLFLOW_TAGS.sourceType] = run.sourceKind === 'notebook' ? 'NOTEBOOK' : 'LOCAL';
  }
  if (run.git.commit) tags[MLFLOW_TAGS.gitCommit] = run.git.commit;
  if (run.git.branch) tags[MLFLOW_TAGS.gitBranch] = run.git.branch;
  if (run.git.dirty !== null) tags[GIT_DIRTY_TAG] = String(run.git.dirty);
  if (run.command) tags[COMMAND_TAG] = JSON.stringify(run.command);
  if (run.note) tags[MLFLOW_TAGS.note] = run.note;
  for (const [key, value] of Object.entries(run.tags)) {
    // A run pulled from one server carries the id its pusher gave it; on another server it is this run.
    if (!NOT_SENT.has(key) && key !== RUN_ID_TAG) tags[key] = value;
  }
  return tags;
}

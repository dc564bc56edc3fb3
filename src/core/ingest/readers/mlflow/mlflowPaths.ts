/**
 * Where things live in an MLflow file store (`mlruns/`), from a workspace-relative path alone:
 *   <exp>/<run>/meta.yaml | metrics/<key> | params/<key> | tags/<key>   (a key with `/` is nested folders)
 *   <exp>/models/m-<id>/metrics/<key>                                    (MLflow 3 logged models)
 *   models/<name>/meta.yaml                                              (the model registry)
 * Experiments deleted in MLflow are moved to `.trash/<exp>/`.
 */

export type MlflowFile =
  | { kind: 'runMeta' | 'runMetric' | 'runParam' | 'runTag'; storeRoot: string; expId: string; runId: string; trashed: boolean; key: string }
  | { kind: 'modelMetric'; storeRoot: string; expId: string; modelId: string; trashed: boolean; key: string }
  | { kind: 'registeredModel'; storeRoot: string; modelName: string };

const STORE_PATH = /^((?:.*\/)?mlruns)\/(\.trash\/)?([^/]+)\/(.+)$/;
const RUN_ID = /^[0-9A-Za-z_-]+$/;
const RUN_FILE_FOLDERS: Record<string, 'runMetric' | 'runParam' | 'runTag'> = { metrics: 'runMetric', params: 'runParam', tags: 'runTag' };

export function classifyMlflowPath(relPath: string): MlflowFile | undefined {
  // Asked of every changed file by five readers: the substring test spares the regex almost always.
  if (!relPath.includes('mlruns/')) return undefined;
  const m = STORE_PATH.exec(relPath);
  if (!m) return undefined;
  const storeRoot = m[1]!;
  const trashed = m[2] !== undefined;
  const expId = m[3]!;
  const rest = m[4]!.split('/');
  if (expId === 'models' && !trashed) {
    return rest.length === 2 && rest[1] === 'meta.yaml' ? { kind: 'registeredModel', storeRoot, modelName: rest[0]! } : undefined;
  }
  if (expId.startsWith('.') || rest.some((part) => part === '')) return undefined;
  if (rest[0] === 'models') {
    if (rest.length >= 4 && rest[2] === 'metrics' && rest[1]!.startsWith('m-')) {
      return { kind: 'modelMetric', storeRoot, expId, modelId: rest[1]!, trashed, key: rest.slice(3).join('/') };
    }
    return undefined;
  }
  const runId = rest[0]!;
  if (!RUN_ID.test(runId)) return undefined;
  if (rest.length === 2 && rest[1] === 'meta.yaml') return { kind: 'runMeta', storeRoot, expId, runId, trashed, key: '' };
  const kind = rest.length >= 3 ? RUN_FILE_FOLDERS[rest[1]!] : undefined;
  if (!kind) return undefined;
  return { kind, storeRoot, expId, runId, trashed, key: rest.slice(2).join('/') };
}

export function mlflowRunUid(runId: string): string {
  return `mlflow:${runId}`;
}

/** The run folder of a run file, workspace-relative. */
export function mlflowRunDir(f: { storeRoot: string; expId: string; runId: string; trashed: boolean }): string {
  return `${f.storeRoot}/${f.trashed ? '.trash/' : ''}${f.expId}/${f.runId}`;
}

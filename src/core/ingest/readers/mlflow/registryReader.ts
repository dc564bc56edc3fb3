/**
 * Reads MLflow's model registry from `mlruns/models/<name>/meta.yaml`. MLflow updates that file's
 * `last_updated_timestamp` on every change to the model (a new or deleted version, a stage
 * transition, an alias set or removed), so it is the one source to watch; each read gathers the
 * versions from `version-<N>/meta.yaml` and the aliases from `aliases/<alias>` (a file holding the
 * version number). A version's stage other than None counts as an alias, e.g. `Production`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ExternalModelVersion, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { parseYamlMap } from '../common/yamlFile';
import { classifyMlflowPath, mlflowRunUid } from './mlflowPaths';
import { storePathOf } from './storeUri';

const VERSION_DIR = /^version-(\d+)$/;
const NO_STAGE = new Set(['', 'None', 'Deleted_Internal']);

export const mlflowRegistryReader: SourceReader = {
  id: 'mlflow-registry@1',
  wholeFile: true,
  matches: (relPath) => classifyMlflowPath(relPath)?.kind === 'registeredModel',
  read: readRegisteredModel,
};

function readRegisteredModel(input: ReadInput): ReadOutput {
  const done = { consumed: input.bytes.length, lines: 0, batches: [] };
  const file = classifyMlflowPath(input.relPath);
  if (file?.kind !== 'registeredModel') return { ...done, problems: [] };
  const problems: SourceProblem[] = [];
  const meta = parseYamlMap(input.bytes, input.relPath, problems);
  if (!meta) return { ...done, problems };
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : file.modelName;
  const modelDir = path.dirname(input.path);
  const relModelDir = path.posix.dirname(input.relPath);
  const aliases = readAliases(modelDir);
  const models: ExternalModelVersion[] = [];
  for (const entry of listDir(modelDir)) {
    const m = VERSION_DIR.exec(entry);
    if (!m) continue;
    const relMeta = `${relModelDir}/${entry}/meta.yaml`;
    const absMeta = path.join(modelDir, entry, 'meta.yaml');
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(absMeta);
    } catch {
      problems.push(problem(relMeta, null, 'model version folder without a readable meta.yaml: skipped'));
      continue;
    }
    const v = parseYamlMap(bytes, relMeta, problems);
    if (!v) continue;
    const stage = typeof v.current_stage === 'string' ? v.current_stage : '';
    if (stage === 'Deleted_Internal') continue;
    const version = typeof v.version === 'number' && Number.isSafeInteger(v.version) ? v.version : Number(m[1]);
    const model: ExternalModelVersion = { name, version, aliases: [...(aliases.get(version) ?? [])] };
    if (!NO_STAGE.has(stage)) model.aliases.push(stage);
    if (typeof v.run_id === 'string' && v.run_id !== '') model.runUid = mlflowRunUid(v.run_id);
    const where = pickLocation(v, input.relPath);
    if (where) model.path = where;
    if (typeof v.creation_timestamp === 'number') model.created = v.creation_timestamp / 1000;
    if (typeof v.description === 'string' && v.description !== '') model.description = v.description;
    models.push(model);
  }
  models.sort((a, b) => a.version - b.version);
  return { ...done, problems, models };
}

/** Prefers the artifact folder (`storage_location`) over a `models:/` reference in `source`. */
function pickLocation(v: Record<string, unknown>, relPath: string): string | undefined {
  for (const candidate of [v.storage_location, v.source]) {
    if (typeof candidate === 'string' && candidate !== '') {
      const local = storePathOf(candidate, relPath);
      if (local) return local;
    }
  }
  const source = typeof v.source === 'string' ? v.source : '';
  return source || undefined;
}

function readAliases(modelDir: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const dir = path.join(modelDir, 'aliases');
  for (const alias of listDir(dir).sort()) {
    try {
      const version = Number(fs.readFileSync(path.join(dir, alias), 'utf8').trim());
      if (!Number.isSafeInteger(version)) continue;
      out.set(version, [...(out.get(version) ?? []), alias]);
    } catch {
      // an alias file removed while listing: the alias is gone
    }
  }
  return out;
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

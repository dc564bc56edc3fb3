/**
 * The few neighbouring files a run's meta.yaml is read together with: the experiment's meta.yaml
 * (its name and whether it was deleted) and the tags MLflow 1.x keeps the run name and git
 * revision in. Missing or unreadable neighbours simply leave those fields out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { isPlainObject } from '../common/jsonValue';

export interface ExperimentInfo {
  name?: string;
  deleted: boolean;
}

export function readExperimentMeta(expDirAbs: string): ExperimentInfo {
  const meta = readYamlQuietly(path.join(expDirAbs, 'meta.yaml'));
  const name = meta?.name;
  return {
    name: typeof name === 'string' && name !== '' ? name : undefined,
    deleted: meta?.lifecycle_stage === 'deleted',
  };
}

export function readRunTag(runDirAbs: string, key: string): string | undefined {
  try {
    const text = fs.readFileSync(path.join(runDirAbs, 'tags', ...key.split('/')), 'utf8');
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

export function readYamlQuietly(absPath: string): Record<string, unknown> | undefined {
  try {
    const doc = parseDocument(fs.readFileSync(absPath, 'utf8'));
    if (doc.errors.length) return undefined;
    const value: unknown = doc.toJS();
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** YAML files of the loggers (MLflow meta.yaml, Lightning hparams.yaml, dvclive params.yaml) read as one map. */
import { parseDocument } from 'yaml';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem } from '../../sourceReader';
import { isPlainObject } from './jsonValue';
import { unusableTextProblem } from './fileProblems';

/**
 * Parses `bytes` as a YAML mapping. Every error is reported with its line; a file that is not a
 * mapping (or not YAML at all) gives undefined. Never throws.
 */
export function parseYamlMap(bytes: Uint8Array, relPath: string, problems: SourceProblem[]): Record<string, unknown> | undefined {
  const parsed = parseYaml(bytes, relPath, problems);
  if (!parsed) return undefined;
  if (parsed.value === null || parsed.value === undefined) return {};
  if (!isPlainObject(parsed.value)) {
    problems.push(problem(relPath, 1, 'expected a YAML mapping of keys to values'));
    return undefined;
  }
  return parsed.value;
}

/** Parses `bytes` as a YAML list (Hydra's overrides.yaml); problems as parseYamlMap reports them. */
export function parseYamlList(bytes: Uint8Array, relPath: string, problems: SourceProblem[]): unknown[] | undefined {
  const parsed = parseYaml(bytes, relPath, problems);
  if (!parsed) return undefined;
  if (parsed.value === null || parsed.value === undefined) return [];
  if (!Array.isArray(parsed.value)) {
    problems.push(problem(relPath, 1, 'expected a YAML list'));
    return undefined;
  }
  return parsed.value;
}

function parseYaml(bytes: Uint8Array, relPath: string, problems: SourceProblem[]): { value: unknown } | undefined {
  const unusable = unusableTextProblem(relPath, bytes);
  if (unusable) {
    problems.push(unusable);
    return undefined;
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push(problem(relPath, e.linePos?.[0]?.line ?? null, `YAML error: ${firstLine(e.message)}`));
      return undefined;
    }
    return { value: doc.toJS({ maxAliasCount: 1000 }) as unknown };
  } catch (e) {
    problems.push(problem(relPath, null, `YAML error: ${firstLine((e as Error).message)}`));
    return undefined;
  }
}

/** The message without the position and source excerpt the yaml library appends (the line is given separately). */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}


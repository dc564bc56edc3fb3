/**
 * Reads `mlruns/<exp>/<run>/params/<key>` and `tags/<key>`: one file per key holding the raw value
 * (Python `str()`, no trailing newline). Params get the same typing as command-line parameters
 * (`0.01` a number, `True` a boolean, `[224, 224, 3]` a list); tags stay text.
 */
import { parseParamValue } from '../../../capture/paramValue';
import type { RunEvent } from '../../../../shared/runEvents';
import type { ReadInput, ReadOutput, SourceReader } from '../../sourceReader';
import { problem } from '../../sourceReader';
import { looksBinary } from '../common/fileProblems';
import { classifyMlflowPath, mlflowRunDir, mlflowRunUid } from './mlflowPaths';

export const mlflowParamTagReader: SourceReader = {
  id: 'mlflow-param-tag@1',
  wholeFile: true,
  matches: (relPath) => {
    const kind = classifyMlflowPath(relPath)?.kind;
    return kind === 'runParam' || kind === 'runTag';
  },
  read: readKeyValue,
};

function readKeyValue(input: ReadInput): ReadOutput {
  const file = classifyMlflowPath(input.relPath);
  const done = { consumed: input.bytes.length, lines: 0 };
  if (!file || (file.kind !== 'runParam' && file.kind !== 'runTag')) return { ...done, batches: [], problems: [] };
  if (looksBinary(input.bytes)) {
    return { ...done, batches: [], problems: [problem(input.relPath, null, 'binary data where a text value was expected: skipped')] };
  }
  const text = input.bytes.toString('utf8');
  const event: RunEvent = file.kind === 'runParam'
    ? { t: 'params', values: { [file.key]: paramValue(text) } }
    : { t: 'tag', key: file.key, value: text };
  return { ...done, batches: [{ runUid: mlflowRunUid(file.runId), events: [event], runDir: mlflowRunDir(file) }], problems: [] };
}

function paramValue(text: string): ReturnType<typeof parseParamValue> {
  const value = parseParamValue(text);
  return typeof value === 'number' && !Number.isFinite(value) ? text : value;
}

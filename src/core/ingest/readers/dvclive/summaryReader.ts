/**
 * Reads dvclive's summary (`<dir>/metrics.json`, or `dvclive.json` beside a 0.x `dvclive/` folder):
 * the file that defines a dvclive run, so it emits the run's `run` event. Nested keys are series
 * names (`{"train": {"loss": 1}}` is `train/loss`). A value whose series has its own .tsv file is
 * already there step by step; the others (evaluation scores logged once) become one point each,
 * at the summary's `step` when it has one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricValue, MetricsEvent, RunEvent } from '../../../../shared/runEvents';
import type { SourceProblem } from '../../../../shared/runTypes';
import { problem, type ReadInput, type ReadOutput, type SourceReader } from '../../sourceReader';
import { unusableTextProblem } from '../common/fileProblems';
import { flattenObject, isPlainObject } from '../common/jsonValue';
import { toMetricValue } from '../common/numbers';
import { creationSeconds, importedRunStart } from '../common/runIdentity';
import { classifyDvclivePath, dvcliveRunUid, isDvcliveDir, seriesFileOf } from './dvclivePaths';
import { parseLenientJson } from '../common/lenientJson';

export const dvcliveSummaryReader: SourceReader = {
  id: 'dvclive-summary@1',
  wholeFile: true,
  matches: (relPath) => classifyDvclivePath(relPath)?.kind === 'summary',
  read: readSummary,
};

function readSummary(input: ReadInput): ReadOutput {
  const done = { consumed: input.bytes.length, lines: 0 };
  const file = classifyDvclivePath(input.relPath);
  if (file?.kind !== 'summary') return { ...done, batches: [], problems: [] };
  const absRunDir = file.legacy ? path.join(path.dirname(input.path), 'dvclive') : path.dirname(input.path);
  // A legacy summary needs its dvclive/ folder; a metrics.json must sit in a dvclive folder.
  if (file.legacy ? !fs.existsSync(absRunDir) : !isDvcliveDir(absRunDir)) return { ...done, batches: [], problems: [] };

  const problems: SourceProblem[] = [];
  const unusable = unusableTextProblem(input.relPath, input.bytes);
  if (unusable) return { ...done, batches: [], problems: [unusable] };
  const parsed = parseLenientJson(input.bytes.toString('utf8'));
  if (!parsed.ok) return { ...done, batches: [], problems: [problem(input.relPath, parsed.line, `not JSON: ${parsed.message}`)] };
  if (!isPlainObject(parsed.value)) return { ...done, batches: [], problems: [problem(input.relPath, 1, 'expected a JSON object of metric values')] };

  const runUid = dvcliveRunUid(file.runDir);
  const events: RunEvent[] = [importedRunStart({ id: runUid, kind: 'dvclive', runPath: file.runDir, started: creationSeconds(absRunDir) })];
  const flat = flattenObject(parsed.value, '/');
  const step = typeof flat.step === 'number' && Number.isSafeInteger(flat.step) ? flat.step : undefined;
  const values: Record<string, MetricValue> = {};
  for (const [key, value] of Object.entries(flat)) {
    if (key === 'step' || typeof value !== 'number') continue;
    if (fs.existsSync(seriesFileOf(absRunDir, key, file.legacy))) continue;
    values[key] = toMetricValue(value);
  }
  if (Object.keys(values).length) {
    const e: MetricsEvent = { t: 'metrics', values };
    if (step !== undefined) e.step = step;
    events.push(e);
  }
  return { ...done, batches: [{ runUid, events }], problems };
}

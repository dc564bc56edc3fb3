/** Reads `<dvclive dir>/params.yaml` (what `Live.log_params` wrote): the run's parameters, nested keys dotted. */
import * as path from 'node:path';
import type { SourceProblem } from '../../../../shared/runTypes';
import type { ReadInput, ReadOutput, SourceReader } from '../../sourceReader';
import { flattenObject, toJsonValue } from '../common/jsonValue';
import { parseYamlMap } from '../common/yamlFile';
import { classifyDvclivePath, dvcliveRunUid, isDvcliveDir } from './dvclivePaths';

export const dvcliveParamsReader: SourceReader = {
  id: 'dvclive-params@1',
  wholeFile: true,
  matches: (relPath) => classifyDvclivePath(relPath)?.kind === 'params',
  read: readParams,
};

function readParams(input: ReadInput): ReadOutput {
  const done = { consumed: input.bytes.length, lines: 0 };
  const file = classifyDvclivePath(input.relPath);
  if (file?.kind !== 'params' || !isDvcliveDir(path.dirname(input.path))) return { ...done, batches: [], problems: [] };
  const problems: SourceProblem[] = [];
  const map = parseYamlMap(input.bytes, input.relPath, problems);
  if (!map || Object.keys(map).length === 0) return { ...done, batches: [], problems };
  const values = Object.fromEntries(Object.entries(flattenObject(map, '.')).map(([k, v]) => [k, toJsonValue(v)]));
  return { ...done, batches: [{ runUid: dvcliveRunUid(file.runDir), events: [{ t: 'params', values }] }], problems };
}

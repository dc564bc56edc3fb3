/**
 * Reads Lightning's `version_N/hparams.yaml` (written by both the CSV and the TensorBoard logger):
 * the run's hyperparameters. Nested sections become dotted keys (`optimizer.lr`), as MLflow names
 * nested parameters, so runs compare key by key.
 */
import type { SourceProblem } from '../../../../shared/runTypes';
import type { ReadInput, ReadOutput, SourceReader } from '../../sourceReader';
import { flattenObject, toJsonValue } from '../common/jsonValue';
import { parentDir } from '../common/runIdentity';
import { parseYamlMap } from '../common/yamlFile';
import { isLightningVersionDir, lightningRunUid } from './lightningPaths';

export const lightningHparamsReader: SourceReader = {
  id: 'lightning-hparams@1',
  wholeFile: true,
  matches: (relPath) => relPath.endsWith('/hparams.yaml') && isLightningVersionDir(parentDir(relPath)),
  read: readHparams,
};

function readHparams(input: ReadInput): ReadOutput {
  const problems: SourceProblem[] = [];
  const done = { consumed: input.bytes.length, lines: 0 };
  const map = parseYamlMap(input.bytes, input.relPath, problems);
  if (!map || Object.keys(map).length === 0) return { ...done, batches: [], problems };
  const values = Object.fromEntries(Object.entries(flattenObject(map, '.')).map(([k, v]) => [k, toJsonValue(v)]));
  return { ...done, batches: [{ runUid: lightningRunUid(parentDir(input.relPath)), events: [{ t: 'params', values }] }], problems };
}

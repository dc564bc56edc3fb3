/**
 * Where TFX's Evaluator (TensorFlow Model Analysis) writes, and which run each file belongs to:
 *   <pipeline run>/Evaluator/evaluation[/<execution id>]/{metrics, validations, eval_config.json, plots}
 *   <pipeline run>/Evaluator/blessing[/<execution id>]/{BLESSED | NOT_BLESSED}
 * The component folder may carry an instance name (`Evaluator.fairness`). TFMA on its own (no TFX)
 * writes sharded `metrics-00000-of-00001` and `validations-…` files, one evaluation per folder.
 * One evaluation folder is one run: `tfma:<folder>`.
 */
import { baseName, parentDir } from '../common/runIdentity';

export type TfmaFileKind = 'metrics' | 'validations' | 'config' | 'blessing';

export interface TfmaFile {
  kind: TfmaFileKind;
  /** The evaluation folder (workspace-relative): the run. */
  evalDir: string;
}

const EVALUATOR = /^Evaluator(\.[^/]+)?$/;
const SHARDED = /^(metrics|validations)-\d{5}-of-\d{5}(\.tfrecord)?$/;

export function classifyTfmaPath(relPath: string): TfmaFile | undefined {
  const name = baseName(relPath);
  const dir = parentDir(relPath);
  const sharded = SHARDED.exec(name);
  if (sharded) return { kind: sharded[1] as 'metrics' | 'validations', evalDir: dir };
  if (name === 'BLESSED' || name === 'NOT_BLESSED') {
    const evalDir = componentOutput(dir, 'blessing');
    return evalDir === undefined ? undefined : { kind: 'blessing', evalDir };
  }
  const kind: TfmaFileKind | undefined = name === 'metrics' ? 'metrics' : name === 'validations' ? 'validations' : name === 'eval_config.json' ? 'config' : undefined;
  if (!kind || componentOutput(dir, 'evaluation') === undefined) return undefined;
  return { kind, evalDir: dir };
}

/**
 * For a folder `…/Evaluator/<output>[/<id>]`, the matching evaluation folder
 * `…/Evaluator/evaluation[/<id>]`; undefined for any other folder.
 */
function componentOutput(dir: string, output: string): string | undefined {
  const parts = dir.split('/');
  const at = parts.length >= 2 && parts[parts.length - 1] === output ? parts.length - 1
    : parts.length >= 3 && parts[parts.length - 2] === output ? parts.length - 2 : -1;
  if (at < 1 || !EVALUATOR.test(parts[at - 1]!)) return undefined;
  parts[at] = 'evaluation';
  return parts.join('/');
}

export function tfmaRunUid(evalDir: string): string {
  return `tfma:${evalDir || '.'}`;
}

/** `Evaluator/evaluation/33` under the pipeline run folder it belongs to. */
export function tfmaRunNames(evalDir: string): { name: string; experiment: string | undefined } {
  const parts = evalDir.split('/');
  const component = parts.findIndex((p) => EVALUATOR.test(p));
  if (component < 0) return { name: baseName(evalDir) || evalDir || '.', experiment: parentDir(evalDir) || undefined };
  return { name: parts.slice(component).join('/'), experiment: parts.slice(0, component).join('/') || undefined };
}

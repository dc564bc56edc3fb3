/**
 * The files of a dvclive output folder, from workspace-relative paths:
 *   1.x/2.x: <dir>/metrics.json, <dir>/params.yaml, <dir>/plots/metrics/<key>.tsv
 *   0.x:     <parent>/dvclive.json (the summary), <parent>/dvclive/<key>.tsv
 * A metrics.json or params.yaml can be anyone's: whether its folder is a dvclive folder is
 * decided on reading (isDvcliveDir), from what dvclive writes beside them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseName, joinRel, parentDir } from '../common/runIdentity';

export type DvcliveFile =
  | { kind: 'summary'; runDir: string; legacy: boolean }
  | { kind: 'params'; runDir: string }
  | { kind: 'series'; runDir: string; key: string; legacy: boolean };

const PLOTS_METRICS = '/plots/metrics/';
const DVCLIVE_SUFFIX = /\.(?:tsv|json|yaml)$/;
const LEGACY_SERIES = /^(?:(.*)\/)?dvclive\/(.+)\.tsv$/;

export function classifyDvclivePath(relPath: string): DvcliveFile | undefined {
  // Asked of every changed file by three readers: most files are none of these kinds.
  if (!DVCLIVE_SUFFIX.test(relPath)) return undefined;
  const name = baseName(relPath);
  const dir = parentDir(relPath);
  if (relPath.endsWith('.tsv')) {
    const at = `/${relPath}`.lastIndexOf(PLOTS_METRICS);
    if (at >= 0) {
      const runDir = relPath.slice(0, Math.max(0, at - 1));
      const key = relPath.slice(at - 1 + PLOTS_METRICS.length, -'.tsv'.length);
      return key ? { kind: 'series', runDir, key, legacy: false } : undefined;
    }
    const legacy = LEGACY_SERIES.exec(relPath);
    if (legacy && !legacy[2]!.startsWith('plots/')) return { kind: 'series', runDir: joinRel(legacy[1] ?? '', 'dvclive'), key: legacy[2]!, legacy: true };
    return undefined;
  }
  if (name === 'dvclive.json') return { kind: 'summary', runDir: joinRel(dir, 'dvclive'), legacy: true };
  if (name === 'metrics.json' && dir !== '') return { kind: 'summary', runDir: dir, legacy: false };
  if (name === 'params.yaml' && /(?:^|\/)(?:dvclive|live)$/.test(dir)) return { kind: 'params', runDir: dir };
  return undefined;
}

export function dvcliveRunUid(runDir: string): string {
  return `dvclive:${runDir}`;
}

/**
 * dvclive leaves a `plots/` folder (metrics, sklearn, images or custom) or its report in its folder;
 * dvclive 2.x also a dvc.yaml, which a DVC project root has too, but a root also has dvc.lock or .dvc/.
 */
export function isDvcliveDir(absDir: string): boolean {
  if (path.basename(absDir) === 'dvclive') return true;
  const has = (p: string): boolean => fs.existsSync(path.join(absDir, p));
  if (['plots/metrics', 'plots/sklearn', 'plots/images', 'plots/custom', 'report.html'].some(has)) return true;
  return has('dvc.yaml') && !has('dvc.lock') && !has('.dvc');
}

/** Where the step-by-step series of `key` would be, absolute. */
export function seriesFileOf(absRunDir: string, key: string, legacy: boolean): string {
  return legacy ? path.join(absRunDir, ...key.split('/')) + '.tsv' : path.join(absRunDir, 'plots', 'metrics', ...key.split('/')) + '.tsv';
}

/** How model versions read in the Models view, pickers and messages, so they read the same everywhere. */
import type { ModelVersion } from '../../shared/modelTypes';

/** `@champion @staging`: aliases as MLflow writes them. */
export function aliasBadges(aliases: readonly string[]): string {
  return aliases.map((a) => `@${a}`).join(' ');
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} B` : `${n.toFixed(1)} ${units[u]}`;
}

/** One line about a version for pickers: `@champion · onnx · baseline`. */
export function versionSummary(v: ModelVersion): string {
  return [aliasBadges(v.aliases), v.framework, v.runName ?? v.runUid, v.origin === 'external' ? 'MLflow' : null].filter(Boolean).join(' · ');
}

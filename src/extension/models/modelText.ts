/** How model versions read in the Models view, pickers and messages, so they read the same everywhere. */
import type { ModelVersion } from '../../shared/modelTypes';

/** `@champion @staging`: aliases as MLflow writes them. */
export function aliasBadges(aliases: readonly string[]): string {
  return aliases.map((a) => `@${a}`).join(' ');
}

/** One line about a version for pickers: `@champion · onnx · baseline`. */
export function versionSummary(v: ModelVersion): string {
  const blessing = v.blessed === true ? 'blessed' : v.blessed === false ? 'not blessed' : null;
  return [aliasBadges(v.aliases), blessing, v.framework, v.runName ?? v.runUid, v.origin === 'external' ? 'MLflow' : null].filter(Boolean).join(' · ');
}

/** Lightning loggers write one folder per run: `<save_dir>/<name>/version_<N>/`. */
import { baseName } from '../common/runIdentity';

const VERSION_DIR = /^version_\d+$/;

export function isLightningVersionDir(relDir: string): boolean {
  return VERSION_DIR.test(baseName(relDir));
}

export function lightningRunUid(versionDir: string): string {
  return `lightning:${versionDir}`;
}

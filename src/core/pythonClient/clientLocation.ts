/**
 * Where the Python client ships: `python/exptrack.py` beside `dist/` in the extension and in the
 * npm package (put on PYTHONPATH for runs), and its wheel in `dist/python/` (what
 * "Install Python Client" installs). The distribution name is `exptrack-client`, since `exptrack`
 * on PyPI is an unrelated project; the import name is `exptrack`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CLIENT_DISTRIBUTION = 'exptrack-client';

/** The folder holding `exptrack.py`, given the extension's (or the npm package's) root. */
export function bundledClientDir(packageRoot: string): string {
  return path.join(packageRoot, 'python');
}

/** The wheel file `npm run build:python` writes for `version`. */
export function clientWheelName(version: string): string {
  return `exptrack_client-${version}-py3-none-any.whl`;
}

export function bundledClientWheel(packageRoot: string, version: string): string {
  return path.join(packageRoot, 'dist', 'python', clientWheelName(version));
}

/**
 * The client folder of the package that holds `fromDir` (e.g. `dist/` of the bundled CLI, or a
 * source folder when run from a development copy): the nearest `python/exptrack.py` above it.
 */
export function findBundledClientDir(fromDir: string): string | undefined {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(bundledClientDir(dir), 'exptrack.py'))) return bundledClientDir(dir);
    if (path.dirname(dir) === dir) return undefined;
  }
}

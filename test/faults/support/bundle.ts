/**
 * Child processes of the fault tests run bundled JavaScript, as the extension and the CLI ship:
 * a plain `node` start takes a fraction of what loading TypeScript through tsx takes, which
 * matters when a test starts a hundred processes. Bundled once per mocha run into a temp folder.
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SQL_WASM = path.join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm');

export interface Bundles {
  dir: string;
  /** test/faults/helpers/saveLoop.ts */
  saveLoop: string;
  /** test/faults/helpers/killedSave.ts */
  killedSave: string;
  /** test/faults/helpers/storeHost.ts */
  storeHost: string;
  /** src/core/store/storeWorker.ts, as dist/storeWorker.js */
  storeWorker: string;
  /** src/cli/main.ts, as dist/cli.js */
  cli: string;
}

let bundles: Promise<Bundles> | undefined;

export function faultBundles(): Promise<Bundles> {
  bundles ??= buildBundles();
  return bundles;
}

async function buildBundles(): Promise<Bundles> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-faults-bundle-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  // The store finds sql-wasm.wasm beside the bundle, as it does in dist/.
  fs.copyFileSync(SQL_WASM, path.join(dir, 'sql-wasm.wasm'));
  const entries = {
    saveLoop: 'test/faults/helpers/saveLoop.ts',
    killedSave: 'test/faults/helpers/killedSave.ts',
    storeHost: 'test/faults/helpers/storeHost.ts',
    storeWorker: 'src/core/store/storeWorker.ts',
    cli: 'src/cli/main.ts',
  };
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: Object.entries(entries).map(([out, entry]) => ({ in: entry, out })),
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  const js = (name: string) => path.join(dir, `${name}.js`);
  return { dir, saveLoop: js('saveLoop'), killedSave: js('killedSave'), storeHost: js('storeHost'), storeWorker: js('storeWorker'), cli: js('cli') };
}

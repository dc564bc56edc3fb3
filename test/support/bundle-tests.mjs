// Bundles TypeScript test files into self-contained CommonJS files with esbuild: one output per
// entry, `vscode` left to the extension host, everything else (mocha, src/…) bundled in.
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';

/** Files under `dir` (recursively) whose name ends with `suffix`, skipping `skipDirs` names. */
export function findFiles(dir, suffix, skipDirs = ['workspace', 'node_modules']) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipDirs.includes(entry.name)) out.push(...findFiles(full, suffix, skipDirs));
    } else if (entry.name.endsWith(suffix)) {
      out.push(full);
    }
  }
  return out.sort();
}

/** Cleans `outdir`, then writes `<outdir>/<entry path relative to outbase>.js` for each entry. */
export async function bundleTests({ entryPoints, outbase, outdir }) {
  await rm(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints,
    outbase,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'linked',
    logLevel: 'warning',
    // mocha's loader uses require()/import() on spec files at run time; those stay dynamic.
    logOverride: {
      'unsupported-require-call': 'silent',
      'unsupported-dynamic-import': 'silent',
      'require-resolve-not-external': 'silent', // mocha's parallel mode, unused here
    },
  });
  if (result.errors.length) throw new Error(`esbuild failed with ${result.errors.length} error(s)`);
}

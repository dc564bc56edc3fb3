#!/usr/bin/env node
// `npm run bench`: every bench/*.bench.ts in turn (or those named), each printing its figures beside
// a reference measured in the same run. Builds first, so bundle sizes and the shipped worker count.
// Usage: node scripts/bench.mjs [name…]   e.g. node scripts/bench.mjs store compare
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wanted = process.argv.slice(2);
const benches = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

const build = spawnSync(process.execPath, ['esbuild.config.mjs', '--production'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', file)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`   ${file} exited with ${r.status ?? r.signal}`);
  }
}
// The test suites expect the development build (source maps); put it back.
spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: root, stdio: 'inherit' });
process.exit(failed ? 1 : 0);

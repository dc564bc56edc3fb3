#!/usr/bin/env node
// UI tests: mocha in Node over test/ui/**/*.ui.ts (through tsx). Each file opens its own real
// VS Code workbench with test/support/workbench.ts; screenshots land in test-results/.
//
// Usage: node scripts/test-ui.mjs [--grep PATTERN] [--extension-path DIR] [files…]
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findFiles } from '../test/support/bundle-tests.mjs';
import { assertHostInstalled, repoRoot, testResultsDir } from '../test/support/vscode-host.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    grep: { type: 'string' },
    'extension-path': { type: 'string', default: process.env.EXPTRACK_EXTENSION_PATH || repoRoot },
  },
});
const started = Date.now();

const extensionPath = path.resolve(opts['extension-path']);
const manifest = JSON.parse(readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
const main = manifest.main && path.resolve(extensionPath, manifest.main);
if (main && !existsSync(main) && !existsSync(`${main}.js`)) {
  console.error(`test-ui: ${path.relative(repoRoot, main)} is missing; build first: node esbuild.config.mjs`);
  process.exit(1);
}
assertHostInstalled();

// Failure screenshots from an earlier run would be mistaken for this run's.
for (const name of existsSync(testResultsDir) ? readdirSync(testResultsDir) : []) {
  if (name.endsWith('-failed.png')) rmSync(path.join(testResultsDir, name));
}

const files = positionals.length ? positionals.map((f) => path.resolve(f)) : findFiles(path.join(repoRoot, 'test/ui'), '.ui.ts');
const mochaBin = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const args = [
  mochaBin, '--no-config', '--require', 'tsx/cjs', '--extension', 'ts',
  '--reporter', 'spec', '--timeout', '120000',
  ...(opts.grep ? ['--grep', opts.grep] : []),
  ...files,
];
const child = spawn(process.execPath, args, {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, EXPTRACK_EXTENSION_PATH: extensionPath },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  console.log(`test-ui: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code ?? (signal ? 1 : 0));
});

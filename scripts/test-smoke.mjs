#!/usr/bin/env node
// Smoke tests of the packaged extension: mocha over test/smoke/**/*.smoke.ts, where each file
// installs the .vsix into a fresh VS Code server with --install-extension (no development path)
// and clicks through the main flows. Runs once per VS Code host: the oldest the extension supports
// (1.100) and the newest (1.139, on Node 24); both are installed by scripts/setup-test-host.sh.
//
// Usage: node scripts/test-smoke.mjs [--host oldest|newest|all] [--vsix FILE] [--grep PATTERN] [files…]
// The .vsix defaults to <name>-<version>.vsix in the repository, as `npm run package` writes it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findFiles } from '../test/support/bundle-tests.mjs';
import { assertHostInstalled, hosts, repoRoot } from '../test/support/vscode-host.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    host: { type: 'string', default: 'all' },
    vsix: { type: 'string' },
    grep: { type: 'string' },
  },
});

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const vsix = path.resolve(opts.vsix ?? path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`));
if (!existsSync(vsix)) {
  console.error(`test-smoke: ${path.relative(repoRoot, vsix)} is missing; build it first: npm run package`);
  process.exit(1);
}
const selected = opts.host === 'all' ? Object.keys(hosts) : opts.host.split(',');
const unknown = selected.filter((name) => !hosts[name]);
if (unknown.length) {
  console.error(`test-smoke: unknown host(s) ${unknown.join(', ')}; known: ${Object.keys(hosts).join(', ')}, all`);
  process.exit(2);
}
for (const name of selected) assertHostInstalled(hosts[name]);

const files = positionals.length ? positionals.map((f) => path.resolve(f)) : findFiles(path.join(repoRoot, 'test/smoke'), '.smoke.ts');
const mochaBin = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');

/** One mocha run of the smoke files against one host; resolves with its exit code. */
function runOn(host) {
  const args = [
    mochaBin, '--no-config', '--require', 'tsx/cjs', '--extension', 'ts',
    '--reporter', 'spec', '--timeout', '180000',
    ...(opts.grep ? ['--grep', opts.grep] : []),
    ...files,
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, EXPTRACK_VSCODE_HOST: host.name, EXPTRACK_VSIX: vsix },
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    process.off('SIGINT', forward).off('SIGTERM', forward);
    resolve(code ?? (signal ? 1 : 0));
  }));
}

let failed = 0;
for (const name of selected) {
  const started = Date.now();
  console.log(`test-smoke: ${path.basename(vsix)} on VS Code ${hosts[name].vscode} (${name})`);
  const code = await runOn(hosts[name]);
  console.log(`test-smoke: VS Code ${hosts[name].vscode} finished in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code})`);
  if (code !== 0) failed++;
}
process.exit(failed ? 1 : 0);

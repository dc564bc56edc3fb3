#!/usr/bin/env node
// `npm test`: prepares the test host and the build, then runs every suite as a child process
// (output streamed and captured), prints a table of counts per suite and, as the very last line,
// `N passed, N failed` over all suites. Exits 1 if anything failed. Skipped tests are listed by
// name; with CI=true (set by .ci/run, which installs every dependency) each one counts as failed.
//
// Usage: node scripts/test-all.mjs [--only typecheck,unit,python,faults,integration,ui,package,smoke] [--no-setup]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countSkipsAsFailures, parseMocha, parsePytest, suiteResult } from '../test/support/suite-results.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    'no-setup': { type: 'boolean', default: false },
  },
});

// Checked when the suite starts: the setup step creates the venv.
const python = () => (existsSync(path.join(root, '.venv/bin/python')) ? path.join(root, '.venv/bin/python') : 'python3');

// A suite without `parse` counts each step as one check that passes or fails (tsc prints no counts).
const suites = [
  {
    name: 'typecheck',
    steps: () => [
      [bin('tsc'), '--noEmit', '-p', '.'],
      ...(existsSync(path.join(root, 'webview/tsconfig.json')) ? [[bin('tsc'), '--noEmit', '-p', 'webview']] : []),
    ],
  },
  { name: 'unit', steps: () => [[bin('mocha'), '--no-color']], parse: parseMocha },
  {
    name: 'python',
    needsSetup: true,
    // -rs names every skip; exit 5 ("no tests collected") fails like any other non-zero exit.
    steps: () => [[python(), '-m', 'pytest', '-q', '-rs', '-p', 'no:cacheprovider', 'python/tests']],
    parse: parsePytest,
  },
  // Kill -9 during saves, many writers, disk full, damaged files, escaping paths (test/faults).
  // The many-writers test runs its full 60 s here too: the whole suite stays well inside CI's time.
  {
    name: 'faults',
    steps: () => [[bin('mocha'), '--no-config', '--no-color', '--exit', '-r', 'tsx/cjs', '--timeout', '600000', 'test/faults/**/*.test.ts']],
    parse: parseMocha,
  },
  { name: 'integration', needsSetup: true, needsBuild: true, steps: () => [[process.execPath, 'scripts/test-integration.mjs']], parse: parseMocha },
  { name: 'ui', needsSetup: true, needsBuild: true, steps: () => [[process.execPath, 'scripts/test-ui.mjs']], parse: parseMocha },
  // After the suites that use the development build: `npm run package` rebuilds dist/ for production.
  {
    name: 'package',
    needsPackage: true,
    steps: () => [[bin('mocha'), '--no-config', '--no-color', '-r', 'tsx/cjs', 'test/package/**/*.test.ts']],
    parse: parseMocha,
  },
  // The .vsix installed into the oldest supported and the newest VS Code, one step each.
  {
    name: 'smoke',
    needsSetup: true,
    needsPackage: true,
    steps: () => ['oldest', 'newest'].map((host) => [process.execPath, 'scripts/test-smoke.mjs', '--host', host]),
    parse: parseMocha,
  },
];

const selected = opts.only ? opts.only.split(',').map((s) => s.trim()).filter(Boolean) : suites.map((s) => s.name);
const unknown = selected.filter((n) => !suites.some((s) => s.name === n));
if (unknown.length) {
  console.error(`test-all: unknown suite(s) ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const toRun = suites.filter((s) => selected.includes(s.name));

/** Runs a command with its output shown live and kept for parsing. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
    child.on('error', (err) => { output += String(err); });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}

function banner(text) {
  console.log(`\n===== ${text} =====`);
}

const rows = [];
const startedAll = Date.now();
const strict = /^(1|true|yes)$/i.test(process.env.CI ?? '');

async function prepare(name, cmd, args) {
  banner(name);
  const t0 = Date.now();
  const { code } = await run(cmd, args);
  const seconds = (Date.now() - t0) / 1000;
  if (code !== 0) rows.push({ name, passed: 0, failed: 1, skipped: 0, skippedNames: [], seconds, note: `exit code ${code}` });
  return code === 0;
}

// A clone without ../shared/fixtures still runs: the tests that read them are skipped by name.
const fixtures = path.resolve(process.env.EXPTRACK_FIXTURES || path.join(root, '../shared/fixtures'));
if (!existsSync(fixtures)) console.log(`test-all: no fixtures at ${fixtures}: the tests that read them are skipped and listed at the end`);

let buildOk = true;
if (!opts['no-setup'] && toRun.some((s) => s.needsSetup)) {
  // The newest VS Code (800 MB) is only for the smoke suite.
  await prepare('setup', 'bash', ['scripts/setup-test-host.sh', ...(toRun.some((s) => s.name === 'smoke') ? [] : ['--skip-newest-host'])]);
}
if (toRun.some((s) => s.needsBuild)) {
  if (existsSync(path.join(root, 'esbuild.config.mjs'))) {
    buildOk = await prepare('build', process.execPath, ['esbuild.config.mjs']);
    // The Python client's wheel, which Install Python Client installs (integration tests).
    if (buildOk && existsSync(path.join(root, 'scripts/build-python.mjs'))) {
      buildOk = await prepare('build:python', process.execPath, ['scripts/build-python.mjs']);
    }
  } else {
    banner('build');
    console.log('test-all: esbuild.config.mjs is missing, so nothing is built; the tests use dist/ as it is');
  }
}

let packageOk;
for (const suite of toRun) {
  if (suite.needsPackage && packageOk === undefined) packageOk = await prepare('npm run package', 'npm', ['run', 'package']);
  banner(suite.name);
  const t0 = Date.now();
  if ((suite.needsBuild && !buildOk) || (suite.needsPackage && !packageOk)) {
    const what = suite.needsBuild && !buildOk ? 'build' : 'npm run package';
    console.log(`test-all: ${suite.name} not run because ${what} failed`);
    rows.push({ name: suite.name, passed: 0, failed: 0, skipped: 0, skippedNames: [], seconds: 0, note: `not run: ${what} failed` });
    continue;
  }
  const totals = { passed: 0, failed: 0, skipped: 0, skippedNames: [] };
  const notes = [];
  for (const [cmd, ...args] of suite.steps()) {
    const { code, output } = await run(cmd, args);
    let result = !suite.parse
      ? { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, skippedNames: [] }
      : suiteResult(suite.parse, output, code);
    if (strict) result = countSkipsAsFailures(result);
    totals.passed += result.passed;
    totals.failed += result.failed;
    totals.skipped += result.skipped;
    totals.skippedNames.push(...result.skippedNames);
    if (result.note) notes.push(result.note);
  }
  rows.push({ name: suite.name, ...totals, seconds: (Date.now() - t0) / 1000, note: notes.join('; ') });
}

const sum = (key) => rows.reduce((n, r) => n + r[key], 0);
const skippedRows = rows.filter((r) => r.skippedNames.length);
if (skippedRows.length) {
  banner(strict ? 'skipped tests (CI=true: each counts as failed)' : 'skipped tests');
  for (const r of skippedRows) for (const name of r.skippedNames) console.log(`${r.name}: ${name}`);
}
banner('summary');
const table = [['suite', 'passed', 'failed', 'skipped', 'time'], ...rows.map((r) => [r.name, r.passed, r.failed, r.skipped, `${r.seconds.toFixed(1)}s`, r.note ?? ''])];
for (const [name, ...cells] of table) {
  const note = cells.length > 4 ? cells.pop() : '';
  console.log(`${String(name).padEnd(12)}${cells.map((c) => String(c).padStart(8)).join('')}${note ? `  ${note}` : ''}`);
}
console.log(`total time ${((Date.now() - startedAll) / 1000).toFixed(1)}s`);
console.log(`${sum('passed')} passed, ${sum('failed')} failed`);
process.exit(sum('failed') > 0 ? 1 : 0);

#!/usr/bin/env node
// `npm run build:python`: builds the Python client (python/, distribution `exptrack-client`) into
// dist/python/exptrack_client-<version>-py3-none-any.whl with `pip wheel --no-deps`, using
// .venv/bin/python when present, else python3. pip fetches the build backend (flit_core) from
// PyPI into an isolated build environment, unless the interpreter already has it.
//
// Usage: node scripts/build-python.mjs [--out-dir DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { 'out-dir': { type: 'string', default: path.join(root, 'dist/python') } } });
const outDir = path.resolve(opts['out-dir']);
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const wheelName = `exptrack_client-${version}-py3-none-any.whl`;
const venvPython = path.join(root, '.venv/bin/python');
const python = existsSync(venvPython) ? venvPython : 'python3';

function fail(message) {
  console.error(`build:python: ${message}`);
  process.exit(1);
}

// Older wheels would be shipped beside the new one.
mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (/^exptrack_client-.*\.whl$/.test(f)) rmSync(path.join(outDir, f));

const hasBackend = spawnSync(python, ['-c', 'import flit_core.buildapi'], { stdio: 'ignore' }).status === 0;
const args = ['-m', 'pip', 'wheel', '--no-deps', '--disable-pip-version-check', '--quiet', ...(hasBackend ? ['--no-build-isolation'] : []), '--wheel-dir', outDir, path.join(root, 'python')];
// A fixed timestamp for the files in the wheel: the same source gives the same wheel.
const built = spawnSync(python, args, { stdio: 'inherit', env: { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? '315532800' } });
if (built.error) fail(`could not run ${python}: ${built.error.message}`);
if (built.status !== 0) fail(`${python} ${args.join(' ')} exited with ${built.status}`);
const wheels = readdirSync(outDir).filter((f) => /^exptrack_client-.*\.whl$/.test(f));
if (!wheels.includes(wheelName)) {
  fail(`expected ${wheelName} (package.json's version) but pip wrote ${wheels.join(', ') || 'nothing'}: exptrack.__version__ in python/exptrack.py must equal package.json's version`);
}
console.log(`build:python: ${path.relative(process.cwd(), path.join(outDir, wheelName)) || wheelName}`);

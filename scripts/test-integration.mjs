#!/usr/bin/env node
// Integration tests: mocha inside the extension host of a real VS Code.
// Bundles test/integration/index.ts and test/integration/**/*.test.ts into out/test/integration/,
// copies test/integration/workspace/ to a temp git repository, and runs the tests through
// @vscode/test-electron's runTests() with test/support/server-launcher.mjs as the "VS Code"
// executable (VS Code server + headless chromium; see test/support/vscode-host.mjs).
//
// With --multi-root, the tests in test/integration/multiRoot/ run instead, in a multi-root
// workspace: a temp copy of test/integration/multiRoot/workspace/ opened through its
// multi-root.code-workspace file (the other tests never see it).
//
// Usage: node scripts/test-integration.mjs [--multi-root] [--grep PATTERN] [--extension-path DIR] [--keep-workspace]
// The extension host sees EXPTRACK_TEST=1 and EXPTRACK_TEST_WORKSPACE=<the temp copy>.
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { bundleTests, findFiles } from '../test/support/bundle-tests.mjs';
import { assertHostInstalled, copyWorkspace, repoRoot } from '../test/support/vscode-host.mjs';

const { values: opts } = parseArgs({
  options: {
    grep: { type: 'string' },
    'extension-path': { type: 'string', default: repoRoot },
    'keep-workspace': { type: 'boolean', default: false },
    'multi-root': { type: 'boolean', default: false },
  },
});
const multiRoot = opts['multi-root'];
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

const extensionPath = path.resolve(opts['extension-path']);
const manifest = JSON.parse(readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
const main = manifest.main && path.resolve(extensionPath, manifest.main);
if (main && !existsSync(main) && !existsSync(`${main}.js`)) {
  console.error(`test-integration: ${path.relative(repoRoot, main)} is missing; build first: node esbuild.config.mjs`);
  process.exit(1);
}
assertHostInstalled();

const srcDir = path.join(repoRoot, 'test/integration');
const multiRootDir = path.join(srcDir, 'multiRoot');
const outDir = path.join(repoRoot, multiRoot ? 'out/test/integration-multi-root' : 'out/test/integration');
const testFiles = multiRoot ? findFiles(multiRootDir, '.test.ts') : findFiles(srcDir, '.test.ts', ['workspace', 'node_modules', 'multiRoot']);
await bundleTests({ entryPoints: [path.join(srcDir, 'index.ts'), ...testFiles], outbase: srcDir, outdir: outDir });
console.log(`test-integration: bundled ${testFiles.length} test file(s) in ${seconds()} s`);

const workspace = await copyWorkspace(path.join(multiRoot ? multiRootDir : srcDir, 'workspace'));
// What the workbench opens: the folder, or the multi-root workspace file in the copy.
const opened = multiRoot ? path.join(workspace, 'multi-root.code-workspace') : workspace;
let exitCode = 0;
try {
  await runTests({
    vscodeExecutablePath: path.join(repoRoot, 'test/support/server-launcher.mjs'),
    extensionDevelopmentPath: extensionPath,
    extensionTestsPath: path.join(outDir, 'index.js'),
    launchArgs: [opened],
    reuseMachineInstall: true, // the launcher uses throw-away profile folders of its own
    extensionTestsEnv: {
      EXPTRACK_TEST: '1',
      EXPTRACK_TEST_WORKSPACE: workspace,
      ...(opts.grep ? { EXPTRACK_TEST_GREP: opts.grep } : {}),
    },
  });
} catch (err) {
  console.error(`test-integration: ${err instanceof Error ? err.message : err}`);
  exitCode = 1;
} finally {
  if (opts['keep-workspace']) console.log(`test-integration: workspace kept at ${workspace}`);
  else await rm(workspace, { recursive: true, force: true });
}
console.log(`test-integration: finished in ${seconds()} s`);
process.exit(exitCode);

#!/usr/bin/env node
// `npm run demo`: builds the extension and serves VS Code in the browser with ExpTrack installed
// and the demo/ workspace (sample runs) open in place. Runs until Ctrl+C.
//
// Usage: node scripts/demo.mjs [--port N] [--no-setup] [--smoke]
//   --port N   port on 127.0.0.1 (default: $PORT or 8080; 0 picks a free one)
//   --smoke    open the demo once in headless chromium, save test-results/demo.png and exit
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  launchBrowser,
  repoRoot,
  startServer,
  testResultsDir,
  workbenchUrl,
} from '../test/support/vscode-host.mjs';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT || '8080' },
    'no-setup': { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});
const port = Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`demo: --port must be a number from 0 to 65535, got ${opts.port}`);
  process.exit(2);
}
const demoFolder = path.join(repoRoot, 'demo');

function step(title, cmd, args) {
  console.log(`demo: ${title}`);
  const result = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`demo: ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

if (!opts['no-setup']) step('preparing the VS Code server', 'bash', ['scripts/setup-test-host.sh', '--skip-venv']);
if (existsSync(path.join(repoRoot, 'esbuild.config.mjs'))) step('building', process.execPath, ['esbuild.config.mjs']);
else console.log('demo: esbuild.config.mjs is missing, so dist/ is used as it is');
// The wheel Install Python Client installs; the demo works without it (pip may be unreachable).
if (existsSync(path.join(repoRoot, 'scripts/build-python.mjs'))) {
  const wheel = spawnSync(process.execPath, ['scripts/build-python.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (wheel.status !== 0) console.log('demo: the Python client wheel was not built; Install Python Client will say so');
}
if (!existsSync(path.join(repoRoot, 'dist/extension.js'))) {
  console.error('demo: dist/extension.js is missing; the build did not produce the extension');
  process.exit(1);
}

let server;
try {
  server = await startServer({
    port,
    installExtensions: [repoRoot],
    smokeTestDriver: opts.smoke,
    // demo/ lives inside this repository: use its git state without asking.
    settings: { 'git.openRepositoryInParentFolders': 'always' },
    logFile: path.join(testResultsDir, 'demo-server.log'),
    extraArgs: ['--default-folder', demoFolder],
  });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(message.includes('EADDRINUSE')
    ? `demo: port ${port} is in use; choose another with --port N (or PORT=N)`
    : `demo: ${message}`);
  process.exit(1);
}

let stopping = false;
const stop = async (code) => {
  stopping = true;
  await server.stop();
  process.exit(code);
};
process.once('SIGINT', () => { console.log('\ndemo: stopping'); stop(0); });
process.once('SIGTERM', () => stop(0));

if (opts.smoke) {
  const browser = await launchBrowser();
  let ok = false;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server.baseUrl, { folder: demoFolder }));
    await page.locator('.activitybar .action-item a[aria-label^="Experiments"]').click({ timeout: 60_000 });
    await page.locator('.sidebar .pane-header[aria-label^="Runs "]').waitFor();
    await page.waitForTimeout(2000); // let the views fill in before the picture
    await page.screenshot({ path: path.join(testResultsDir, 'demo.png') });
    console.log(`demo: smoke check passed; screenshot in ${path.relative(repoRoot, testResultsDir)}/demo.png`);
    ok = true;
  } catch (err) {
    console.error(`demo: smoke check failed: ${err instanceof Error ? err.message : err}`);
  } finally {
    await browser.close();
  }
  await stop(ok ? 0 : 1);
} else {
  console.log(`\nExpTrack demo running with the workspace ${path.relative(repoRoot, demoFolder)}/. Open in a browser:\n`);
  console.log(`  ${workbenchUrl(server.baseUrl, { folder: demoFolder })}\n`);
  console.log('Press Ctrl+C to stop.');
  const { code, signal } = await server.exited;
  if (stopping) await new Promise(() => {}); // Ctrl+C: stop() exits the process
  console.error(`demo: the VS Code server stopped (${code ?? signal}); log: ${path.join(testResultsDir, 'demo-server.log')}`);
  await stop(1);
}

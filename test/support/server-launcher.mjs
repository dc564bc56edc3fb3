#!/usr/bin/env node
// Stands in for the desktop `code` executable given to @vscode/test-electron's runTests():
// accepts its `--extensionDevelopmentPath=` / `--extensionTestsPath=` arguments and a folder,
// runs the tests in the extension host of the VS Code server opened in headless chromium,
// prints their output and exits with their exit code.
//
// Environment: EXPTRACK_TEST_TIMEOUT_MS (whole run, default 600000),
// EXPTRACK_SERVER_LOG (server + browser console log file, default test-results/integration-server.log).
import path from 'node:path';
import { format } from 'node:util';
import { delay, launchBrowser, startServer, testResultsDir, workbenchUrl } from './vscode-host.mjs';

function parseArgs(argv) {
  const out = { extensionDevelopmentPath: undefined, extensionTestsPath: undefined, folder: undefined };
  for (const arg of argv) {
    const m = /^--(extensionDevelopmentPath|extensionTestsPath)=(.*)$/.exec(arg);
    if (m) out[m[1]] = m[2];
    else if (!arg.startsWith('-')) out.folder = arg;
    // Other desktop flags (--no-sandbox, --user-data-dir=…, …) do not apply to the server.
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
if (!args.extensionTestsPath || !args.extensionDevelopmentPath) {
  console.error('usage: server-launcher.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [FOLDER]');
  process.exit(2);
}
const timeoutMs = Number(process.env.EXPTRACK_TEST_TIMEOUT_MS || 600_000);
const logFile = process.env.EXPTRACK_SERVER_LOG || path.join(testResultsDir, 'integration-server.log');

let server;
let browser;
async function cleanup() {
  // A hung browser must not keep the run alive; playwright kills it when this process exits.
  if (browser) await Promise.race([browser.close().catch(() => {}), delay(5000)]);
  await server?.stop();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`server-launcher: ${signal}, stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  server = await startServer({ logFile });
  browser = await launchBrowser();
  const page = await browser.newPage();
  page.on('pageerror', (err) => server.log(`[page error] ${err.stack ?? err}`));

  // The workbench sends its own log and, once the tests start, the extension host's console
  // (mocha's reporter) to codeAutomationLog. Lines before index.ts announces the run go to the
  // log file only, and are replayed if the run fails before it starts.
  const startMarker = '[exptrack-tests] running';
  const endMarker = /^\[exptrack-tests\] finished with (\d+) failure/;
  let started = false;
  let failuresReported;
  const earlyLines = [];
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const line = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
    server.log(`[workbench ${type}] ${line}`);
    if (!started && line.startsWith(startMarker)) started = true;
    const end = endMarker.exec(line);
    if (end) failuresReported = Number(end[1]);
    if (started) (type === 'error' ? process.stderr : process.stdout).write(line + '\n');
    else earlyLines.push(line);
  });
  let resolveFinished;
  const finished = new Promise((resolve) => { resolveFinished = resolve; });
  // Called with the exit code once run() settles.
  await page.exposeFunction('codeAutomationExit', (code) => resolveFinished(Number(code)));
  const url = workbenchUrl(server.baseUrl, {
    folder: args.folder,
    extensionDevelopmentPath: args.extensionDevelopmentPath,
    extensionTestsPath: args.extensionTestsPath,
  });
  await page.goto(url);
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const serverDied = server.exited.then(({ code, signal }) => `VS Code server exited (${code ?? signal})`);
  const outcome = await Promise.race([finished, timeout, serverDied]);
  if (typeof outcome === 'number') {
    exitCode = outcome;
    if (failuresReported === undefined) {
      console.error(`server-launcher: the extension host stopped before the tests finished (exit ${outcome}); log: ${logFile}`);
      exitCode = 1;
    } else if (failuresReported > 0) {
      exitCode = exitCode || 1;
    }
  } else {
    console.error(`server-launcher: ${outcome === 'timeout' ? `no result after ${timeoutMs} ms` : outcome}; log: ${logFile}`);
  }
  if (exitCode !== 0 && !started) {
    console.error('server-launcher: the tests never started; workbench log:\n' + earlyLines.join('\n'));
  }
} catch (err) {
  console.error(`server-launcher: ${err instanceof Error ? err.stack : err}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);

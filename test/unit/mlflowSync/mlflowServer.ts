/**
 * A real MLflow tracking server for tests and benchmarks: `.venv/bin/mlflow server` on 127.0.0.1
 * with a SQLite backend and proxied artifacts in a temporary folder, without the background job
 * runners (GenAI features this project does not use, which take the CPU for the first half
 * minute), in its own process group so stopping it ends its workers too.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const VENV_PYTHON = path.join(REPO_ROOT, '.venv/bin/python');
export const MLFLOW_BIN = path.join(REPO_ROOT, '.venv/bin/mlflow');

/** Why a real server cannot be started here, or undefined when it can (asynchronous: it imports MLflow, which takes seconds). */
export async function mlflowUnavailable(): Promise<string | undefined> {
  if (!fs.existsSync(MLFLOW_BIN)) return `${path.relative(REPO_ROOT, MLFLOW_BIN)} is missing: run scripts/setup-test-host.sh (requirements-test.txt installs mlflow)`;
  // mlflow-skinny also installs the `mlflow` command, but without the server.
  const problem = await new Promise<string | undefined>((resolve) => {
    execFile(VENV_PYTHON, ['-c', 'import mlflow.server, flask, sqlalchemy'], (err, _stdout, stderr) => resolve(err ? String(stderr).trim().split('\n').pop() ?? err.message : undefined));
  });
  return problem === undefined ? undefined : `the venv's mlflow cannot run a server (pip install mlflow, not only mlflow-skinny): ${problem}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface MlflowTestServer {
  uri: string;
  dir: string;
  /** Ends the server's process group and removes its folder. */
  stop(): Promise<void>;
}

export async function startMlflowServer(opts: { startTimeoutMs?: number } = {}): Promise<MlflowTestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-mlflow-server-'));
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'server.log'), 'w');
  const child: ChildProcess = spawn(MLFLOW_BIN, [
    'server', '--host', '127.0.0.1', '--port', String(port), '--workers', '1',
    '--backend-store-uri', `sqlite:///${path.join(dir, 'mlflow.db')}`,
    '--artifacts-destination', path.join(dir, 'artifacts'),
  ], { cwd: dir, detached: true, stdio: ['ignore', log, log], env: { ...process.env, MLFLOW_TRACKING_URI: '', PYTHONDONTWRITEBYTECODE: '1', MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' } });
  fs.closeSync(log);
  const uri = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!exited && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.startTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (exited) {
      const text = fs.readFileSync(path.join(dir, 'server.log'), 'utf8');
      await stop();
      throw new Error(`mlflow server exited while starting:\n${text.slice(-2000)}`);
    }
    try {
      const r = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return { uri, dir, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const text = fs.readFileSync(path.join(dir, 'server.log'), 'utf8');
  await stop();
  throw new Error(`mlflow server did not answer /health within ${(opts.startTimeoutMs ?? 120_000) / 1000} s:\n${text.slice(-2000)}`);
}

/** Runs a Python file in the venv with `input` as JSON on stdin, and returns its stdout parsed as JSON. */
export function runPythonJson<T>(scriptFile: string, input: unknown, env: Record<string, string> = {}): T {
  const r = spawnSync(VENV_PYTHON, [scriptFile], {
    input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout) as T;
}

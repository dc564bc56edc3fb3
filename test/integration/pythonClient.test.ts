// The Python client inside the real extension host: a tracked script in a fresh venv without the
// client imports the bundled one and records its metrics; Install Python Client puts the wheel
// into exptrack.pythonPath's venv so that `import exptrack` works there outside VS Code; pip's
// failures (no pip, an externally managed Python, an interpreter that does not run) say the way
// out and take it; a notebook whose kernel cannot import exptrack is offered the client.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunDetail } from '../../src/shared/runTypes';
import { api, root, waitFor } from './support';

interface PythonController { controller: vscode.NotebookController; dispose(): void }
// Plain JS shared with the UI tests' helper extension (test/ui/notebook-controller).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createPythonController } = require('../ui/notebook-controller/pythonController') as {
  createPythonController(api: typeof vscode, opts: { id: string; clientDir: string; python: string }): PythonController;
};

const REPO = path.resolve(__dirname, '../../..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const WHEEL = path.join(REPO, 'dist/python', `exptrack_client-${VERSION}-py3-none-any.whl`);

interface Ran { status: number | null; stdout: string; stderr: string }

/** Runs a command without blocking the extension host the tests share with ExpTrack. */
function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
    });
  });
}

async function ok(file: string, args: string[]): Promise<void> {
  const done = await run(file, args);
  assert.strictEqual(done.status, 0, `${file} ${args.join(' ')}: ${done.stderr}`);
}

/** `python -c code` as a user runs it outside VS Code: no PYTHONPATH, from a neutral folder. */
function outside(python: string, code: string): Promise<Ran> {
  const { PYTHONPATH: _unused, ...env } = process.env;
  return run(python, ['-c', code], { cwd: os.tmpdir(), env });
}

type Severity = 'info' | 'warning' | 'error';
interface Shown { severity: Severity; message: string; actions: string[] }

/** Replaces the message functions: records what is shown and answers with `answer`'s pick. */
function answerMessages(answer: (shown: Shown) => string | undefined): { shown: Shown[]; restore(): void } {
  const window = vscode.window as unknown as Record<string, unknown>;
  const names = { info: 'showInformationMessage', warning: 'showWarningMessage', error: 'showErrorMessage' } as const;
  const originals = Object.fromEntries(Object.values(names).map((n) => [n, window[n]]));
  const shown: Shown[] = [];
  for (const [severity, name] of Object.entries(names) as Array<[Severity, string]>) {
    window[name] = async (message: string, ...actions: unknown[]) => {
      const entry = { severity, message, actions: actions.filter((a): a is string => typeof a === 'string') };
      shown.push(entry);
      return answer(entry);
    };
  }
  return { shown, restore: () => Object.assign(window, originals) };
}

async function setPythonPath(value: string): Promise<void> {
  await vscode.workspace.getConfiguration('exptrack').update('pythonPath', value, vscode.ConfigurationTarget.Workspace);
}

describe('Python client', function () {
  this.timeout(180_000);
  let tmp: string;
  let venvPython: string;
  let messages: ReturnType<typeof answerMessages> | undefined;

  before(async () => {
    assert.ok(fs.existsSync(WHEEL), `${WHEEL} is built by npm run build:python`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-client-it-'));
    await ok('python3', ['-m', 'venv', path.join(tmp, 'venv')]);
    venvPython = path.join(tmp, 'venv/bin/python');
    assert.match((await outside(venvPython, 'import exptrack')).stderr, /No module named 'exptrack'/, 'a fresh venv has no client');
  });
  afterEach(() => messages?.restore());
  after(async () => {
    await setPythonPath('');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lets a tracked script in a fresh venv import the bundled client and records the metrics it logs', async () => {
    const a = await api();
    await setPythonPath(venvPython);
    await vscode.workspace.getConfiguration('exptrack').update('runArgs', [], vscode.ConfigurationTarget.Workspace);
    const script = path.join(root(), 'client_script.py');
    fs.writeFileSync(script, [
      'import sys, exptrack',
      'print("client from", exptrack.__file__, "python", sys.executable, flush=True)',
      'run = exptrack.init()',
      'for step in range(3):',
      '    run.log({"client_loss": 1 / (step + 1)}, step=step)',
    ].join('\n') + '\n');
    const runId = await a.runFileWithTracking(vscode.Uri.file(script));
    assert.ok(runId);
    const run = await waitFor<RunDetail>('the run to end', async () => {
      const r = await a.runIndex()!.call('getRun', runId);
      return r && r.status !== 'running' && r.status !== 'unknown' ? r : undefined;
    });
    const stdout = fs.readFileSync(path.join(root(), run.runDir!, 'stdout.log'), 'utf8');
    assert.strictEqual(run.status, 'finished', stdout);
    assert.match(stdout, new RegExp(`client from ${path.join(REPO, 'python', 'exptrack.py')} python ${venvPython}`));
    const metric = run.metrics.find((m) => m.key === 'client_loss');
    assert.deepStrictEqual([metric?.count, metric?.last, metric?.lastStep], [3, 1 / 3, 2]);
  });

  it('Install Python Client installs the wheel into exptrack.pythonPath, importable there outside VS Code', async () => {
    await api();
    await setPythonPath(venvPython);
    messages = answerMessages(() => undefined);
    const outcome = await vscode.commands.executeCommand<{ status: string }>('exptrack.installPythonClient');
    assert.strictEqual(outcome.status, 'installed', JSON.stringify(messages.shown));
    const imported = await outside(venvPython, 'import exptrack; print(exptrack.__version__); print(exptrack.__file__)');
    assert.strictEqual(imported.status, 0, imported.stderr);
    const [version, file] = imported.stdout.trim().split('\n');
    assert.strictEqual(version, VERSION);
    assert.ok(file!.startsWith(path.join(tmp, 'venv')), file);
    assert.ok(messages.shown.some((m) => m.severity === 'info' && m.message.includes(`exptrack-client ${VERSION} installed into ${venvPython}`)), JSON.stringify(messages.shown));
  });

  it('says that pip is missing, and installs after ensurepip when asked', async () => {
    await api();
    const noPip = path.join(tmp, 'no-pip');
    await ok('python3', ['-m', 'venv', '--without-pip', noPip]);
    const python = path.join(noPip, 'bin/python');
    await setPythonPath(python);
    messages = answerMessages((m) => (m.actions.includes('Install pip and Retry') ? 'Install pip and Retry' : undefined));
    const outcome = await vscode.commands.executeCommand<{ status: string }>('exptrack.installPythonClient');
    const warning = messages.shown.find((m) => m.severity === 'warning');
    assert.match(warning?.message ?? '', /has no pip\. Install it with `.*-m ensurepip`, or with your system's package/);
    assert.strictEqual(outcome.status, 'installed', JSON.stringify(messages.shown));
    assert.strictEqual((await outside(python, 'import exptrack; print(exptrack.__version__)')).stdout.trim(), VERSION);
  });

  it('says when the interpreter cannot be run', async () => {
    await api();
    await setPythonPath(path.join(tmp, 'missing', 'python3'));
    messages = answerMessages(() => undefined);
    const outcome = await vscode.commands.executeCommand<{ status: string; problem?: { kind: string } }>('exptrack.installPythonClient');
    assert.deepStrictEqual([outcome.status, outcome.problem?.kind], ['failed', 'cannot-run']);
    const error = messages.shown.find((m) => m.severity === 'error');
    assert.match(error?.message ?? '', /could not be run \(not found\)\. Select an interpreter with Python: Select Interpreter, or set exptrack\.pythonPath/);
    assert.deepStrictEqual(error?.actions, ['Open Settings', 'Show Output']);
  });

  it('offers a venv or a user install for an externally managed Python, and creates the venv when asked', async function () {
    const system = '/usr/bin/python3';
    const marker = await run(system, ['-c', 'import sysconfig, os; print(os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))']);
    if (marker.stdout.trim() !== 'True') this.skip(); // only where the system Python is externally managed (Debian 12+)
    await api();
    await setPythonPath(system);
    messages = answerMessages((m) => (m.actions.includes('Create Virtual Environment') ? 'Create Virtual Environment' : undefined));
    const outcome = await vscode.commands.executeCommand<{ status: string; python?: string }>('exptrack.installPythonClient');
    const warning = messages.shown.find((m) => m.severity === 'warning');
    assert.match(warning?.message ?? '', /is externally managed \(PEP 668\): pip does not install into it/);
    assert.deepStrictEqual(warning?.actions, ['Create Virtual Environment', 'Install with --user', 'Show Output']);
    const created = path.join(root(), '.venv/bin/python');
    assert.deepStrictEqual([outcome.status, outcome.python], ['installed', created], JSON.stringify(messages.shown));
    assert.strictEqual((await outside(created, 'import exptrack; print(exptrack.__version__)')).stdout.trim(), VERSION);
    assert.ok(messages.shown.some((m) => m.actions.includes('Use for ExpTrack Runs')));
    fs.rmSync(path.join(root(), '.venv'), { recursive: true, force: true });
  });

  it('offers Install Python Client when a recorded notebook cell cannot import exptrack, into the kernel\'s interpreter', async () => {
    const a = await api();
    await ok(venvPython, ['-m', 'pip', 'uninstall', '-y', '-q', 'exptrack-client']);
    assert.notStrictEqual((await outside(venvPython, 'import exptrack')).status, 0);
    await setPythonPath(venvPython); // without the Jupyter extension, the kernel's interpreter is the configured one
    // A kernel that gets nothing on PYTHONPATH, as a Jupyter kernel does.
    const kernel = createPythonController(vscode, { id: 'exptrack-integration-bare-kernel', clientDir: '', python: venvPython });
    try {
      messages = answerMessages((m) => (m.actions.includes('Install Python Client') ? 'Install Python Client' : undefined));
      const file = path.join(root(), 'notebooks', 'needs client.ipynb');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({
        nbformat: 4, nbformat_minor: 5, metadata: {},
        cells: [{ cell_type: 'code', id: 'c0', execution_count: null, metadata: {}, outputs: [], source: 'import exptrack\nprint("imported", exptrack.__version__)' }],
      }));
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
      const doc = await waitFor('the notebook editor', () => vscode.window.activeNotebookEditor?.notebook);
      await vscode.commands.executeCommand('notebook.selectKernel', { id: kernel.controller.id, extension: 'exptrack.exptrack' });
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: doc.uri });
      const offer = await waitFor('the offer', () => messages!.shown.find((m) => m.actions.includes('Install Python Client')));
      assert.match(offer.message, /the kernel of notebooks\/needs client\.ipynb cannot import exptrack/);
      await waitFor('the client in the kernel\'s interpreter', async () => ((await outside(venvPython, 'import exptrack')).status === 0 ? true : undefined), 60_000);
      assert.ok(a.notebooks()!.runIdOf(doc.uri), 'the notebook is recorded');

      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: doc.uri });
      const cell = doc.cellAt(0);
      await waitFor('the cell to run again and succeed', () => (cell.executionSummary?.success === true ? true : undefined));
      const text = cell.outputs.flatMap((o) => o.items).map((i) => new TextDecoder().decode(i.data)).join('');
      assert.match(text, new RegExp(`imported ${VERSION.replace(/\./g, '\\.')}`));
      assert.strictEqual(messages.shown.filter((m) => m.actions.includes('Install Python Client')).length, 1, 'offered once');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      kernel.dispose();
    }
  });
});

/**
 * "ExpTrack: Install Python Client": pip installs the bundled wheel (distribution
 * `exptrack-client`) into an interpreter, so that `import exptrack` works there outside VS Code
 * too. pip's output goes to the Output channel; a failure says the way out and offers it
 * (ensurepip, a virtual environment, a user install). Nothing runs in an untrusted workspace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bundledClientWheel, CLIENT_DISTRIBUTION } from '../../core/pythonClient/clientLocation';
import {
  createVenv, ensurePip, installedClient, pipInstall, type InstalledClient, type PipInstallChoices, type PipProblem,
} from '../../core/pythonClient/pipInstall';
import type { Log } from '../log';

export type InstallOutcome =
  | { status: 'installed'; python: string; client: InstalledClient }
  | { status: 'failed'; python: string; problem?: PipProblem; reason: string }
  | { status: 'untrusted' | 'no-wheel' };

const ACTIONS = {
  showOutput: 'Show Output',
  ensurePip: 'Install pip and Retry',
  userInstall: 'Install with --user',
  venv: 'Create Virtual Environment',
  settings: 'Open Settings',
  usePython: 'Use for ExpTrack Runs',
} as const;

export class PythonClientInstaller {
  constructor(
    private readonly extensionPath: string,
    private readonly version: string,
    /** Where "Create Virtual Environment" puts `.venv`; undefined without a folder. */
    private readonly workspaceRoot: string | undefined,
    private readonly log: Log,
  ) {}

  get wheel(): string {
    return bundledClientWheel(this.extensionPath, this.version);
  }

  /** Installs into `python`, offering the way out when pip cannot; resolves with what happened. */
  async install(python: string, choices: PipInstallChoices = {}): Promise<InstallOutcome> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('ExpTrack: installing the Python client runs pip, which is disabled in an untrusted workspace. Trust the workspace first.');
      return { status: 'untrusted' };
    }
    if (!fs.existsSync(this.wheel)) {
      const msg = `the Python client's wheel is missing (${this.wheel}); in a development copy, build it with npm run build:python`;
      this.log.error(msg);
      void vscode.window.showErrorMessage(`ExpTrack: ${msg}.`);
      return { status: 'no-wheel' };
    }
    const flags = [choices.user && '--user', choices.breakSystemPackages && '--break-system-packages'].filter(Boolean).join(' ');
    this.log.info(`installing ${CLIENT_DISTRIBUTION} ${this.version} into ${python}${flags ? ` (${flags})` : ''}: ${this.wheel}`);
    const result = await this.withProgress(`installing the Python client into ${python}`, () =>
      pipInstall(python, this.wheel, choices, { cwd: os.tmpdir(), onOutput: (text) => this.logOutput(text) }));
    if (result.ok) return this.verify(python);
    const problem = result.problem!;
    this.log.error(`pip could not install ${CLIENT_DISTRIBUTION} into ${python}: ${problem.kind}`);
    return this.offerWayOut(python, problem);
  }

  /** After pip succeeded: `import exptrack` outside any run, from a neutral folder. */
  private async verify(python: string): Promise<InstallOutcome> {
    const client = await installedClient(python, os.tmpdir());
    if (!client) {
      const reason = `pip installed ${CLIENT_DISTRIBUTION}, but ${python} still cannot import exptrack (is its user site-packages turned off?)`;
      this.log.error(reason);
      void this.showError(reason, 'warning');
      return { status: 'failed', python, reason };
    }
    this.log.info(`exptrack ${client.version} is importable in ${python} from ${client.file}`);
    void vscode.window.showInformationMessage(`ExpTrack: ${CLIENT_DISTRIBUTION} ${client.version} installed into ${python}; \`import exptrack\` works there outside VS Code too.`);
    return { status: 'installed', python, client };
  }

  private async offerWayOut(python: string, problem: PipProblem): Promise<InstallOutcome> {
    const failed = (reason: string): InstallOutcome => ({ status: 'failed', python, problem, reason });
    switch (problem.kind) {
      case 'cannot-run': {
        const reason = `the Python interpreter ${python} could not be run (${problem.detail})`;
        const pick = await this.showError(`${reason}. Select an interpreter with Python: Select Interpreter, or set exptrack.pythonPath.`, 'error', ACTIONS.settings);
        if (pick === ACTIONS.settings) void vscode.commands.executeCommand('workbench.action.openSettings', 'exptrack.pythonPath');
        return failed(reason);
      }
      case 'no-pip': {
        const reason = `${python} has no pip`;
        const pick = await this.showError(`${reason}. Install it with \`${python} -m ensurepip\`, or with your system's package (Debian/Ubuntu: sudo apt install python3-pip).`, 'warning', ACTIONS.ensurePip);
        if (pick !== ACTIONS.ensurePip) return failed(reason);
        const ensured = await this.withProgress(`installing pip into ${python}`, () => ensurePip(python, { cwd: os.tmpdir(), onOutput: (t) => this.logOutput(t) }));
        if (ensured.ok) return this.install(python);
        const why = ensured.disabled
          ? `ensurepip is turned off for ${python} by the system; install pip with its package manager (Debian/Ubuntu: sudo apt install python3-pip), or use a virtual environment`
          : `ensurepip failed for ${python}`;
        void this.showError(why, 'error');
        return failed(why);
      }
      case 'externally-managed': {
        const reason = `${python} is externally managed (PEP 668): pip does not install into it`;
        const pick = await this.showError(
          `${reason}. Create a virtual environment for this workspace with the client in it, or install for your user only (--user --break-system-packages: the client is one file with no dependencies, and nothing else is changed).`,
          'warning', ACTIONS.venv, ACTIONS.userInstall);
        if (pick === ACTIONS.venv) return this.createVenvWithClient(python);
        if (pick === ACTIONS.userInstall) return this.install(python, { user: true, breakSystemPackages: true });
        return failed(reason);
      }
      case 'permission-denied': {
        const reason = `pip may not write into the site-packages of ${python} (permission denied)`;
        const actions = problem.userInstallSuggested ? [ACTIONS.userInstall, ACTIONS.venv] : [ACTIONS.venv];
        const pick = await this.showError(`${reason}. ${problem.userInstallSuggested ? 'Install for your user only, or create' : 'Check the folder\'s permissions, or create'} a virtual environment for this workspace.`, 'warning', ...actions);
        if (pick === ACTIONS.userInstall) return this.install(python, { user: true });
        if (pick === ACTIONS.venv) return this.createVenvWithClient(python);
        return failed(reason);
      }
      case 'user-site-hidden': {
        const reason = `${python} is a virtual environment, which does not see a user install`;
        void this.showError(`${reason}; install without --user.`, 'error');
        return failed(reason);
      }
      case 'python-too-old': {
        const reason = `the Python client needs Python 3.8 or newer (${problem.detail})`;
        void this.showError(reason, 'error');
        return failed(reason);
      }
      case 'failed': {
        const reason = `pip could not install the client into ${python}: ${problem.detail}`;
        void this.showError(reason, 'error');
        return failed(reason);
      }
    }
  }

  /** `.venv` in the workspace (made with `python` unless it exists), with the client in it. */
  private async createVenvWithClient(python: string): Promise<InstallOutcome> {
    if (!this.workspaceRoot) {
      const reason = 'a virtual environment for the workspace needs a folder open';
      void this.showError(reason, 'error');
      return { status: 'failed', python, reason };
    }
    const venv = path.join(this.workspaceRoot, '.venv');
    const venvPython = process.platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
    if (!fs.existsSync(venvPython)) {
      this.log.info(`creating a virtual environment: ${python} -m venv ${venv}`);
      const made = await this.withProgress(`creating ${venv}`, () => createVenv(python, venv, { cwd: this.workspaceRoot, onOutput: (t) => this.logOutput(t) }));
      if (!made.ok) {
        const reason = made.needsVenvPackage
          ? `${python} cannot create virtual environments without its venv package (Debian/Ubuntu: sudo apt install python3-venv)`
          : `${python} -m venv ${venv} failed`;
        void this.showError(reason, 'error');
        return { status: 'failed', python, reason };
      }
    }
    const outcome = await this.install(venvPython);
    if (outcome.status === 'installed') {
      const pick = await vscode.window.showInformationMessage(
        `ExpTrack: ${venv} has the Python client. Select it with Python: Select Interpreter, or use it for ExpTrack's tracked runs.`, ACTIONS.usePython);
      if (pick === ACTIONS.usePython) {
        await vscode.workspace.getConfiguration('exptrack').update('pythonPath', venvPython, vscode.ConfigurationTarget.Workspace);
      }
    }
    return outcome;
  }

  private withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `ExpTrack: ${title}…` }, task);
  }

  private logOutput(text: string): void {
    for (const line of text.split(/\r?\n/)) if (line.trim()) this.log.info(`  ${line}`);
  }

  /** A message ending with the Output channel's button; resolves with the action picked. */
  private async showError(message: string, severity: 'error' | 'warning', ...actions: string[]): Promise<string | undefined> {
    const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const pick = await show(`ExpTrack: ${message}`, ...actions, ACTIONS.showOutput);
    if (pick === ACTIONS.showOutput) this.log.channel.show(true);
    return pick;
  }
}

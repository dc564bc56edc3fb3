/**
 * The Python client outside ExpTrack's own runs: **ExpTrack: Install Python Client** (into the
 * interpreter selected in the Python extension, or `exptrack.pythonPath`), and the same offer
 * for a notebook whose kernel cannot import `exptrack`, into that kernel's interpreter.
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { resolvePythonInterpreter } from '../capture/pythonInterpreter';
import { PythonClientInstaller, type InstallOutcome } from './installPythonClient';
import { jupyterKernelInterpreter } from './kernelInterpreter';

export const PYTHON_CLIENT_COMMAND_IDS = ['exptrack.installPythonClient'];

const INSTALL = 'Install Python Client';

export class PythonClientFeature extends Disposable {
  readonly installer: PythonClientInstaller;
  /** Notebooks already told this session, so one failing cell after another asks once. */
  private readonly offered = new Set<string>();

  constructor(extensionPath: string, version: string, private readonly workspaceRoot: string, log: Log) {
    super();
    this.installer = new PythonClientInstaller(extensionPath, version, workspaceRoot, log);
  }

  handlers(): Record<string, (...args: unknown[]) => unknown> {
    return { 'exptrack.installPythonClient': () => this.installIntoSelected() };
  }

  /** The palette command: the interpreter tracked runs use for the active file (or the workspace). */
  async installIntoSelected(): Promise<InstallOutcome> {
    const resource = vscode.window.activeTextEditor?.document.uri ?? vscode.Uri.file(this.workspaceRoot);
    const python = await resolvePythonInterpreter(resource, vscode.workspace.getConfiguration('exptrack', resource).get<string>('pythonPath', ''));
    return this.installer.install(python);
  }

  /**
   * A recorded cell failed with `No module named 'exptrack'`: VS Code gives extensions no way to
   * set a Jupyter kernel's environment, so the client is offered for the kernel's interpreter.
   * Resolves with the outcome when the user chose to install (tests wait on it).
   */
  async offerForNotebook(notebook: vscode.Uri): Promise<InstallOutcome | undefined> {
    const key = notebook.toString();
    if (this.offered.has(key)) return undefined;
    this.offered.add(key);
    const pick = await vscode.window.showWarningMessage(
      `ExpTrack: the kernel of ${vscode.workspace.asRelativePath(notebook)} cannot import exptrack. Install the Python client into the kernel's interpreter, then run the cell again.`,
      INSTALL);
    if (pick !== INSTALL) return undefined;
    const python = (await jupyterKernelInterpreter(notebook))
      ?? await resolvePythonInterpreter(notebook, vscode.workspace.getConfiguration('exptrack', notebook).get<string>('pythonPath', ''));
    const outcome = await this.installer.install(python);
    // A kernel that started before a user install may not see it until it restarts.
    if (outcome.status !== 'installed') this.offered.delete(key);
    return outcome;
  }
}

import * as vscode from 'vscode';

interface PythonExtensionApi {
  settings?: { getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } };
}

/**
 * The interpreter for a tracked run: the `exptrack.pythonPath` setting, else the interpreter the
 * Python extension has selected for that file, else `python3` from PATH.
 */
export async function resolvePythonInterpreter(resource: vscode.Uri, configured: string): Promise<string> {
  if (configured.trim()) return configured.trim();
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (ext) {
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const exec = api?.settings?.getExecutionDetails?.(resource)?.execCommand;
      if (exec?.length === 1 && exec[0]) return exec[0];
    } catch {
      // The Python extension is optional; fall back to PATH.
    }
  }
  return process.platform === 'win32' ? 'python' : 'python3';
}

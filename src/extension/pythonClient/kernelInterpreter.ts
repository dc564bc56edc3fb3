/**
 * The interpreter a notebook's Jupyter kernel runs, asked of the kernel itself through the
 * Jupyter extension's kernel API (which asks the user once to allow ExpTrack access). Undefined
 * without the Jupyter extension, without a started kernel, or when the kernel does not answer.
 */
import * as vscode from 'vscode';
import { KERNEL_PYTHON_QUERY, kernelPythonFrom } from '../../core/pythonClient/kernelQuery';

interface KernelOutput {
  items: Array<{ mime: string; data: Uint8Array }>;
}
interface JupyterKernel {
  readonly language: string;
  executeCode(code: string, token: vscode.CancellationToken): AsyncIterable<KernelOutput>;
}
interface JupyterApi {
  kernels?: { getKernel(uri: vscode.Uri): Thenable<JupyterKernel | undefined> };
}

export async function jupyterKernelInterpreter(notebook: vscode.Uri, timeoutMs = 10_000): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<JupyterApi>('ms-toolsai.jupyter');
  if (!ext) return undefined;
  const cancel = new vscode.CancellationTokenSource();
  let timer: NodeJS.Timeout | undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    // Not timed: the Jupyter extension may first ask the user to allow access.
    const kernel = await api?.kernels?.getKernel(notebook);
    if (!kernel || kernel.language.toLowerCase() !== 'python') return undefined;
    timer = setTimeout(() => cancel.cancel(), timeoutMs);
    const decoder = new TextDecoder();
    for await (const output of kernel.executeCode(KERNEL_PYTHON_QUERY, cancel.token)) {
      for (const item of output.items) {
        const found = kernelPythonFrom(decoder.decode(item.data));
        if (found) return found;
      }
    }
    return undefined;
  } catch {
    return undefined; // no access granted, a remote or busy kernel: the caller falls back
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}

/**
 * Asking a notebook's kernel which interpreter it runs and whether it lacks the client. Kernels
 * of the Jupyter extension get no environment from other extensions (its stable API has no such
 * hook), so a kernel without the client is told by its error, and the client is offered for
 * installation into that kernel's own interpreter.
 */
import type { CellOutput } from '../notebooks/cellSnapshot';

const MARKER = 'EXPTRACK_KERNEL_PYTHON=';

/** Code that prints the kernel's interpreter after MARKER and leaves no name behind. */
export const KERNEL_PYTHON_QUERY = `import sys as _exptrack_sys; print(${JSON.stringify(MARKER)} + _exptrack_sys.executable); del _exptrack_sys`;

/** The interpreter path from the kernel's answer to KERNEL_PYTHON_QUERY. */
export function kernelPythonFrom(text: string): string | undefined {
  const line = text.split(/\r?\n/).find((l) => l.startsWith(MARKER));
  const value = line?.slice(MARKER.length).trim();
  return value ? value : undefined;
}

const MISSING = /ModuleNotFoundError: No module named '(exptrack)'/;

/**
 * True when a cell failed to import the client: the kernel's error output
 * (`ModuleNotFoundError`, "No module named 'exptrack'"), or the same traceback printed on stderr
 * by a kernel that reports errors as text. A missing submodule or another package does not count.
 */
export function cellLacksClient(outputs: readonly CellOutput[]): boolean {
  return outputs.some((o) => {
    if (o.type === 'error') return o.name === 'ModuleNotFoundError' && /^No module named '?exptrack'?$/.test(o.message.trim());
    if (o.type === 'stream') return o.name === 'stderr' && MISSING.test(o.text);
    return false;
  });
}

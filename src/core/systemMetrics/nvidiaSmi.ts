/**
 * GPU readings through NVIDIA's `nvidia-smi`, when it is on the run's PATH:
 *   nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw --format=csv,noheader,nounits
 * prints one line per GPU, the fields in the order asked, separated by ", ", without units (MiB,
 * %, °C, W); a field a GPU cannot report reads `[N/A]` or `[Not Supported]` and is left out.
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw',
  '--format=csv,noheader,nounits',
] as const;

/** The series written for each GPU, in the order of the query's fields after `index`. */
const GPU_FIELDS = ['utilization_percent', 'memory_used_mb', 'memory_total_mb', 'temperature_c', 'power_w'] as const;

export class NvidiaSmiOutputError extends Error {}

/** `system/gpu<i>/…` values from the tool's output; throws NvidiaSmiOutputError on output that is not its format. */
export function parseNvidiaSmi(stdout: string): Record<string, number> {
  const values: Record<string, number> = {};
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) throw new NvidiaSmiOutputError('nvidia-smi printed nothing');
  for (const line of lines) {
    const fields = line.split(',').map((f) => f.trim());
    const index = Number(fields[0]);
    if (fields.length !== GPU_FIELDS.length + 1 || !Number.isInteger(index) || index < 0) {
      throw new NvidiaSmiOutputError(`unexpected nvidia-smi output: ${JSON.stringify(line.slice(0, 120))}`);
    }
    GPU_FIELDS.forEach((name, i) => {
      const text = fields[i + 1]!;
      if (text.startsWith('[')) return; // [N/A], [Not Supported]
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw new NvidiaSmiOutputError(`unexpected nvidia-smi value ${JSON.stringify(text.slice(0, 40))} for ${name}`);
      values[`system/gpu${index}/${name}`] = n;
    });
    const used = values[`system/gpu${index}/memory_used_mb`];
    const total = values[`system/gpu${index}/memory_total_mb`];
    if (used !== undefined && total !== undefined && total > 0) values[`system/gpu${index}/memory_percent`] = (100 * used) / total;
  }
  return values;
}

/** The executable `nvidia-smi` on this PATH, or undefined (then GPUs are simply not sampled). */
export async function findNvidiaSmi(pathVariable: string | undefined): Promise<string | undefined> {
  const name = process.platform === 'win32' ? 'nvidia-smi.exe' : 'nvidia-smi';
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await fsp.access(candidate, fsp.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Runs the query once; rejects with a one-line message when the tool fails, hangs or prints something else. */
export function queryNvidiaSmi(executable: string, timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    execFile(executable, [...NVIDIA_SMI_ARGS], { timeout: timeoutMs, maxBuffer: 1 << 20, windowsHide: true, env }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
        const why = error.killed ? `did not answer within ${timeoutMs} ms` : typeof code === 'number' ? `exited with code ${code}` : error.message;
        const said = String(stderr || stdout).trim().split('\n')[0]?.slice(0, 200);
        reject(new Error(`nvidia-smi ${why}${said ? `: ${said}` : ''}`));
        return;
      }
      try {
        resolve(parseNvidiaSmi(String(stdout)));
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

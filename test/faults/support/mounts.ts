/**
 * Real file-system faults need mounts: a tiny tmpfs fills up for real, and a read-only bind mount
 * refuses writes even to root (who ignores permission bits). Mounting needs root and a kernel
 * that allows it here; when it does not, the caller falls back or skips and says why.
 */
import { execFileSync } from 'node:child_process';

export type Mounted = { ok: true; unmount(): void } | { ok: false; reason: string };

/** Mounts a tmpfs of `bytes` at `dir` (an existing, empty folder). */
export function mountTmpfs(dir: string, bytes: number): Mounted {
  return mount(['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], dir);
}

/** Makes `dir` read-only in place: a bind mount of itself, remounted read-only. */
export function mountReadOnly(dir: string): Mounted {
  const bound = mount(['--bind', dir, dir], dir);
  if (!bound.ok) return bound;
  try {
    execFileSync('mount', ['-o', 'remount,ro,bind', dir], { stdio: 'pipe' });
  } catch (e) {
    bound.unmount();
    return { ok: false, reason: `mount -o remount,ro,bind: ${stderrOf(e)}` };
  }
  return bound;
}

function mount(args: string[], dir: string): Mounted {
  if (process.platform !== 'linux') return { ok: false, reason: `mounting is only tried on Linux (this is ${process.platform})` };
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
  } catch (e) {
    return { ok: false, reason: `mount ${args.join(' ')}: ${stderrOf(e)}` };
  }
  return {
    ok: true,
    unmount: () => {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); // busy: detach now, free when unused
      }
    },
  };
}

function stderrOf(e: unknown): string {
  const err = e as { stderr?: Buffer; message: string };
  return (err.stderr?.toString().trim() || err.message).split('\n')[0]!;
}

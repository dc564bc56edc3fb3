/**
 * Content facts about a model file or folder: sha256, size and the framework guess. Folders are
 * hashed the way python/exptrack.py does it (sha256 over `"<relpath>\0<file sha256>\n"` for every
 * file, walking top-down with names sorted and symlinked folders not entered), so a version
 * registered here and one logged by the client agree on the same bytes.
 * Every path is checked to stay inside the workspace before it is opened.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelFramework } from '../../shared/modelTypes';
import { resolveInsideWorkspace } from '../workspacePaths';
import { guessFramework } from './framework';

export interface ModelFileFacts {
  /** Workspace-relative path, forward slashes. */
  relPath: string;
  kind: 'file' | 'directory';
  sha256: string;
  bytes: number;
  framework: ModelFramework | null;
}

export type ModelFileResult = { ok: true; facts: ModelFileFacts } | { ok: false; reason: string };

const HEAD_BYTES = 16;

export async function modelFileFacts(workspaceRoot: string, p: string): Promise<ModelFileResult> {
  const resolved = resolveInsideWorkspace(workspaceRoot, p);
  if (!resolved.ok) return resolved;
  try {
    const stat = await fs.promises.stat(resolved.absPath);
    if (stat.isDirectory()) {
      const { sha256, bytes } = await hashDirectory(workspaceRoot, resolved.absPath);
      const entries = await fs.promises.readdir(resolved.absPath);
      const framework = guessFramework(resolved.relPath, { isDirectory: true, directoryEntries: entries });
      return { ok: true, facts: { relPath: resolved.relPath, kind: 'directory', sha256, bytes, framework } };
    }
    if (!stat.isFile()) return { ok: false, reason: `${resolved.relPath} is neither a file nor a folder` };
    const { sha256, bytes, head } = await hashFile(resolved.absPath);
    return { ok: true, facts: { relPath: resolved.relPath, kind: 'file', sha256, bytes, framework: guessFramework(resolved.relPath, { head }) } };
  } catch (e) {
    return { ok: false, reason: `${resolved.relPath} cannot be read: ${(e as Error).message}` };
  }
}

async function hashFile(absPath: string): Promise<{ sha256: string; bytes: number; head: Buffer }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const headParts: Buffer[] = [];
  let headLength = 0;
  for await (const chunk of fs.createReadStream(absPath)) {
    const buf = chunk as Buffer;
    hash.update(buf);
    bytes += buf.length;
    if (headLength < HEAD_BYTES) {
      headParts.push(buf.subarray(0, HEAD_BYTES - headLength));
      headLength += Math.min(buf.length, HEAD_BYTES - headLength);
    }
  }
  return { sha256: hash.digest('hex'), bytes, head: Buffer.concat(headParts) };
}

/** Python's os.walk order: a folder's files (sorted) first, then its subfolders (sorted), depth first. */
async function hashDirectory(workspaceRoot: string, dirAbs: string): Promise<{ sha256: string; bytes: number }> {
  const manifest = createHash('sha256');
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) => compareCodePoints(a.name, b.name));
    const subdirs: string[] = [];
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        subdirs.push(abs);
        continue;
      }
      if (entry.isSymbolicLink()) {
        // The client follows symlinked files but does not enter symlinked folders; both must stay inside.
        const inside = resolveInsideWorkspace(workspaceRoot, abs);
        if (!inside.ok) throw new Error(inside.reason);
        if ((await fs.promises.stat(abs)).isDirectory()) continue;
      }
      const { sha256, bytes } = await hashFile(abs);
      const rel = path.relative(dirAbs, abs).split(path.sep).join('/');
      manifest.update(`${rel}\u0000${sha256}\n`, 'utf8');
      total += bytes;
    }
    for (const sub of subdirs) await walk(sub);
  };
  await walk(dirAbs);
  return { sha256: manifest.digest('hex'), bytes: total };
}

/** Python sorts str by code point; JS's default sort compares UTF-16 units (differs for astral characters). */
function compareCodePoints(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

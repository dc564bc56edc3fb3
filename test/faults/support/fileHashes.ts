/** Hashes of every file below a folder, to show that a failure changed none of them. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export function hashFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Workspace-relative path → sha256 of the files `include` accepts (default: all). */
export function hashTree(root: string, include: (relPath: string) => boolean = () => true): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && include(rel)) out.set(rel, hashFile(abs));
    }
  };
  walk(root);
  return out;
}

/** The run logs and the registry: the files nothing but their writers may change. */
export function isSourceFile(relPath: string): boolean {
  return relPath.endsWith('/events.jsonl') || relPath.endsWith('registry.jsonl');
}

/**
 * Every folder and file below `root` (outside `.git/`), files with their size and mtime: two equal
 * listings mean nothing was created, removed or written there in between.
 */
export function treeListing(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f !== '.git' && !f.startsWith(`.git${path.sep}`))
    .map((f) => {
      const st = fs.statSync(path.join(root, f));
      return `${f.split(path.sep).join('/')}${st.isDirectory() ? '/' : ` ${st.size} ${st.mtimeMs}`}`;
    })
    .sort();
}

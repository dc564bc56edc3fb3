import * as path from 'node:path';

/**
 * The root among `roots` that holds `absPath` (the path itself or anything below it); the deepest
 * one when folders nest. Undefined when none does.
 */
export function rootHolding(roots: readonly string[], absPath: string): string | undefined {
  const target = path.resolve(absPath);
  let best: string | undefined;
  for (const root of roots) {
    const rel = path.relative(path.resolve(root), target);
    const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    if (inside && (best === undefined || root.length > best.length)) best = root;
  }
  return best;
}

/**
 * Glob patterns as VS Code's settings write them (`files.exclude`, `exptrack.sources.*`), matched
 * with picomatch over workspace-relative, `/`-separated paths: `**` any number of folders, `*` and
 * `?` within one name, `{a,b}`, `[abc]` and `[!abc]`. As in VS Code, `*` also matches names that
 * start with a dot, a leading `!` is not a negation, and `(`, `)`, `|`, `+` are plain characters
 * (picomatch would read them as regex groups and extglobs).
 */
import picomatch from 'picomatch';

const OPTIONS: picomatch.PicomatchOptions = {
  dot: true,
  // picomatch reads `[!…]` as a negated class only in POSIX mode.
  posix: true,
  nonegate: true,
  noextglob: true,
  windows: false,
};

/** `./logs/`, `/logs/` and `logs\` all mean the folder `logs` and everything in it. */
export function normalizeGlob(glob: string): string {
  let g = glob.trim().replace(/\\/g, '/');
  while (g.startsWith('./')) g = g.slice(2);
  if (g.startsWith('/')) g = g.slice(1);
  if (g.endsWith('/')) g += '**';
  return g;
}

/** A glob as an anchored regular expression over a relative path (a regex: the fastest test per path). */
export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(literalRegexCharacters(normalizeGlob(glob)), OPTIONS);
}

function literalRegexCharacters(glob: string): string {
  return glob.replace(/[()|+]/g, '\\$&');
}

/** The folder a glob is rooted in, before its first wildcard (`experiments/**` → `experiments`; `**` → ``). */
export function globBase(glob: string): string {
  return picomatch.scan(normalizeGlob(glob), OPTIONS).base;
}

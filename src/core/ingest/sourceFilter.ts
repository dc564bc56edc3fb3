/**
 * Which files of the workspace are read as sources: the `exptrack.sources.include` and
 * `exptrack.sources.exclude` settings, glob patterns relative to the workspace root as in VS Code's
 * own settings (`**` any number of folders, `*` and `?` within one name, `{a,b}`, `[abc]`).
 * A file is read when a reader claims it, some include pattern matches and no exclude pattern does.
 * ExpTrack's own files under `.exptrack/` are always read: they are the runs it recorded itself.
 */

export interface SourceSettings {
  include: string[];
  exclude: string[];
}

export const DEFAULT_SOURCE_SETTINGS: SourceSettings = {
  include: ['**'],
  exclude: ['**/node_modules/**'],
};

const OWN_FILES = /^\.exptrack\//;

export class SourceFilter {
  private constructor(
    private readonly include: RegExp[],
    private readonly exclude: RegExp[],
    /** Excludes of the form `<folder glob>/**`: a matching folder is not entered at all. */
    private readonly excludedDirs: RegExp[],
  ) {}

  /** Compiles the settings; patterns that cannot be used are reported in `errors` and left out. */
  static compile(settings: Partial<SourceSettings>): { filter: SourceFilter; errors: string[] } {
    const errors: string[] = [];
    const compileAll = (name: 'include' | 'exclude'): RegExp[] => {
      const list = settings[name] ?? DEFAULT_SOURCE_SETTINGS[name];
      if (!Array.isArray(list)) {
        errors.push(`exptrack.sources.${name} must be a list of glob patterns`);
        return DEFAULT_SOURCE_SETTINGS[name].map((g) => globToRegExp(g));
      }
      const out: RegExp[] = [];
      list.forEach((glob: unknown, i) => {
        if (typeof glob !== 'string' || normalizeGlob(glob) === '') {
          errors.push(`exptrack.sources.${name}[${i}] is not a glob pattern`);
          return;
        }
        out.push(globToRegExp(glob));
      });
      return out;
    };
    const include = compileAll('include');
    const exclude = compileAll('exclude');
    const excludedDirs = (Array.isArray(settings.exclude) ? settings.exclude : DEFAULT_SOURCE_SETTINGS.exclude)
      .filter((g): g is string => typeof g === 'string')
      .map(normalizeGlob)
      .filter((g) => g.endsWith('/**') && g.length > 3)
      .map((g) => globToRegExp(g.slice(0, -3)));
    return { filter: new SourceFilter(include, exclude, excludedDirs), errors };
  }

  /** Whether a file (workspace-relative, `/`-separated) may be read. */
  accepts(relPath: string): boolean {
    if (OWN_FILES.test(relPath)) return true;
    return this.include.some((re) => re.test(relPath)) && !this.exclude.some((re) => re.test(relPath));
  }

  /** Whether a folder (workspace-relative) holds only excluded files, so discovery need not enter it. */
  skipsDir(relDir: string): boolean {
    if (relDir === '.exptrack' || relDir.startsWith('.exptrack/')) return false;
    return this.excludedDirs.some((re) => re.test(relDir));
  }
}

function normalizeGlob(glob: string): string {
  let g = glob.trim().replace(/\\/g, '/');
  while (g.startsWith('./')) g = g.slice(2);
  if (g.startsWith('/')) g = g.slice(1);
  // `logs/` means the folder and everything in it.
  if (g.endsWith('/')) g += '**';
  return g;
}

/** A glob as an anchored regular expression over a `/`-separated relative path. */
export function globToRegExp(glob: string): RegExp {
  const g = normalizeGlob(glob);
  let re = '';
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        const atStart = i === 0 || g[i - 1] === '/';
        const atEnd = i + 2 === g.length || g[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` matches zero or more folders; a final `**` matches everything below.
          if (i + 2 === g.length) re += '.*';
          else re += '(?:[^/]*/)*';
          i += 2; // also skips the `/` after `**`
          continue;
        }
      }
      while (g[i + 1] === '*') i++;
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else if (c === '[') {
      const close = g.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = g.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else {
      re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
    }
  }
  re += ')'.repeat(braces);
  return new RegExp(`^${re}$`);
}

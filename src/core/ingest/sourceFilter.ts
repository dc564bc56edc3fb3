/**
 * Which files of the workspace are read as sources. Two kinds of rules:
 *  - ExpTrack's own settings, always obeyed: `exptrack.sources.include` (files read) and
 *    `exptrack.sources.exclude` (files and folders never read), glob patterns relative to the
 *    workspace root as in VS Code's own settings (see glob.ts).
 *  - The workspace's ignore rules — VS Code's `files.exclude` and `search.exclude`, and
 *    `.gitignore` (`exptrack.sources.useGitignore`) — which prune what holds no runs. They never
 *    prune a log folder (readers/logFolders.ts: `mlruns`, `lightning_logs`, `runs`…) nor anything
 *    in one, nor a folder an include pattern names (`experiments/**` keeps `experiments/`): people
 *    ignore their log folders in git and search precisely because loggers fill them.
 * ExpTrack's own files under `.exptrack/` are always read: they are the runs it recorded itself.
 */
import { globBase, globToRegExp, normalizeGlob } from './glob';
import { compileExcludeSetting, excludingRule, type ExcludeRule, type Siblings } from './workspaceExcludes';

export interface SourceSettings {
  include: string[];
  exclude: string[];
  /** VS Code's `files.exclude`: glob → true | false | { when }. */
  filesExclude: Record<string, unknown>;
  /** VS Code's `search.exclude`, same shape. */
  searchExclude: Record<string, unknown>;
  /** Whether `.gitignore` files (and `.git/info/exclude`) prune what discovery looks at. */
  useGitignore: boolean;
  /** The most files and folders one scan looks at before it stops. */
  maxFiles: number;
}

export const DEFAULT_MAX_FILES = 500_000;

export const DEFAULT_SOURCE_SETTINGS: SourceSettings = {
  include: ['**'],
  exclude: ['**/node_modules/**'],
  filesExclude: {},
  searchExclude: {},
  useGitignore: true,
  maxFiles: DEFAULT_MAX_FILES,
};

const OWN_FILES = /^\.exptrack\//;

export class SourceFilter {
  private constructor(
    private readonly include: RegExp[],
    private readonly exclude: RegExp[],
    /** Excludes of the form `<folder glob>/**`: a matching folder is not entered at all. */
    private readonly excludedDirs: RegExp[],
    /** Folders named by include patterns (`experiments/**` → `experiments`), kept from the workspace's ignore rules. */
    private readonly includeBases: string[],
    private readonly workspaceExcludes: ExcludeRule[],
    readonly useGitignore: boolean,
    readonly maxFiles: number,
  ) {}

  /** Compiles the settings; entries that cannot be used are reported in `errors` and left out. */
  static compile(settings: Partial<SourceSettings>): { filter: SourceFilter; errors: string[] } {
    const errors: string[] = [];
    const globList = (name: 'include' | 'exclude'): string[] => {
      const list: unknown = settings[name] ?? DEFAULT_SOURCE_SETTINGS[name];
      if (!Array.isArray(list)) {
        errors.push(`exptrack.sources.${name} must be a list of glob patterns`);
        return DEFAULT_SOURCE_SETTINGS[name];
      }
      return list.filter((glob: unknown, i) => {
        const usable = typeof glob === 'string' && normalizeGlob(glob) !== '';
        if (!usable) errors.push(`exptrack.sources.${name}[${i}] is not a glob pattern`);
        return usable;
      });
    };
    const include = globList('include');
    const exclude = globList('exclude');
    const excludedDirs = exclude.map(normalizeGlob).filter((g) => g.endsWith('/**') && g.length > 3).map((g) => globToRegExp(g.slice(0, -3)));
    const workspaceExcludes: ExcludeRule[] = [];
    for (const [setting, value] of [['files.exclude', settings.filesExclude], ['search.exclude', settings.searchExclude]] as const) {
      const compiled = compileExcludeSetting(setting, value);
      workspaceExcludes.push(...compiled.rules);
      errors.push(...compiled.errors);
    }
    let maxFiles = settings.maxFiles ?? DEFAULT_MAX_FILES;
    if (!Number.isInteger(maxFiles) || maxFiles < 1) {
      errors.push(`exptrack.sources.maxFiles must be a whole number above 0 (using ${DEFAULT_MAX_FILES})`);
      maxFiles = DEFAULT_MAX_FILES;
    }
    const filter = new SourceFilter(
      include.map(globToRegExp), exclude.map(globToRegExp), excludedDirs,
      include.map(globBase).filter((base) => base !== ''), workspaceExcludes, settings.useGitignore !== false, maxFiles,
    );
    return { filter, errors };
  }

  /** Whether an include pattern takes the file (workspace-relative, `/`-separated); own files always. */
  includes(relPath: string): boolean {
    return OWN_FILES.test(relPath) || this.include.some((re) => re.test(relPath));
  }

  /** Whether `exptrack.sources.exclude` leaves out this file or folder (and so all it holds). */
  excludes(relPath: string, isDir: boolean): boolean {
    return this.exclude.some((re) => re.test(relPath)) || (isDir && this.excludedDirs.some((re) => re.test(relPath)));
  }

  /** Whether a file may be read, by ExpTrack's own settings alone (the folders above it not considered). */
  accepts(relPath: string): boolean {
    return OWN_FILES.test(relPath) || (this.includes(relPath) && !this.excludes(relPath, false));
  }

  /** The `files.exclude` / `search.exclude` entry that leaves out this file or folder, if any. */
  workspaceExclusion(relPath: string, name: string, siblings: () => Siblings): ExcludeRule | undefined {
    return this.workspaceExcludes.length ? excludingRule(this.workspaceExcludes, relPath, name, siblings) : undefined;
  }

  /** Whether the path is, holds or lies in a folder an include pattern names. */
  namedByInclude(relPath: string): boolean {
    return this.includeBases.some((base) => relPath === base || relPath.startsWith(`${base}/`) || base.startsWith(`${relPath}/`));
  }
}

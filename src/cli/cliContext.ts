/** What every CLI command gets: where it prints, where the workspace is, and the store over it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceProblem } from '../shared/runTypes';
import { EXPTRACK_DIR_NAME } from '../core/exptrackDir';
import { cliIndexDir } from '../core/store/indexLocation';
import { Store } from '../core/store/store';

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

export interface CliContext {
  workspaceRoot: string;
  openStore(): Promise<Store>;
}

/** The nearest folder at or above `start` that has a `.exptrack/` folder, else `start` itself. */
export function findWorkspaceRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, EXPTRACK_DIR_NAME))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}

export function createCliContext(workspaceRoot: string, dbPath?: string | null, warn: (line: string) => void = () => undefined): CliContext {
  return {
    workspaceRoot,
    async openStore() {
      // Without --db the index goes into .exptrack/ when the workspace has one, else into the cache folder.
      const { store, info } = await Store.open({ workspaceRoot, dbPath, outsideDir: dbPath === undefined ? cliIndexDir(workspaceRoot) : undefined });
      if (info.note) warn(`exptrack: the run index is kept at ${info.dbPath}: ${info.note}\n`);
      if (info.recovery) warn(`exptrack: opening the run index: ${info.recovery}\n`);
      if (info.fresh === 'set-aside') {
        warn(`exptrack: the run index could not be opened (${info.reason}); ${info.setAsidePath ? `moved to ${info.setAsidePath}, ` : ''}rebuilding it from the run files\n`);
      }
      return store;
    },
  };
}

/** `file:line: severity: message`, the shape editors and CI logs link from. */
export function formatProblem(p: SourceProblem): string {
  return `${p.path}${p.line !== null ? `:${p.line}` : ''}: ${p.severity}: ${p.message}`;
}

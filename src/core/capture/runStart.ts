/** The first events of a captured run: the `run` event (with git state) and the `params` event. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RUN_EVENT_FORMAT_VERSION, type RunStartEvent, type SourceKind } from '../../shared/runEvents';
import { parseTrainingCommand, type TrainingCommand } from './argvParams';
import { codePatchPath } from '../exptrackDir';
import { readGitState, uncommittedDiff, type GitState } from './git';
import { pythonVersionOf } from './pythonVersion';
import { defaultExperiment, defaultRunName } from './runName';

export interface RunStartInput {
  runId: string;
  exptrackDir: string;
  workspaceRoot: string;
  command: readonly string[];
  cwd: string;
  startedMs: number;
  sourceKind: SourceKind;
  sourcePath?: string;
  name?: string;
  /** Default: the script's folder name (see defaultExperiment). */
  experiment?: string;
  pythonVersion?: string;
  user?: string;
}

export interface RunStart {
  runEvent: RunStartEvent;
  /** Parameters read from the command line (empty when none or not a training command). */
  params: Record<string, unknown>;
  training: TrainingCommand | undefined;
  git: GitState | undefined;
}

/**
 * Reads the git state, the command line and (unless given) the interpreter's Python version,
 * writes `code.patch` when the tree is dirty, and builds the run's first events. Problems writing the patch go to `onError`; never rejects.
 */
export async function prepareRunStart(input: RunStartInput, onError: (e: Error) => void): Promise<RunStart> {
  const excludePaths = [input.exptrackDir];
  const training = parseTrainingCommand(input.command);
  const [git, pythonVersion] = await Promise.all([
    readGitState(input.cwd, { excludePaths }),
    input.pythonVersion ?? (training ? pythonVersionOf(training.interpreter, input.cwd) : undefined),
  ]);
  if (git?.dirty) {
    try {
      const patch = await uncommittedDiff(input.cwd, { excludePaths });
      if (patch) fs.writeFileSync(codePatchPath(input.exptrackDir, input.runId), patch);
    } catch (e) {
      onError(new Error(`could not write code.patch: ${(e as Error).message}`));
    }
  }
  const name = input.name ?? defaultRunName(training);
  const experiment = input.experiment ?? defaultExperiment(training, input.cwd);
  const sourcePath = input.sourcePath ?? scriptInWorkspace(training, input.cwd, input.workspaceRoot);
  const user = input.user ?? currentUser();

  const runEvent: RunStartEvent = {
    t: 'run',
    v: RUN_EVENT_FORMAT_VERSION,
    id: input.runId,
    ...(name !== undefined ? { name } : {}),
    ...(experiment !== undefined ? { experiment } : {}),
    started: input.startedMs / 1000,
    source: { kind: input.sourceKind, ...(sourcePath !== undefined ? { path: sourcePath } : {}) },
    command: [...input.command],
    cwd: input.cwd,
    ...(git ? { git: { ...git } } : {}),
    ...(pythonVersion ? { env: { python: pythonVersion } } : {}),
    ...(user ? { user } : {}),
  };
  return { runEvent, params: training?.params ?? {}, training, git };
}

/** The script's path relative to the workspace (with `/`), when it lies inside it. */
function scriptInWorkspace(training: TrainingCommand | undefined, cwd: string, workspaceRoot: string): string | undefined {
  if (!training?.script) return undefined;
  const relative = path.relative(workspaceRoot, path.resolve(cwd, training.script));
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

function currentUser(): string | undefined {
  try {
    return os.userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

import * as path from 'node:path';

/**
 * VS Code's `${…}` variables in a task definition, as far as a watcher can resolve them after the
 * task has started (the task API hands over the definition as written in tasks.json).
 */

export interface LaunchVariableValues {
  workspaceFolder: string;
  /** The file in the active editor, if any. */
  file?: string;
  env: Record<string, string | undefined>;
}

/**
 * Replaces `${workspaceFolder}`, `${workspaceRoot}`, `${workspaceFolderBasename}`, `${file}`,
 * `${fileBasename}`, `${fileBasenameNoExtension}`, `${fileDirname}`, `${relativeFile}`,
 * `${pathSeparator}` and `${env:NAME}`. Other variables (`${input:…}`, `${command:…}`) stay as
 * written; undefined when one is left, since the command cannot be known.
 */
export function resolveLaunchVariables(text: string, values: LaunchVariableValues): string | undefined {
  let unresolved = false;
  const result = text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const value = variable(name, values);
    if (value === undefined) unresolved = true;
    return value ?? whole;
  });
  return unresolved ? undefined : result;
}

function variable(name: string, v: LaunchVariableValues): string | undefined {
  if (name.startsWith('env:')) return v.env[name.slice(4)] ?? '';
  const file = v.file;
  const base = file ? path.basename(file) : undefined;
  switch (name) {
    case 'workspaceFolder':
    case 'workspaceRoot':
      return v.workspaceFolder;
    case 'workspaceFolderBasename':
      return path.basename(v.workspaceFolder);
    case 'pathSeparator':
    case '/':
      return path.sep;
    case 'file':
      return file;
    case 'fileBasename':
      return base;
    case 'fileBasenameNoExtension':
      return base?.replace(/\.[^.]*$/, '');
    case 'fileDirname':
      return file ? path.dirname(file) : undefined;
    case 'relativeFile':
      return file ? path.relative(v.workspaceFolder, file) : undefined;
    default:
      return undefined;
  }
}

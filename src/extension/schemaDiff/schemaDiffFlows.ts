import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { revisionsOf } from '../../core/datasets/gitRevisionFile';
import { resolveInsideWorkspace } from '../../core/workspacePaths';
import { firstUsed, type DatasetVersion } from '../../shared/datasetVersions';
import type { FolderSession } from '../folders/folderSession';
import { displayPath, fileInput, recordedInput, RESTRICTED_GIT, revisionInput, TempFolder, type DiffRequest, type InputResult } from './diffInputs';
import { matchingDataset, runChoices } from './runChoices';
import type { DiffModeChoice, SchemaDiffPrompts } from './schemaDiffPrompts';

/** A workspace folder whose runs' datasets a diff reads: its index, and its root their paths start at. */
export type DatasetFolder = Pick<FolderSession, 'index' | 'folder'>;

/**
 * The ways to choose what a schema diff compares. Each flow asks its questions through `prompts`
 * and returns the two sides, or undefined when the user stopped or a side cannot be had (the
 * reason is shown). Side A is the baseline (older), side B the newer one. Files are files
 * wherever they are; the datasets of runs are those of one folder (asked when there are several).
 */
export class SchemaDiffFlows {
  constructor(
    private readonly pickFolder: (title: string) => Promise<DatasetFolder | undefined>,
    private readonly prompts: () => SchemaDiffPrompts,
  ) {}

  /** The command palette's entry: asks what to compare, with `subject` as the first file where one fits. */
  async choose(subject?: vscode.Uri): Promise<DiffRequest | undefined> {
    const mode: DiffModeChoice | undefined = await this.prompts().pickMode();
    switch (mode) {
      case 'files':
        return this.twoFiles(subject);
      case 'revision':
        return this.fileAtRevision(subject);
      case 'runs':
        return this.twoRuns();
      case 'schema':
        return subject && isSchemaFile(subject) ? this.againstSchema(undefined, subject) : this.againstSchema(subject);
      case undefined:
        return undefined;
    }
  }

  async twoFiles(first?: vscode.Uri, second?: vscode.Uri): Promise<DiffRequest | undefined> {
    const a = first ?? (await this.prompts().pickFile('first file (baseline)', 'any'));
    if (!a) return undefined;
    const b = second ?? (await this.prompts().pickFile('second file (newer)', 'any', a));
    if (!b) return undefined;
    return { a: fileInput(a), b: fileInput(b) };
  }

  /** Two files selected in the Explorer: the one modified earlier is the baseline. */
  async selectedFiles(uris: readonly vscode.Uri[]): Promise<DiffRequest | undefined> {
    if (uris.length !== 2) {
      void vscode.window.showWarningMessage(`ExpTrack: select two files to diff their schemas (${uris.length} are selected).`);
      return undefined;
    }
    const stats = await Promise.all(uris.map(statOf));
    const notFile = uris.find((_, i) => !stats[i]?.isFile());
    if (notFile) {
      void vscode.window.showWarningMessage(`ExpTrack: ${displayPath(notFile)} is not a file; select two data files to diff their schemas.`);
      return undefined;
    }
    const [x, y] = uris as [vscode.Uri, vscode.Uri];
    return stats[1]!.mtimeMs < stats[0]!.mtimeMs ? this.twoFiles(y, x) : this.twoFiles(x, y);
  }

  async fileAtRevision(file?: vscode.Uri, revision?: string): Promise<DiffRequest | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showInformationMessage(`ExpTrack: ${RESTRICTED_GIT}.`);
      return undefined;
    }
    const target = file ?? (await this.prompts().pickFile('file', 'any'));
    if (!target) return undefined;
    const rev = revision ?? (await this.prompts().pickRevision(target, await revisionsOf(path.dirname(target.fsPath), path.basename(target.fsPath))));
    if (!rev) return undefined;
    const temp = await TempFolder.create();
    const older = await revisionInput(target, rev, temp);
    return withTemp(temp, older, () => ({ ok: true, input: fileInput(target, 'working copy') }));
  }

  async againstSchema(data?: vscode.Uri, schema?: vscode.Uri): Promise<DiffRequest | undefined> {
    const d = data ?? (await this.prompts().pickFile('data file', 'data'));
    if (!d) return undefined;
    const s = schema ?? (await this.prompts().pickFile('TFDV schema', 'schema'));
    if (!s) return undefined;
    return { a: fileInput(s, 'TFDV schema'), b: fileInput(d) };
  }

  /** The dataset versions two runs recorded, each read as the run saw it. */
  async twoRuns(): Promise<DiffRequest | undefined> {
    const folder = await this.pickFolder('Diff the datasets of two runs');
    if (!folder) return undefined;
    const root = folder.folder.root;
    const runs = runChoices(await folder.index.call('datasetVersions'));
    if (runs.length < 2) {
      void vscode.window.showInformationMessage(
        `ExpTrack: ${runs.length === 0 ? 'no run has' : 'only one run has'} recorded its datasets. Runs record them with exptrack.log_dataset(path).`);
      return undefined;
    }
    const runA = await this.prompts().pickRun('first run (baseline)', runs);
    if (!runA) return undefined;
    const runB = await this.prompts().pickRun('second run', runs.filter((r) => r.uid !== runA.uid));
    if (!runB) return undefined;
    const dataA = runA.datasets.length === 1 ? runA.datasets[0] : await this.prompts().pickRunDataset(`dataset of ${runA.name}`, runA);
    if (!dataA) return undefined;
    const dataB = matchingDataset(runB, dataA) ?? (await this.prompts().pickRunDataset(`dataset of ${runB.name}`, runB));
    if (!dataB) return undefined;
    const temp = await TempFolder.create();
    const a = await recordedInput(root, dataA.version, temp, runA.name);
    return withTemp(temp, a, () => recordedInput(root, dataB.version, temp, runB.name));
  }

  /** "Diff with…" on a dataset version in the Datasets view, of the folder that recorded it. */
  async versionWith(version: DatasetVersion, folder: DatasetFolder): Promise<DiffRequest | undefined> {
    const root = folder.folder.root;
    const all = await folder.index.call('datasetVersions');
    const same = (v: DatasetVersion) => v.path === version.path && v.sha256 === version.sha256;
    const others = [...all.filter((v) => v.path === version.path && !same(v)), ...all.filter((v) => v.path !== version.path)];
    const resolved = resolveInsideWorkspace(root, version.path);
    const current = resolved.ok && (await isFile(resolved.absPath)) ? vscode.Uri.file(resolved.absPath) : undefined;
    const target = await this.prompts().pickDiffTarget(version, others, current);
    if (!target) return undefined;
    const temp = await TempFolder.create();
    const mine = await recordedInput(root, version, temp);
    if (target.kind === 'file') return withTemp(temp, mine, () => ({ ok: true, input: fileInput(target.uri, 'working copy') }));
    // Two recorded versions: the one read first is the baseline.
    const theirs = await recordedInput(root, target.version, temp);
    const older = (firstUsed(target.version) ?? Infinity) < (firstUsed(version) ?? Infinity);
    return older ? withTemp(temp, theirs, () => mine) : withTemp(temp, mine, () => theirs);
  }
}

/** Builds a request from side A and (then) side B; on failure says why and removes the temp files. */
async function withTemp(temp: TempFolder, a: InputResult, b: () => InputResult | Promise<InputResult>): Promise<DiffRequest | undefined> {
  const fail = (reason: string) => {
    temp.dispose();
    void vscode.window.showErrorMessage(`ExpTrack: ${reason}`);
    return undefined;
  };
  if (!a.ok) return fail(a.reason);
  const second = await b();
  if (!second.ok) return fail(second.reason);
  return { a: a.input, b: second.input, temp };
}

function isSchemaFile(uri: vscode.Uri): boolean {
  return uri.fsPath.toLowerCase().endsWith('.pbtxt');
}

async function statOf(uri: vscode.Uri): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.stat(uri.fsPath);
  } catch {
    return undefined;
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isFile();
  } catch {
    return false;
  }
}


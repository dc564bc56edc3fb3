import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Revision } from '../../core/datasets/gitRevisionFile';
import { firstUsed, shortHash, type DatasetVersion } from '../../shared/datasetVersions';
import { formatTimestamp } from '../../shared/format';
import { displayPath } from './diffInputs';

export type DiffModeChoice = 'files' | 'revision' | 'runs' | 'schema';

export interface RunDataset {
  version: DatasetVersion;
  role: string | null;
}

/** A run that recorded datasets, with the versions it read. */
export interface RunChoice {
  uid: string;
  name: string;
  experiment: string;
  started: number | null;
  datasets: RunDataset[];
}

/** What "Diff with…" compares a dataset version against. */
export type DiffTarget = { kind: 'version'; version: DatasetVersion } | { kind: 'file'; uri: vscode.Uri };

/** `any`: data files and TFDV schemas. */
export type FileKind = 'data' | 'schema' | 'any';

/**
 * Every question the schema diff asks. The default answers through quick picks and dialogs; the
 * integration tests put answers of their own in its place.
 */
export interface SchemaDiffPrompts {
  pickMode(): Promise<DiffModeChoice | undefined>;
  /** `step` names the question, e.g. "first file (baseline)". */
  pickFile(step: string, kind: FileKind, exclude?: vscode.Uri): Promise<vscode.Uri | undefined>;
  /** A revision name or commit; `revisions` are the recent commits that changed the file. */
  pickRevision(file: vscode.Uri, revisions: Revision[]): Promise<string | undefined>;
  pickRun(step: string, runs: RunChoice[]): Promise<RunChoice | undefined>;
  pickRunDataset(step: string, run: RunChoice): Promise<RunDataset | undefined>;
  pickDiffTarget(version: DatasetVersion, others: DatasetVersion[], currentFile: vscode.Uri | undefined): Promise<DiffTarget | undefined>;
  saveLocation(defaultUri: vscode.Uri, format: 'markdown' | 'json'): Promise<vscode.Uri | undefined>;
}

const TITLE = 'Diff Dataset Schemas';
const DATA_GLOB = '**/*.{csv,tsv,tab,json,jsonl,ndjson,parquet,pq}';
const SCHEMA_GLOB = '**/*.pbtxt';
const ANY_GLOB = '**/*.{csv,tsv,tab,json,jsonl,ndjson,parquet,pq,pbtxt}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/.exptrack/**,**/.vscode-test/**}';
const MAX_FILES = 5000;

type Item<T> = vscode.QuickPickItem & { value?: T };

async function pick<T>(step: string, items: Item<T>[], placeHolder: string, opts: { matchOnDetail?: boolean } = {}): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, {
    title: `${TITLE} — ${step}`, placeHolder, matchOnDescription: true, matchOnDetail: opts.matchOnDetail ?? false, ignoreFocusOut: true,
  });
  return chosen?.value;
}

export class QuickPickPrompts implements SchemaDiffPrompts {
  async pickMode(): Promise<DiffModeChoice | undefined> {
    return pick<DiffModeChoice>('what to compare', [
      { label: '$(files) Two files', description: 'CSV, TSV, JSON, JSON Lines, Parquet, or two TFDV schemas', value: 'files' },
      { label: '$(git-commit) File against a git revision', description: 'the file now vs as committed at HEAD or a chosen commit', value: 'revision' },
      { label: '$(beaker) Datasets of two runs', description: 'the dataset versions two runs recorded', value: 'runs' },
      { label: '$(checklist) File against a TFDV schema', description: 'validate a data file against a schema.pbtxt', value: 'schema' },
    ], 'Choose what to compare');
  }

  async pickFile(step: string, kind: FileKind, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const glob = kind === 'schema' ? SCHEMA_GLOB : kind === 'any' ? ANY_GLOB : DATA_GLOB;
    const found = await vscode.workspace.findFiles(glob, EXCLUDE_GLOB, MAX_FILES);
    const active = vscode.window.activeTextEditor?.document.uri;
    const files = found
      .filter((u) => u.toString() !== exclude?.toString())
      .sort((x, y) => (x.toString() === active?.toString() ? -1 : y.toString() === active?.toString() ? 1 : displayPath(x).localeCompare(displayPath(y))));
    const browse: Item<vscode.Uri | 'browse'> = { label: '$(folder-opened) Browse…', description: 'a file outside this list', value: 'browse' };
    const items: Item<vscode.Uri | 'browse'>[] = files.map((uri) => {
      const rel = displayPath(uri);
      const dir = path.posix.dirname(rel);
      return { label: path.basename(uri.fsPath), description: dir === '.' ? '' : dir, value: uri };
    });
    const chosen = await pick(step, [...items, browse], kind === 'schema' ? 'A TFDV schema (schema.pbtxt)' : 'A data file or schema (type to filter by name or folder)');
    if (chosen !== 'browse') return chosen;
    const opened = await vscode.window.showOpenDialog({
      title: `${TITLE} — ${step}`, canSelectMany: false, openLabel: 'Select',
      filters: kind === 'schema' ? { 'TFDV schema': ['pbtxt'] } : { 'Data files': ['csv', 'tsv', 'tab', 'json', 'jsonl', 'ndjson', 'parquet', 'pq', 'pbtxt'] },
    });
    return opened?.[0];
  }

  async pickRevision(file: vscode.Uri, revisions: Revision[]): Promise<string | undefined> {
    const other: Item<string> = { label: '$(edit) Another revision…', description: 'a branch, tag or commit id', value: '' };
    const items: Item<string>[] = [
      { label: 'HEAD', description: 'the last commit', value: 'HEAD' },
      ...revisions.map((r) => ({
        label: r.shortCommit, description: r.subject, detail: `${r.author}, ${formatTimestamp(r.time)}`, value: r.commit,
      })),
      other,
    ];
    const chosen = await pick('revision', items, `Compare ${displayPath(file)} with its version at…`, { matchOnDetail: true });
    if (chosen !== '') return chosen;
    const typed = await vscode.window.showInputBox({
      title: `${TITLE} — revision`, prompt: `A revision of ${displayPath(file)}: branch, tag or commit`, ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || /\s/.test(v.trim()) || v.trim().startsWith('-') ? 'One revision name, e.g. main, v1.2 or a commit id' : undefined),
    });
    return typed?.trim() || undefined;
  }

  async pickRun(step: string, runs: RunChoice[]): Promise<RunChoice | undefined> {
    return pick(step, runs.map((r) => ({
      label: r.name,
      description: `${r.experiment}${r.started !== null ? ` · ${formatTimestamp(r.started)}` : ''}`,
      detail: r.datasets.map((d) => `${d.version.path}${d.role ? ` (${d.role})` : ''} ${shortHash(d.version.sha256)}`).join(', '),
      value: r,
    })), 'A run that recorded its datasets', { matchOnDetail: true });
  }

  async pickRunDataset(step: string, run: RunChoice): Promise<RunDataset | undefined> {
    return pick(step, run.datasets.map((d) => ({
      label: d.version.path,
      description: `${d.role ?? 'no role'} · ${shortHash(d.version.sha256)}${d.version.rows !== null ? ` · ${d.version.rows} rows` : ''}`,
      value: d,
    })), `Which dataset of ${run.name}`);
  }

  async pickDiffTarget(version: DatasetVersion, others: DatasetVersion[], currentFile: vscode.Uri | undefined): Promise<DiffTarget | undefined> {
    const items: Item<DiffTarget | 'browse'>[] = [];
    if (currentFile) items.push({ label: '$(file) Current file', description: `${version.path} as it is now`, value: { kind: 'file', uri: currentFile } });
    for (const v of others) {
      const first = firstUsed(v);
      items.push({
        label: `${v.path === version.path ? '$(versions) ' : ''}${v.path}`,
        description: `${shortHash(v.sha256)}${first !== null ? ` · first read ${formatTimestamp(first)}` : ''}`,
        detail: `read by ${v.uses.map((u) => u.runName).join(', ')}`,
        value: { kind: 'version', version: v },
      });
    }
    items.push({ label: '$(folder-opened) Another file…', value: 'browse' });
    const chosen = await pick('diff with', items, `Compare ${version.path} (${shortHash(version.sha256)}) with…`, { matchOnDetail: true });
    if (chosen !== 'browse') return chosen;
    const file = await this.pickFile('diff with', 'data');
    return file ? { kind: 'file', uri: file } : undefined;
  }

  async saveLocation(defaultUri: vscode.Uri, format: 'markdown' | 'json'): Promise<vscode.Uri | undefined> {
    return vscode.window.showSaveDialog({
      title: `Export Schema Diff as ${format === 'markdown' ? 'Markdown' : 'JSON'}`,
      defaultUri,
      filters: format === 'markdown' ? { Markdown: ['md'] } : { JSON: ['json'] },
    });
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatSchemaDiffMarkdown } from '../../core/datasets/markdownReport';
import type { DatasetVersion } from '../../shared/datasetVersions';
import { createSchemaDiffProtocol, type SchemaDiffDiffMessage, type SchemaDiffWire } from '../../shared/protocol/schemaDiff';
import type { SchemaDiff } from '../../shared/schemaDiff';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import { displayPath, distinctNames, type DiffInput, type DiffRequest } from './diffInputs';
import { SchemaDiffFlows, type DatasetFolder } from './schemaDiffFlows';
import { SchemaDiffPanel } from './schemaDiffPanel';
import { SchemaDiffProblems } from './schemaDiffProblems';
import { QuickPickPrompts, type SchemaDiffPrompts } from './schemaDiffPrompts';
import { SchemaDiffRunner } from './schemaDiffRunner';
import { problemsEnabled, thresholdsFromSettings } from './schemaDiffSettings';

/** The command ids of this feature (declared in package.json). */
export const SCHEMA_DIFF_COMMAND_IDS = ['exptrack.diffDatasetSchemas'] as const;

/** The diff on screen, with the two sides as the user chose them (A = baseline). */
export interface ShownDiff {
  request: DiffRequest;
  diff: SchemaDiff;
  /** The inputs of the diff's side A and side B (a TFDV schema is side A whatever the order). */
  sides: { a: DiffInput; b: DiffInput };
  message: Omit<SchemaDiffDiffMessage, 'type'>;
}

/**
 * Schema diffs in the editor: the "Diff Dataset Schemas" command (palette, Explorer, Datasets
 * view), profiling in a worker thread with cancellable progress, the Schema Diff panel (one at a
 * time) and the findings in the Problems panel on the newer file.
 */
export class SchemaDiffFeature extends Disposable {
  /** Replaceable so tests can answer the questions. */
  prompts: SchemaDiffPrompts = new QuickPickPrompts();
  readonly flows: SchemaDiffFlows;
  private readonly protocol = createSchemaDiffProtocol();
  private readonly runner: SchemaDiffRunner;
  private readonly problems = this.register(new SchemaDiffProblems());
  private panel: SchemaDiffPanel | undefined;
  /** The request shown (or being read); owns its temp files. */
  private request: DiffRequest | undefined;
  /** Stops the diff being read when another one starts. */
  private reading: AbortController | undefined;
  private shownDiff: ShownDiff | undefined;

  /**
   * `pickFolder`: the folder whose runs' datasets a diff reads (asked when there are several);
   * `defaultRoot`: where an exported diff is offered to go when neither side is a workspace file.
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    pickFolder: (title: string) => Promise<DatasetFolder | undefined>,
    private readonly defaultRoot: () => string | undefined,
    private readonly log: Log,
  ) {
    super();
    this.runner = this.register(new SchemaDiffRunner(extensionUri.fsPath));
    this.flows = new SchemaDiffFlows(pickFolder, () => this.prompts);
    this.register({ dispose: () => this.panel?.dispose() });
    this.register({ dispose: () => this.request?.temp?.dispose() });
    this.register({ dispose: () => this.reading?.abort() });
  }

  handlers(): Record<(typeof SCHEMA_DIFF_COMMAND_IDS)[number], (...args: unknown[]) => unknown> {
    return {
      // From the Explorer: (clicked uri, all selected uris); from the palette: nothing.
      'exptrack.diffDatasetSchemas': async (uri, uris) => {
        const isLocal = (u: unknown): u is vscode.Uri => u instanceof vscode.Uri && u.scheme === 'file';
        const selected = Array.isArray(uris) ? uris.filter(isLocal) : [];
        const request = selected.length > 1
          ? await this.flows.selectedFiles(selected)
          : await this.flows.choose(isLocal(uri) ? uri : undefined);
        return request ? this.run(request) : undefined;
      },
    };
  }

  /** "Diff with…" from the Datasets view, in the folder that recorded the version. */
  async diffVersionWith(version: DatasetVersion, folder: DatasetFolder): Promise<SchemaDiff | undefined> {
    const request = await this.flows.versionWith(version, folder);
    return request ? this.run(request) : undefined;
  }

  /** The diff on screen (for tests and other features). */
  get shown(): ShownDiff | undefined {
    return this.shownDiff;
  }

  get currentPanel(): SchemaDiffPanel | undefined {
    return this.panel;
  }

  /**
   * Profiles and diffs the two sides off the extension host's thread and shows the result. The
   * previous diff's Problems entries go at once; its temp files go with it. Resolves undefined when
   * the user cancelled, a later diff replaced this one, or it failed (the error is shown).
   */
  async run(request: DiffRequest): Promise<SchemaDiff | undefined> {
    this.problems.clear();
    this.reading?.abort();
    const reading = (this.reading = new AbortController());
    if (this.request !== request) this.request?.temp?.dispose();
    this.request = request;
    const [a, b] = distinctNames(request.a, request.b);
    this.panel?.showBusy(`Reading ${a.title} and ${b.title}…`);
    let diff: SchemaDiff | undefined;
    try {
      diff = await this.runner.run({
        a: { path: a.readPath, displayName: a.displayName },
        b: { path: b.readPath, displayName: b.displayName },
        thresholds: thresholdsFromSettings(this.log),
      }, `diffing the schemas of ${a.title} and ${b.title}`, reading.signal);
    } catch (e) {
      if (this.request !== request) return undefined;
      this.log.error(`schema diff of ${a.displayName} and ${b.displayName} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`ExpTrack: the schema diff failed: ${(e as Error).message.split('\n')[0]}`);
      this.panel?.showBusy('');
      return undefined;
    }
    if (this.request !== request) return undefined;
    if (!diff) {
      this.log.info(`schema diff of ${a.displayName} and ${b.displayName} cancelled`);
      this.panel?.showBusy('');
      return undefined;
    }
    await this.present(request, diff, a, b);
    return diff;
  }

  private async present(request: DiffRequest, diff: SchemaDiff, a: DiffInput, b: DiffInput): Promise<void> {
    // In data-vs-schema mode the schema is side A whatever the order the user chose.
    const sides = diff.a.path === b.displayName && diff.b.path === a.displayName ? { a: b, b: a } : { a, b };
    const notes = [sides.a.note, sides.b.note].filter((n): n is string => n !== undefined);
    let problemsFile: string | null = null;
    if (problemsEnabled() && diff.findings.length > 0) {
      if (sides.b.liveFile) {
        await this.problems.show(diff, sides.b.liveFile);
        problemsFile = displayPath(sides.b.liveFile);
      } else {
        notes.push(`The findings are not in the Problems panel: ${sides.b.title} (${sides.b.detail}) is not the file in the workspace.`);
      }
    }
    const label = (s: DiffInput) => ({ title: s.title, detail: s.detail, canOpen: true });
    const message = { diff: toWire(diff), labels: { a: label(sides.a), b: label(sides.b) }, problemsFile, notes };
    this.shownDiff = { request, diff, sides, message };
    const { error, warning, info } = diff.counts;
    this.log.info(`schema diff ${sides.a.displayName} → ${sides.b.displayName}: ${error} errors, ${warning} warnings, ${info} info`);
    const panel = this.panel ?? this.createPanel();
    panel.showDiff(message);
    panel.reveal();
  }

  private createPanel(): SchemaDiffPanel {
    const panel = SchemaDiffPanel.create(this.extensionUri, this.protocol, {
      exportDiff: async (format) => void (await this.exportDiff(format)),
      openSide: (side) => this.openSide(side),
      rerun: async () => {
        if (this.request) await this.run(this.request);
      },
    }, this.log);
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      this.problems.clear();
      this.request?.temp?.dispose();
      this.request = undefined;
      this.shownDiff = undefined;
    });
    return panel;
  }

  /** Writes the shown diff as Markdown or JSON where the user chooses. */
  async exportDiff(format: 'markdown' | 'json'): Promise<vscode.Uri | undefined> {
    const shown = this.shownDiff;
    if (!shown) return undefined;
    const base = `schema-diff-${stem(shown.sides.a.title)}-vs-${stem(shown.sides.b.title)}.${format === 'markdown' ? 'md' : 'json'}`;
    // Beside the newer file when it is in the workspace, else in the first folder.
    const live = shown.sides.b.liveFile;
    const dir = (live && vscode.workspace.getWorkspaceFolder(live)?.uri.fsPath) ?? this.defaultRoot() ?? '';
    const target = await this.prompts.saveLocation(vscode.Uri.file(path.join(dir, base)), format);
    if (!target) return undefined;
    const text = format === 'markdown'
      ? formatSchemaDiffMarkdown(shown.diff, shown.message.labels)
      : `${JSON.stringify(shown.diff, null, 2)}\n`;
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    this.log.info(`schema diff exported to ${target.fsPath}`);
    void vscode.window.showInformationMessage(`ExpTrack: schema diff saved to ${displayPath(target)}`, 'Open').then((choice) => {
      if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', target);
    });
    return target;
  }

  private async openSide(side: 'a' | 'b'): Promise<void> {
    const input = this.shownDiff?.sides[side];
    if (!input) return;
    await vscode.commands.executeCommand('vscode.open', input.liveFile ?? vscode.Uri.file(input.readPath));
  }
}

/** The diff as JSON carries it to the page (NaN and ±Infinity become null). */
function toWire(diff: SchemaDiff): SchemaDiffWire {
  return JSON.parse(JSON.stringify(diff)) as SchemaDiffWire;
}

function stem(title: string): string {
  return path.basename(title).replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_') || 'data';
}

import * as vscode from 'vscode';
import { formatDuration, formatMetricValue, formatParamValue, formatTimestamp } from '../../shared/format';
import type { ModelHistoryEntry } from '../../shared/modelTypes';
import type { RunDetail } from '../../shared/runTypes';
import { Disposable } from '../disposable';
import type { RunIndex } from '../store/runIndex';

export const REGISTRY_DOCUMENT_SCHEME = 'exptrack-registry';

/** The documents of one workspace folder's registry and runs. */
export interface FolderRegistryDocuments {
  /** Opens the registry history of one model, or of all models. */
  showHistory(model?: string): Promise<vscode.TextEditor>;
  /** A run's details; `beside` keeps the panel that asked (lineage, model version) in view. */
  showRun(uid: string, name: string, opts?: { beside?: boolean }): Promise<vscode.TextEditor>;
}

/** Where the documents of a folder come from: its index (started), by folder id; undefined id: the first folder. */
export interface DocumentSources {
  indexOf(folderId: string | undefined): Promise<RunIndex | undefined>;
  readonly onDidChange: vscode.Event<unknown>;
}

/**
 * Read-only documents made from the index: the audit history of the model registry (who, when,
 * from, to, why, gate verdict) and the details of a run. They are plain text, so nothing in the
 * data can turn into markup, and they follow the index while open. A document of a folder of a
 * multi-root workspace names it in its URI (`folder=`).
 */
export class RegistryDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();

  constructor(private readonly sources: DocumentSources) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(REGISTRY_DOCUMENT_SCHEME, this));
    this.register(sources.onDidChange(() => {
      for (const uri of this.open) this.changed.fire(vscode.Uri.parse(uri));
    }));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.open.delete(d.uri.toString())));
  }

  /** The documents of one folder (`folderId` undefined: a single-folder workspace's). */
  forFolder(folderId: string | undefined): FolderRegistryDocuments {
    const where: Record<string, string> = folderId === undefined ? {} : { folder: folderId };
    return {
      showHistory: (model) => {
        const title = model === undefined ? 'Model Registry History' : `Model History - ${safeName(model)}`;
        const uri = vscode.Uri.from({ scheme: REGISTRY_DOCUMENT_SCHEME, path: `/${title}`, query: new URLSearchParams({ kind: 'history', ...(model !== undefined && { model }), ...where }).toString() });
        return this.show(uri);
      },
      showRun: (uid, name, opts = {}) => {
        const uri = vscode.Uri.from({ scheme: REGISTRY_DOCUMENT_SCHEME, path: `/Run - ${safeName(name)}`, query: new URLSearchParams({ kind: 'run', uid, ...where }).toString() });
        return this.show(uri, opts.beside ?? false);
      },
    };
  }

  private async show(uri: vscode.Uri, beside = false): Promise<vscode.TextEditor> {
    this.open.add(uri.toString());
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, beside ? { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : { preview: true });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    this.open.add(uri.toString());
    const index = await this.sources.indexOf(q.get('folder') ?? undefined);
    if (!index) return `The workspace folder ${q.get('folder') ?? ''} is not open.\n`;
    if (q.get('kind') === 'run') {
      const uid = q.get('uid') ?? '';
      const run = await index.call('getRun', uid);
      return run ? runText(run) : `No run ${uid} in the index.\n`;
    }
    const model = q.get('model') ?? undefined;
    return historyText(await index.call('modelHistory', model), model);
  }
}

/** Path segments cannot hold slashes; the name is only the tab's title. */
function safeName(name: string): string {
  return name.replace(/[\\/]/g, '_').slice(0, 120);
}

export function historyText(entries: readonly ModelHistoryEntry[], model: string | undefined): string {
  const head = model === undefined ? 'Model registry history' : `History of model ${model}`;
  const out = [`${head} — ${entries.length} event${entries.length === 1 ? '' : 's'}, newest first (from .exptrack/registry.jsonl)`, ''];
  if (entries.length === 0) out.push('No registrations or alias changes yet.');
  for (const h of [...entries].reverse()) {
    out.push(`${formatTimestamp(h.time)}  ${h.model}  ${headline(h)}`);
    out.push(`    who:  ${h.actor}`);
    switch (h.kind) {
      case 'register':
        if (h.path) out.push(`    file: ${h.path}${h.framework ? ` (${h.framework})` : ''}`);
        if (h.runUid) out.push(`    run:  ${h.runUid}`);
        if (h.parent) out.push(`    from: ${h.parent.name} v${h.parent.version}${h.derivation ? ` (${h.derivation})` : ''}`);
        break;
      case 'alias':
        out.push(`    why:  ${oneLine(h.reason)}`);
        if (h.gate) out.push(`    gate: ${h.gate.passed ? 'passed' : 'FAILED'} on ${h.gate.metric} (${h.gate.mode}) — ${oneLine(h.gate.reason)}`);
        else out.push('    gate: not run (not a gated alias)');
        if (h.overrideReason) out.push(`    override: ${oneLine(h.overrideReason)}`);
        break;
      case 'unalias':
        out.push(`    why:  ${oneLine(h.reason)}`);
        break;
      default: {
        const never: never = h;
        throw new Error(`unhandled history entry ${JSON.stringify(never)}`);
      }
    }
    if (h.note) out.push(`    note: ${oneLine(h.note)}`);
    out.push('');
  }
  return out.join('\n');
}

function headline(h: ModelHistoryEntry): string {
  switch (h.kind) {
    case 'register': {
      const how = h.outcome === 'duplicate' ? ` (already v${h.version})` : h.outcome === 'renumbered' ? ` (written as v${h.writtenVersion})` : '';
      return `registered v${h.version}${how}`;
    }
    case 'alias':
      return `@${h.alias}  ${h.from === null ? '(none)' : `v${h.from}`} → v${h.to}${h.applied ? '' : '  [not applied]'}`;
    case 'unalias':
      return `@${h.alias} removed${h.from === null ? '' : ` from v${h.from}`}${h.applied ? '' : '  [not applied]'}`;
  }
}

/** Reasons are single lines in the file, but a hand edit could hold anything: keep the layout. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

export function runText(r: RunDetail): string {
  const out = [`Run ${r.name}`, ''];
  const field = (k: string, v: string | null | undefined) => {
    if (v !== null && v !== undefined && v !== '') out.push(`${k.padEnd(11)}${oneLine(v)}`);
  };
  field('id', r.uid);
  field('experiment', r.experiment);
  field('status', `${r.status}${r.exitCode !== null ? ` (exit ${r.exitCode})` : ''}`);
  field('started', formatTimestamp(r.started));
  if (r.started !== null && r.ended !== null) field('took', formatDuration(r.ended - r.started));
  field('source', r.sourcePath ? `${r.sourceKind ?? 'source'}: ${r.sourcePath}` : r.sourceKind);
  field('command', r.command?.join(' '));
  field('git', r.git.commit ? `${r.git.commit.slice(0, 12)}${r.git.branch ? ` on ${r.git.branch}` : ''}${r.git.dirty ? ' (uncommitted changes)' : ''}` : null);
  field('user', r.user);
  field('files', r.runDir);
  field('note', r.note);
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    out.push('', title);
    for (const l of lines) out.push(`  ${oneLine(l)}`);
  };
  section('Parameters', Object.entries(r.params).map(([k, v]) => `${k} = ${formatParamValue(v)}`));
  section('Metrics (last · min · max · points)', r.metrics.map((m) =>
    `${m.key} = ${formatMetricValue(m.last)}${m.lastStep !== null ? ` @${m.lastStep}` : ''} · ${formatMetricValue(m.min)} · ${formatMetricValue(m.max)} · ${m.count}`));
  section('Datasets', r.datasets.map((d) => `${d.path}${d.role ? ` (${d.role})` : ''}${d.rows !== null ? ` · ${d.rows} rows` : ''}${d.sha256 ? ` · sha256 ${d.sha256.slice(0, 12)}` : ''}`));
  section('Models', r.models.map((m) => `${m.name}${m.version !== null ? ` v${m.version}` : ''}${m.path ? ` · ${m.path}` : ''}${m.derivation ? ` · ${m.derivation}` : ''}`));
  section('Artifacts', r.artifacts.map((a) => a.path));
  section('Tags', Object.entries(r.tags).map(([k, v]) => `${k} = ${v}`));
  return out.join('\n') + '\n';
}

/**
 * Discovery of a 200,000-file workspace (issue: ship it, performance). Each figure is printed
 * beside a reference measured in the same run, as a ratio.
 *   D1  the store worker's scan (walk + ignore rules + readers' claims, then reading the sources
 *       found), against listing the same tree with a bare recursive readdir on this thread.
 *   D2  event-loop delay p99 of this thread (the extension host's place) while the worker scans,
 *       with progress messages arriving, against the same thread idle; goal <= 50 ms.
 *   D3  the source rules (picomatch globs of exptrack.sources.* and VS Code's default files.exclude /
 *       search.exclude) over every path, against the readers' ownership test over the same paths.
 *   D4  the host's work for a file event on every path (the watcher's filter), against D1's listing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { discoverSources } from '../src/core/ingest/discovery';
import { defaultReaders } from '../src/core/ingest/readers';
import { SourceFilter } from '../src/core/ingest/sourceFilter';
import { changedPathKind, readerFor } from '../src/core/ingest/sourcePaths';
import { StoreClient } from '../src/core/store/storeClient';
import type { ScanProgress } from '../src/shared/runTypes';
import { writeBigWorkspace } from '../test/support/bigWorkspace';

const FILES = 200_000;
const bundledWorker = path.join(__dirname, '../dist/storeWorker.js');
const workerPath = fs.existsSync(bundledWorker) ? bundledWorker : path.join(__dirname, '../test/unit/helpers/storeWorkerFromSource.cjs');
/** VS Code's defaults, as the extension passes them. */
const VSCODE_EXCLUDES = {
  filesExclude: { '**/.git': true, '**/.svn': true, '**/.hg': true, '**/CVS': true, '**/.DS_Store': true, '**/Thumbs.db': true },
  searchExclude: { '**/node_modules': true, '**/bower_components': true, '**/*.code-search': true },
};

function line(name: string, value: string, reference: string, ratio: number, goal: string): void {
  console.log(`${name.padEnd(46)} ${value.padStart(12)}   reference ${reference.padStart(12)}   ratio ${ratio.toFixed(2).padStart(6)}   goal ${goal}`);
}

/** Every path below `dir`, as a bare walk lists them (the floor of any discovery). */
function bareList(dir: string, rel = '', out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    out.push(r);
    if (e.isDirectory()) bareList(path.join(dir, e.name), r, out);
  }
  return out;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-discovery-'));
  try {
    const made = performance.now();
    const ws = writeBigWorkspace(root, FILES);
    console.log(`generated ${ws.files.toLocaleString('en-US')} files (${ws.sources} sources) in ${((performance.now() - made) / 1000).toFixed(1)} s`);

    // D1 reference: a bare listing, warm (median of three).
    const listings: number[] = [];
    let all: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      all = bareList(root);
      listings.push(performance.now() - t);
    }
    const listMs = median(listings);

    // D2 reference: this thread idle.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 1000));
    idle.disable();

    // D1 + D2: three scans by the worker (a fresh in-memory index each), this thread measuring its delay.
    const scans: number[] = [];
    const walks: number[] = [];
    const p99s: number[] = [];
    let found = 0;
    let progressMessages = 0;
    for (let i = 0; i < 3; i++) {
      const { client } = await StoreClient.start({ workerPath, workspaceRoot: root, dbPath: null });
      await client.call('configureSources', VSCODE_EXCLUDES);
      const busy = monitorEventLoopDelay({ resolution: 10 });
      busy.enable();
      const t = performance.now();
      const report = await client.ingest(undefined, { onProgress: (_p: ScanProgress) => void progressMessages++ });
      scans.push(performance.now() - t);
      busy.disable();
      p99s.push(busy.percentile(99) / 1e6);
      walks.push(report.scan!.ms);
      found = report.scan!.sourcesFound;
      await client.close();
    }
    if (found !== ws.sources) throw new Error(`the scan found ${found} sources, ${ws.sources} expected`);
    const scanMs = median(scans);
    const walkMs = median(walks);
    line(`D1 scan ${(FILES / 1000).toFixed(0)}k files in the worker (walk+read)`, `${scanMs.toFixed(0)} ms`, `${listMs.toFixed(0)} ms`, scanMs / listMs, 'reported (bare readdir listing as reference)');
    line('D1 of which the walk with its rules', `${walkMs.toFixed(0)} ms`, `${listMs.toFixed(0)} ms`, walkMs / listMs, 'reported');
    const p99 = median(p99s);
    const idleP99 = idle.percentile(99) / 1e6;
    line('D2 host event-loop delay p99 during the scan', `${p99.toFixed(1)} ms`, `${idleP99.toFixed(1)} ms`, p99 / idleP99, `<= 50 ms (${progressMessages} progress messages received)`);

    // D3: the rules over every path listed, against the readers' ownership test.
    const readers = defaultReaders();
    const { filter } = SourceFilter.compile(VSCODE_EXCLUDES);
    const noSiblings = () => ({ has: () => false });
    let t = performance.now();
    let kept = 0;
    for (const rel of all) {
      if (filter.accepts(rel) && !filter.workspaceExclusion(rel, rel.slice(rel.lastIndexOf('/') + 1), noSiblings)) kept++;
    }
    const rulesMs = performance.now() - t;
    t = performance.now();
    let owned = 0;
    for (const rel of all) if (readerFor(readers, rel)) owned++;
    const ownMs = performance.now() - t;
    line(`D3 source rules (picomatch) over ${(all.length / 1000).toFixed(0)}k paths`, `${rulesMs.toFixed(0)} ms`, `${ownMs.toFixed(0)} ms`, rulesMs / ownMs, `reported (${kept} kept; readers own ${owned})`);

    // D4: the watcher's filter for an event on every path.
    t = performance.now();
    let events = 0;
    for (const rel of all) if (changedPathKind(readers, rel)) events++;
    const eventsMs = performance.now() - t;
    line(`D4 host filter for ${(all.length / 1000).toFixed(0)}k file events`, `${eventsMs.toFixed(0)} ms`, `${listMs.toFixed(0)} ms`, eventsMs / listMs, `reported (${events} reach the worker)`);

    // A scan walks only what it must: the same tree through the in-process walk, for the summary.
    const summary = discoverSources(root, readers, { filter }).summary;
    console.log(`   walk summary: ${summary.filesLookedAt.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} entries looked at, skipped ${JSON.stringify(summary.skipped)}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();

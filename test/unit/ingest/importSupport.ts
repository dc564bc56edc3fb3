/** Shared helpers of the importer tests: fixture workspaces, reading a file like the source tracker does. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunEvent } from '../../../src/shared/runEvents';
import type { IngestReport } from '../../../src/shared/runTypes';
import type { ReadOutput, SourceReader } from '../../../src/core/ingest/sourceReader';
import { Store } from '../../../src/core/store/store';

/** The real third-party files, checked out beside the repository as ../shared/fixtures. */
import { FIXTURES } from '../../support/fixtures';

export { FIXTURES };

export function tempDir(prefix = 'exptrack-import-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A workspace holding copies of fixture folders (discovery does not follow symlinks), indexed once. */
export async function fixtureWorkspace(dirs: string[]): Promise<{ root: string; store: Store; report: IngestReport; close(): void }> {
  const root = tempDir();
  for (const d of dirs) fs.cpSync(path.join(FIXTURES, d), path.join(root, d), { recursive: true });
  const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
  const report = store.ingest();
  return { root, store, report, close: () => { store.close(); fs.rmSync(root, { recursive: true, force: true }); } };
}

/** Runs `reader` over `bytes` cut into pieces at `cuts`, carrying offset, line and state as the tracker does. */
export function readPieces(reader: SourceReader, bytes: Buffer, relPath: string, absPath = `/nonexistent/${relPath}`, cuts: number[] = []): ReadOutput[] {
  const outs: ReadOutput[] = [];
  let offset = 0;
  let line = 1;
  let state: unknown;
  const ends = [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  for (const end of ends) {
    if (end <= offset) continue;
    const chunk = bytes.subarray(offset, end);
    const out = reader.read({ path: absPath, relPath, bytes: chunk, offset, line, state, atEnd: end === bytes.length });
    assert.ok(out.consumed >= 0 && out.consumed <= chunk.length, 'consumed within the bytes given');
    outs.push(out);
    offset += out.consumed;
    line += out.lines;
    state = out.state === undefined ? undefined : JSON.parse(JSON.stringify(out.state));
  }
  return outs;
}

export function readWhole(reader: SourceReader, absPath: string, relPath: string): ReadOutput {
  return readPieces(reader, fs.readFileSync(absPath), relPath, absPath)[0] ?? { batches: [], consumed: 0, lines: 0, problems: [] };
}

/** Every event of the outputs, each checked against the run-event schema. */
export function eventsOf(outs: ReadOutput | ReadOutput[]): (RunEvent & { runUid: string })[] {
  const list = Array.isArray(outs) ? outs : [outs];
  const events: (RunEvent & { runUid: string })[] = [];
  for (const out of list) {
    for (const batch of out.batches) {
      for (const e of batch.events) {
        const parsed = RunEvent.safeParse(JSON.parse(JSON.stringify(e)));
        assert.ok(parsed.success, `invalid ${e.t} event: ${parsed.success ? '' : parsed.error.message}`);
        events.push({ ...e, runUid: batch.runUid });
      }
    }
  }
  return events;
}

/** The points of one series: [step, value, time] in reading order. */
export function seriesOf(outs: ReadOutput | ReadOutput[], key: string): [number | undefined, number, number | undefined][] {
  const points: [number | undefined, number, number | undefined][] = [];
  for (const e of eventsOf(outs)) {
    if (e.t !== 'metrics' || !(key in e.values)) continue;
    const v = e.values[key]!;
    points.push([e.step, typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity, e.time]);
  }
  return points;
}

/** For comparing first/last points: [count, first step, first value, last step, last value]. */
export function shape(points: [number | undefined, number, number | undefined][]): [number, number | undefined, number, number | undefined, number] {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  return [points.length, first[0], first[1], last[0], last[1]];
}

export function summaryOf(store: Store, uid: string, key: string): [number, number, number | null] {
  const m = store.getRun(uid)?.metrics.find((x) => x.key === key);
  assert.ok(m, `${uid} has series ${key}`);
  return [m.count, m.last, m.lastStep];
}

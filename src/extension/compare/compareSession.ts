import type { CompareSnapshot, MetricSeries, SeriesRequest } from '../../shared/compare/compareTypes';
import type { Smoothing } from '../../shared/compare/smoothing';
import type { CompareHostMessage } from '../../shared/protocol/compare';
import type { IngestReport } from '../../shared/runTypes';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunSource } from '../folders/workspaceRunSource';
import { packSeries, packSnapshot } from './packSeries';
import type { RunColorSlots } from './runColorSlots';

/** How long index changes are gathered before a running run's curves are refreshed. */
const LIVE_DELAY_MS = 120;

/** How the series of a Compare webview are asked for; a change of any of these fetches them all again. */
export interface SeriesShape {
  buckets: number;
  smoothing: Smoothing;
  withTimes: boolean;
}

export interface CompareSessionOptions {
  label: string;
  shape: SeriesShape;
  /** The charts shown until the page says which (so they can be fetched while it loads). */
  defaultKeys(metricKeys: readonly string[], derived: readonly string[]): string[];
  colors: RunColorSlots;
}

/** A zoomed chart's request: these runs' points in these steps. */
export interface DetailRequest {
  key: string;
  id: number;
  buckets: number;
  ranges: { uid: string; from: number; to: number }[];
}

interface Pending {
  snapshot: boolean;
  /** Every series again (another shape, or nothing fetched yet). */
  allSeries: boolean;
  /** The metrics per slice (the Slices tab asked, or they may have changed). */
  slices: boolean;
  /** Runs whose series are fetched (again): ticked, or grown. */
  runs: Set<string>;
  /** Zoomed charts, the latest request of each. */
  details: Map<string, DetailRequest>;
}

const nothing = (): Pending => ({ snapshot: false, allSeries: false, slices: false, runs: new Set(), details: new Map() });

/**
 * What one Compare webview shows — the runs, the chosen step, the charts it draws and how — and
 * the data for it, kept current as runs grow. Work is serialised (one fetch at a time, later
 * requests merged) and incremental: a ticked run fetches that run's series, a chart scrolled into
 * view fetches that key's, a run that grew fetches its own; nothing else is fetched or sent again.
 * Posting happens only while the page listens: when it is hidden its page is gone
 * (retainContextWhenHidden is off), so the latest state is kept here and sent whole once the page
 * says `ready` again. What the user asked for is fetched at once, even while the page is still
 * loading; live growth of a hidden page waits until it is back.
 */
export class CompareSession extends Disposable {
  private uids: string[] = [];
  private atStep: number | null = null;
  private derived: string[] = [];
  /** The keys the page shows; until it says, the default keys of the metrics present. */
  private keys: string[] | null = null;
  private shape: SeriesShape;
  private snapshot: CompareSnapshot | undefined;
  /** Fetched series of the current shape, by (run, key). */
  private readonly series = new Map<string, MetricSeries>();
  /** Keys whose series of every current run are in `series`. */
  private fetchedKeys = new Set<string>();
  private attached = false;
  private sendAll = true;
  private pending: Pending = { ...nothing(), snapshot: true, allSeries: true };
  private pumping = false;
  /** Fetch even though the page is not listening (yet): the user is waiting for this. */
  private prefetch = true;
  private liveTimer: NodeJS.Timeout | undefined;
  private readonly liveRuns = new Set<string>();
  /** The gap threshold of the Slices tab once the page asked for slices; until then none are fetched. */
  private slicesGap: number | undefined;

  constructor(
    private readonly index: RunSource,
    private readonly post: (message: CompareHostMessage) => Thenable<boolean>,
    private readonly log: Log,
    private readonly options: CompareSessionOptions,
  ) {
    super();
    this.shape = options.shape;
    this.register(index.onDidChange((report) => this.onIndexChanged(report)));
    this.register({ dispose: () => clearTimeout(this.liveTimer) });
    this.register({ dispose: () => options.colors.release(options.label) });
  }

  get runs(): readonly string[] {
    return this.uids;
  }

  /** The last snapshot fetched (undefined before the first). */
  get current(): CompareSnapshot | undefined {
    return this.snapshot;
  }

  setRuns(uids: readonly string[]): void {
    const next = [...new Set(uids)];
    if (next.length === this.uids.length && next.every((u, i) => u === this.uids[i])) return;
    const before = new Set(this.uids);
    this.uids = next;
    this.prefetch = true;
    // Only the runs that came are fetched; twema smooths over the x range of all runs, which they may widen.
    const added = next.filter((u) => !before.has(u));
    this.schedule({ snapshot: true, runs: added, allSeries: this.shape.smoothing.kind === 'twema' && added.length > 0 });
  }

  setAtStep(step: number | null): void {
    if (step === this.atStep) return;
    this.atStep = step;
    this.prefetch = true;
    this.schedule({ snapshot: true });
  }

  setDerived(expressions: readonly string[]): void {
    const next = [...new Set(expressions)];
    if (next.join('\u0000') === this.derived.join('\u0000')) return;
    this.derived = next;
    this.prefetch = true;
    this.schedule({ snapshot: true });
  }

  /** The charts the page shows and how; a new shape fetches every series again, new keys only theirs. */
  requestSeries(keys: readonly string[], shape: Partial<SeriesShape> = {}): void {
    const next: SeriesShape = { ...this.shape, ...shape };
    const reshaped = next.buckets !== this.shape.buckets || next.withTimes !== this.shape.withTimes
      || next.smoothing.kind !== this.shape.smoothing.kind || next.smoothing.amount !== this.shape.smoothing.amount;
    this.shape = next;
    this.keys = [...new Set(keys)];
    // What the page no longer shows is not kept.
    const wanted = new Set(this.keys);
    for (const [id, s] of this.series) if (!wanted.has(s.key)) this.series.delete(id);
    for (const k of [...this.fetchedKeys]) if (!wanted.has(k)) this.fetchedKeys.delete(k);
    this.prefetch = true;
    this.schedule({ allSeries: reshaped });
  }

  requestDetail(request: DetailRequest): void {
    this.prefetch = true;
    this.pending.details.set(request.key, request);
    void this.pump();
  }

  /** Sends the runs' metrics per slice, now and whenever the runs or their data change. */
  requestSlices(gapThreshold: number): void {
    this.slicesGap = gapThreshold;
    this.prefetch = true;
    this.schedule({ slices: true });
  }

  /** The page is loaded and listening: it gets everything. */
  attach(): void {
    this.attached = true;
    this.sendAll = true;
    void this.pump();
  }

  /** The page is gone (hidden or closed): nothing is posted until it is back. */
  detach(): void {
    this.attached = false;
  }

  private onIndexChanged(report: IngestReport): void {
    const mine = report.runsTouched.filter((u) => this.uids.includes(u));
    if (mine.length === 0) return;
    for (const u of mine) this.liveRuns.add(u);
    this.liveTimer ??= setTimeout(() => {
      this.liveTimer = undefined;
      const runs = [...this.liveRuns];
      this.liveRuns.clear();
      this.schedule({ snapshot: true, runs });
    }, LIVE_DELAY_MS);
  }

  private schedule(work: { snapshot?: boolean; allSeries?: boolean; slices?: boolean; runs?: readonly string[] }): void {
    if (work.snapshot) this.pending.snapshot = true;
    if (work.slices) this.pending.slices = true;
    if (work.allSeries) this.pending.allSeries = true;
    for (const u of work.runs ?? []) this.pending.runs.add(u);
    void this.pump();
  }

  private hasWork(): boolean {
    const p = this.pending;
    return p.snapshot || p.allSeries || p.slices || p.runs.size > 0 || p.details.size > 0 || this.missingKeys().length > 0 || (this.sendAll && this.attached);
  }

  /** Keys shown whose series are not fetched yet. */
  private missingKeys(): string[] {
    return this.wantedKeys().filter((k) => !this.fetchedKeys.has(k));
  }

  /** The keys shown that the compared runs have. */
  private wantedKeys(): string[] {
    if (!this.snapshot) return [];
    const present = this.snapshot.metrics.map((m) => m.key);
    if (!this.keys) return this.options.defaultKeys(present, this.derived);
    const have = new Set(present);
    return this.keys.filter((k) => have.has(k));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while ((this.attached || this.prefetch) && !this.isDisposed && this.hasWork()) {
        const work = this.pending;
        this.pending = nothing();
        this.prefetch = false;
        await this.fetchAndPost(work);
      }
    } catch (e) {
      const message = `could not load the comparison: ${(e as Error).message}`;
      this.log.error(`${this.options.label}: ${message}`);
      if (this.attached) void this.post({ type: 'notice', text: `ExpTrack ${message}` });
    } finally {
      this.pumping = false;
    }
  }

  private request(uids: readonly string[], keys: readonly string[]): SeriesRequest {
    const derived = keys.filter((k) => this.derived.includes(k));
    return { uids: [...uids], keys: [...keys], derived, buckets: this.shape.buckets, smoothing: this.shape.smoothing, withTimes: this.shape.withTimes };
  }

  private async fetchAndPost(work: Pending): Promise<void> {
    const started = Date.now();
    if (work.snapshot || !this.snapshot) this.snapshot = await this.index.call('compareRuns', this.uids, this.atStep, this.derived);
    const snapshotMs = Date.now() - started;
    // The snapshot goes first: the page lays out its legend and sections while the series are read.
    let all = this.sendAll && this.attached;
    if (all) this.sendAll = false;
    if (this.attached && (all || work.snapshot)) this.postSnapshot();
    const uids = this.uids;
    const present = new Set(uids);
    for (const [id, s] of this.series) if (!present.has(s.uid)) this.series.delete(id);
    const shape = this.shape;
    const keys = this.wantedKeys();
    let updated: MetricSeries[] = [];
    let replaced = false;
    if (work.allSeries) {
      const fetched = keys.length && uids.length ? await this.index.call('chartSeries', this.request(uids, keys)) : [];
      this.series.clear();
      for (const s of fetched) this.series.set(seriesId(s.uid, s.key), s);
      this.fetchedKeys = new Set(keys);
      replaced = true;
    } else {
      const newKeys = keys.filter((k) => !this.fetchedKeys.has(k));
      const runs = [...work.runs].filter((u) => present.has(u));
      const oldKeys = keys.filter((k) => this.fetchedKeys.has(k));
      if (newKeys.length && uids.length) updated.push(...await this.index.call('chartSeries', this.request(uids, newKeys)));
      if (runs.length && oldKeys.length) updated.push(...await this.index.call('chartSeries', this.request(runs, oldKeys)));
      for (const s of updated) this.series.set(seriesId(s.uid, s.key), s);
      for (const k of newKeys) this.fetchedKeys.add(k);
    }
    const sliceGap = this.slicesGap;
    const slicesDue = sliceGap !== undefined && (work.slices || work.snapshot || all || this.sendAll);
    const slices = slicesDue ? await this.index.call('runSlices', uids, { gapThreshold: sliceGap }) : undefined;
    const fetchedMs = Date.now() - started;
    if (!this.attached || this.isDisposed) {
      this.sendAll = true;
      if (work.details.size) for (const [k, d] of work.details) this.pending.details.set(k, d);
      return;
    }
    if (this.sendAll) {
      // The page came while the series were read (a panel fetches before its page has loaded): it
      // gets the snapshot now, before any series, and everything in this round.
      all = true;
      this.sendAll = false;
      this.postSnapshot();
    }
    // Whatever changed while these calls ran is in `pending` and fetched by the next round.
    const message = { withTimes: shape.withTimes, smoothing: shape.smoothing, buckets: shape.buckets };
    if (all || replaced) {
      // One message per chart, in the order they are shown: the first chart is drawn while the others travel.
      const byKey = new Map<string, MetricSeries[]>();
      for (const s of this.series.values()) {
        let list = byKey.get(s.key);
        if (!list) byKey.set(s.key, (list = []));
        list.push(s);
      }
      const order = [...keys.filter((k) => byKey.has(k)), ...[...byKey.keys()].filter((k) => !keys.includes(k))];
      if (order.length === 0) await this.post({ type: 'series', ...message, keys: [], replace: true, series: [] });
      for (const [i, key] of order.entries()) {
        await this.post({ type: 'series', ...message, keys: [key], replace: i === 0, series: packSeries(byKey.get(key)!, shape.withTimes) });
      }
    } else if (updated.length) {
      await this.post({ type: 'series', ...message, keys: [...new Set(updated.map((s) => s.key))], replace: false, series: packSeries(updated, shape.withTimes) });
    }
    for (const detail of work.details.values()) await this.postDetail(detail);
    if (slices) await this.post({ type: 'slices', runs: slices });
    if (all && this.series.size) {
      this.log.info(`${this.options.label}: ${uids.length} runs × ${this.fetchedKeys.size} metrics: summaries ${snapshotMs} ms, series ${fetchedMs - snapshotMs} ms, posted ${Date.now() - started - fetchedMs} ms after`);
    }
  }

  private postSnapshot(): void {
    const snapshot = this.snapshot!;
    const colors = this.options.colors.assign(this.options.label, snapshot.runs.map((r) => r.uid));
    void this.post({ type: 'snapshot', snapshot: packSnapshot(snapshot), colors });
  }

  /** A zoomed chart's points: one pipeline call per distinct step range (one in all when x is the step). */
  private async postDetail(d: DetailRequest): Promise<void> {
    const byRange = new Map<string, { from: number; to: number; uids: string[] }>();
    for (const r of d.ranges) {
      if (!this.uids.includes(r.uid)) continue;
      const id = `${r.from}\u0000${r.to}`;
      let group = byRange.get(id);
      if (!group) byRange.set(id, (group = { from: r.from, to: r.to, uids: [] }));
      group.uids.push(r.uid);
    }
    const series: MetricSeries[] = [];
    for (const g of byRange.values()) {
      series.push(...await this.index.call('chartSeries', { ...this.request(g.uids, [d.key]), buckets: d.buckets, range: { from: g.from, to: g.to } }));
    }
    await this.post({ type: 'detail', key: d.key, id: d.id, series: packSeries(series, this.shape.withTimes) });
  }
}

function seriesId(uid: string, key: string): string {
  return `${uid}\u0000${key}`;
}

import type { CompareSnapshot, MetricSeries } from '../../shared/compare/compareTypes';
import type { CompareHostMessage } from '../../shared/protocol/compare';
import type { IngestReport } from '../../shared/runTypes';
import { Disposable } from '../disposable';
import type { Log } from '../log';
import type { RunIndex } from '../store/runIndex';
import { packSeries } from './packSeries';
import type { RunColorSlots } from './runColorSlots';

/** How long index changes are gathered before a running run's curves are refreshed. */
const LIVE_DELAY_MS = 120;

interface Pending {
  snapshot: boolean;
  allSeries: boolean;
  slices: boolean;
  /** Runs whose series changed (a run that grew): only they are fetched and sent again. */
  runs: Set<string>;
}

/**
 * What one Compare webview shows — the runs, the chosen step, the metric keys whose series it
 * wants — and the data for it, kept current as runs grow. Work is serialised (one fetch at a time,
 * later requests merged). Posting happens only while the page listens: when it is hidden its page
 * is gone (retainContextWhenHidden is off), so the latest state is kept here and sent whole once
 * the page says `ready` again. What the user asked for (other runs, other metrics) is fetched at
 * once, even while the page is still loading; live growth of a hidden page waits until it is back.
 */
export class CompareSession extends Disposable {
  private uids: string[] = [];
  private atStep: number | null = null;
  /** The keys the page asked for; until it does, `defaultKeys` of the metrics present. */
  private keys: string[] | null = null;
  private maxPoints: number;
  private withTimes = false;
  private snapshot: CompareSnapshot | undefined;
  private readonly series = new Map<string, MetricSeries>();
  private attached = false;
  private sendAll = true;
  private pending: Pending = { snapshot: true, allSeries: true, slices: false, runs: new Set() };
  private pumping = false;
  /** Fetch even though the page is not listening (yet): the user is waiting for this. */
  private prefetch = true;
  private liveTimer: NodeJS.Timeout | undefined;
  private readonly liveRuns = new Set<string>();
  /** The gap threshold of the Slices tab once the page asked for slices; until then none are fetched. */
  private slicesGap: number | undefined;

  constructor(
    private readonly index: RunIndex,
    private readonly post: (message: CompareHostMessage) => Thenable<boolean>,
    private readonly log: Log,
    private readonly label: string,
    defaultMaxPoints: number,
    private readonly colors: RunColorSlots,
    private readonly defaultKeys: (metricKeys: readonly string[]) => string[],
  ) {
    super();
    this.maxPoints = defaultMaxPoints;
    this.register(index.onDidChange((report) => this.onIndexChanged(report)));
    this.register({ dispose: () => clearTimeout(this.liveTimer) });
    this.register({ dispose: () => colors.release(label) });
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
    this.uids = next;
    this.prefetch = true;
    this.schedule({ snapshot: true, allSeries: true });
  }

  setAtStep(step: number | null): void {
    if (step === this.atStep) return;
    this.atStep = step;
    this.prefetch = true;
    this.schedule({ snapshot: true });
  }

  requestSeries(keys: readonly string[], maxPoints?: number, withTimes = false): void {
    this.keys = [...new Set(keys)];
    if (maxPoints !== undefined) this.maxPoints = maxPoints;
    this.withTimes = withTimes;
    this.prefetch = true;
    this.schedule({ allSeries: true });
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
    return p.snapshot || p.allSeries || p.slices || p.runs.size > 0 || (this.sendAll && this.attached);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while ((this.attached || this.prefetch) && !this.isDisposed && this.hasWork()) {
        const work = this.pending;
        this.pending = { snapshot: false, allSeries: false, slices: false, runs: new Set() };
        this.prefetch = false;
        await this.fetchAndPost(work);
      }
    } catch (e) {
      const message = `could not load the comparison: ${(e as Error).message}`;
      this.log.error(`${this.label}: ${message}`);
      if (this.attached) void this.post({ type: 'notice', text: `ExpTrack ${message}` });
    } finally {
      this.pumping = false;
    }
  }

  private async fetchAndPost(work: Pending): Promise<void> {
    const uids = this.uids;
    const withTimes = this.withTimes;
    const started = Date.now();
    if (work.snapshot || !this.snapshot) this.snapshot = await this.index.call('compareRuns', uids, this.atStep);
    const snapshotMs = Date.now() - started;
    const keys = this.keys ?? this.defaultKeys(this.snapshot.metrics.map((m) => m.key));
    let updated: MetricSeries[] = [];
    if (work.allSeries) {
      const fetched = keys.length && uids.length ? await this.index.call('metricSeries', uids, keys, this.maxPoints, withTimes) : [];
      this.series.clear();
      for (const s of fetched) this.series.set(seriesId(s.uid, s.key), s);
    } else if (work.runs.size > 0 && keys.length) {
      const runs = [...work.runs].filter((u) => uids.includes(u));
      updated = runs.length ? await this.index.call('metricSeries', runs, keys, this.maxPoints, withTimes) : [];
      for (const s of updated) this.series.set(seriesId(s.uid, s.key), s);
    }
    const sliceGap = this.slicesGap;
    const slicesDue = sliceGap !== undefined && (work.slices || work.snapshot || this.sendAll);
    const slices = slicesDue ? await this.index.call('runSlices', uids, { gapThreshold: sliceGap }) : undefined;
    const fetchedMs = Date.now() - started;
    if (!this.attached || this.isDisposed) {
      this.sendAll = true;
      return;
    }
    // Whatever changed while these calls ran is in `pending` and fetched by the next round.
    const all = this.sendAll;
    this.sendAll = false;
    if (all || work.snapshot) {
      const colors = this.colors.assign(this.label, this.snapshot.runs.map((r) => r.uid));
      await this.post({ type: 'snapshot', snapshot: this.snapshot, colors });
    }
    if (slices) await this.post({ type: 'slices', runs: slices });
    if (all || work.allSeries) await this.post({ type: 'series', keys, withTimes, replace: true, series: packSeries([...this.series.values()], withTimes) });
    else if (updated.length) await this.post({ type: 'series', keys, withTimes, replace: false, series: packSeries(updated, withTimes) });
    if (all && this.series.size) {
      this.log.info(`${this.label}: ${uids.length} runs × ${keys.length} metrics: summaries ${snapshotMs} ms, series ${fetchedMs - snapshotMs} ms, posted ${Date.now() - started - fetchedMs} ms after`);
    }
  }
}

function seriesId(uid: string, key: string): string {
  return `${uid}\u0000${key}`;
}

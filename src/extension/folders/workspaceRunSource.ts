/**
 * The store calls that name runs, answered across the workspace's folders: runs are named by
 * their keys (src/core/folders/runKeys.ts), each folder's index answers for its own runs, and a
 * comparison of runs of several folders is merged (src/core/compare/mergeSnapshots.ts). With one
 * folder every call goes straight to its index. Compare, the code diff and their panels read runs
 * through this.
 */
import * as vscode from 'vscode';
import { mergeSnapshots, rekeySeries, type SnapshotPart } from '../../core/compare/mergeSnapshots';
import type { StoreApi } from '../../core/store/storeApi';
import type { IngestReport } from '../../shared/runTypes';
import { Disposable } from '../disposable';
import type { FolderSession } from './folderSession';
import type { FolderSessions } from './folderSessions';

/** The calls that take run keys where a store takes uids. */
export type RunSourceMethod = 'getRun' | 'compareRuns' | 'chartSeries' | 'metricSeries' | 'metricSeriesInRange' | 'runSlices';

type Result<M extends RunSourceMethod> = Promise<Awaited<ReturnType<StoreApi[M]>>>;

/** Where comparisons read runs: one folder's RunIndex, or every folder's through WorkspaceRunSource. */
export interface RunSource {
  call<M extends RunSourceMethod>(method: M, ...args: Parameters<StoreApi[M]>): Result<M>;
  /** Fires after an ingest that read something; `runsTouched` holds run keys. */
  readonly onDidChange: vscode.Event<IngestReport>;
}

export class WorkspaceRunSource extends Disposable implements RunSource {
  private readonly changed = this.register(new vscode.EventEmitter<IngestReport>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly sessions: FolderSessions) {
    super();
    for (const session of sessions.all) this.follow(session);
    this.register(sessions.onDidStart((session) => this.follow(session)));
  }

  /** The first folder's root: where files a comparison exports are offered first. */
  get workspaceRoot(): string | undefined {
    return this.sessions.folders.first?.root;
  }

  /** The root of the folder a run key names; its run's paths are relative to it. */
  rootOf(key: string): string | undefined {
    return this.sessions.folders.ofKey(key)?.folder.root;
  }

  call<M extends RunSourceMethod>(method: M, ...args: Parameters<StoreApi[M]>): Result<M> {
    return this.route(method, args) as Result<M>;
  }

  private async route(method: RunSourceMethod, args: unknown[]): Promise<unknown> {
    const keys = this.sessions.folders.keys;
    if (!keys.multi) {
      const only = this.sessions.folders.first;
      const session = only && (await this.sessions.start(only));
      if (!session) throw new Error('no workspace folder is open');
      return (session.index.call as (m: string, ...a: unknown[]) => Promise<unknown>)(method, ...args);
    }
    switch (method) {
      case 'compareRuns': {
        const [given, atStep] = args as Parameters<StoreApi['compareRuns']>;
        // A bare uid (a panel restored from before a folder was added) stands for its key.
        const wanted = given.map((key) => {
          const ref = keys.parse(key);
          return ref ? keys.key(ref.folderId, ref.uid) : key;
        });
        const parts = await this.perFolder(wanted, async (session, uids): Promise<SnapshotPart> => ({
          snapshot: await session.index.call('compareRuns', uids, atStep),
          key: (uid) => keys.key(session.folder.id, uid),
          label: session.folder.name,
        }));
        const merged = mergeSnapshots(parts, wanted, atStep !== undefined && atStep !== null && Number.isFinite(atStep) ? atStep : null);
        // Runs of a folder that could not start are missing too.
        const answered = new Set([...merged.runs.map((r) => r.uid), ...merged.missing]);
        merged.missing.push(...new Set(wanted.filter((key) => !answered.has(key))));
        return merged;
      }
      case 'metricSeries': {
        const [wanted, metricKeys, maxPoints, withTimes] = args as Parameters<StoreApi['metricSeries']>;
        const parts = await this.perFolder(wanted, async (session, uids) =>
          rekeySeries(await session.index.call('metricSeries', uids, metricKeys, maxPoints, withTimes), (uid) => keys.key(session.folder.id, uid)));
        return parts.flat();
      }
      case 'chartSeries': {
        const [request] = args as Parameters<StoreApi['chartSeries']>;
        const parts = await this.perFolder(request.uids, async (session, uids) =>
          rekeySeries(await session.index.call('chartSeries', { ...request, uids }), (uid) => keys.key(session.folder.id, uid)));
        return parts.flat();
      }
      case 'runSlices': {
        const [wanted, options] = args as Parameters<StoreApi['runSlices']>;
        const parts = await this.perFolder(wanted, async (session, uids) =>
          (await session.index.call('runSlices', uids, options)).map((r) => ({ ...r, uid: keys.key(session.folder.id, r.uid) })));
        return parts.flat();
      }
      case 'metricSeriesInRange': {
        const [key, ...rest] = args as Parameters<StoreApi['metricSeriesInRange']>;
        const found = await this.resolve(key);
        const series = found && (await found.session.index.call('metricSeriesInRange', found.uid, ...rest));
        return series ? { ...series, uid: key } : null;
      }
      case 'getRun': {
        const [key] = args as Parameters<StoreApi['getRun']>;
        const found = await this.resolve(key);
        const run = found && (await found.session.index.call('getRun', found.uid));
        return run && { ...run, uid: key };
      }
    }
  }

  /** Calls `ask` once per folder with that folder's uids among `wantedKeys` (starting the folder). */
  private async perFolder<R>(wantedKeys: readonly string[], ask: (session: FolderSession, uids: string[]) => Promise<R>): Promise<R[]> {
    const groups = [...this.sessions.folders.keys.group(wantedKeys)];
    const answers = await Promise.all(groups.map(async ([folderId, uids]) => {
      const folder = this.sessions.folders.byId(folderId);
      const session = folder && (await this.sessions.start(folder));
      return session ? [await ask(session, uids)] : [];
    }));
    return answers.flat();
  }

  private async resolve(key: string): Promise<{ session: FolderSession; uid: string } | undefined> {
    const found = this.sessions.folders.ofKey(key);
    const session = found && (await this.sessions.start(found.folder));
    return session && { session, uid: found.uid };
  }

  private follow(session: FolderSession): void {
    this.register(session.index.onDidChange((report) => {
      const keys = this.sessions.folders.keys;
      this.changed.fire(keys.multi ? { ...report, runsTouched: report.runsTouched.map((uid) => keys.key(session.folder.id, uid)) } : report);
    }));
  }
}

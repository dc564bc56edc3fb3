/**
 * The asynchronous face of the store for the extension host: every call is a message to the
 * worker thread that owns the database. If the worker dies, pending calls fail and the client
 * reports it; a new client can be started (the database rebuilds from the sources).
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { IngestReport, ScanProgress } from '../../shared/runTypes';
import type { ScanCancellation } from '../ingest/scanCancellation';
import type { SyncProgressMessage } from '../mlflowSync/syncTasks';
import type { StoreOpenInfo } from './storeTypes';
import type { StoreApi, StoreMethod, StoreWorkerData, WorkerMessage, WorkerRequest } from './storeApi';

export interface StoreClientOptions extends Omit<StoreWorkerData, 'saveDelayMs'> {
  workerPath: string;
  saveDelayMs?: number;
  /** e.g. ['--import', 'tsx'] to run the TypeScript worker in tests. */
  execArgv?: string[];
}

type Pending = { resolve(v: unknown): void; reject(e: Error): void };

export interface StoreClientEvents {
  saved: [bytes: number];
  saveFailed: [error: string];
  exit: [code: number];
  syncProgress: [progress: SyncProgressMessage];
}

export class StoreClient extends EventEmitter<StoreClientEvents> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Progress listeners of running ingests, by call id. */
  private readonly progress = new Map<number, (p: ScanProgress) => void>();
  private exited = false;

  private constructor(private readonly worker: Worker) {
    super();
    worker.on('message', (m: WorkerMessage) => this.onMessage(m));
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', (code) => {
      this.exited = true;
      this.failAll(new Error(`the store worker stopped (exit code ${code})`));
      this.emit('exit', code);
    });
  }

  /** Starts the worker and waits until the database is open. */
  static start(opts: StoreClientOptions): Promise<{ client: StoreClient; info: StoreOpenInfo }> {
    const workerData: StoreWorkerData = {
      workspaceRoot: opts.workspaceRoot, dbPath: opts.dbPath, outsideDir: opts.outsideDir, wasmPath: opts.wasmPath, sources: opts.sources, saveDelayMs: opts.saveDelayMs ?? 1000,
    };
    const worker = new Worker(opts.workerPath, { workerData, execArgv: opts.execArgv });
    return new Promise((resolve, reject) => {
      const onFirst = (m: WorkerMessage) => {
        if (m.kind === 'opened') {
          worker.off('message', onFirst);
          resolve({ client: new StoreClient(worker), info: m.info });
        } else if (m.kind === 'openFailed') {
          worker.off('message', onFirst);
          void worker.terminate();
          reject(new Error(`could not open the run index: ${m.error}`));
        }
      };
      worker.on('message', onFirst);
      worker.once('error', reject);
    });
  }

  call<M extends StoreMethod>(method: M, ...args: Parameters<StoreApi[M]>): Promise<Awaited<ReturnType<StoreApi[M]>>> {
    return this.send({ id: this.nextId++, method, args }) as Promise<Awaited<ReturnType<StoreApi[M]>>>;
  }

  /**
   * An ingest that reports its progress and can be cancelled: the worker reads the cancellation's
   * flag from shared memory while it walks and reads, so Cancel reaches it mid-scan.
   */
  async ingest(absPaths: string[] | undefined, opts: { cancellation?: ScanCancellation; onProgress?: (p: ScanProgress) => void } = {}): Promise<IngestReport> {
    const id = this.nextId++;
    if (opts.onProgress) this.progress.set(id, opts.onProgress);
    try {
      return await (this.send({ id, method: 'ingest', args: [absPaths, { cancelFlag: opts.cancellation?.buffer, progress: opts.onProgress !== undefined }] }) as Promise<IngestReport>);
    } finally {
      this.progress.delete(id);
    }
  }

  async close(): Promise<void> {
    if (this.exited) return;
    await this.send({ id: this.nextId++, method: 'close', args: [] });
    await this.worker.terminate();
  }

  /** Ends the worker at once, without saving (the sources still hold everything). */
  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private send(req: WorkerRequest): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the store worker is not running'));
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.worker.postMessage(req);
    });
  }

  private onMessage(m: WorkerMessage): void {
    switch (m.kind) {
      case 'reply': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new Error(m.error));
        return;
      }
      case 'progress':
        this.progress.get(m.id)?.(m.progress);
        return;
      case 'saved':
        this.emit('saved', m.bytes);
        return;
      case 'saveFailed':
        this.emit('saveFailed', m.error);
        return;
      case 'syncProgress':
        this.emit('syncProgress', { taskId: m.taskId, message: m.message, done: m.done, total: m.total });
        return;
      case 'opened':
      case 'openFailed':
        return;
      default: {
        const never: never = m;
        throw new Error(`unexpected worker message ${JSON.stringify(never)}`);
      }
    }
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/**
 * Entry of the worker thread that owns the sql.js database, so long ingests and big queries never
 * block the extension host's thread. Saves are debounced here, after the last change.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SyncTasks } from '../mlflowSync/syncTasks';
import { Store, type IngestControl } from './store';
import { STORE_METHODS, type IngestRequest, type StoreMethod, type StoreWorkerData, type WorkerMessage, type WorkerRequest } from './storeApi';

const data = workerData as StoreWorkerData;
const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);

async function main(): Promise<void> {
  let store: Store;
  let syncTasks: SyncTasks;
  try {
    const opened = await Store.open({ workspaceRoot: data.workspaceRoot, dbPath: data.dbPath, outsideDir: data.outsideDir, wasmPath: data.wasmPath, sources: data.sources });
    store = opened.store;
    post({ kind: 'opened', info: opened.info });
    syncTasks = new SyncTasks(store, (m) => post({ kind: 'syncProgress', ...m }));
  } catch (e) {
    post({ kind: 'openFailed', error: (e as Error).message });
    return;
  }

  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    saveTimer = undefined;
    try {
      const bytes = store.save();
      if (bytes) post({ kind: 'saved', bytes });
    } catch (e) {
      post({ kind: 'saveFailed', error: (e as Error).message });
    }
  };
  const scheduleSave = () => {
    if (store.needsSave && !saveTimer) saveTimer = setTimeout(save, data.saveDelayMs);
  };

  port.on('message', (req: WorkerRequest) => {
    if (req.method === 'close') {
      if (saveTimer) clearTimeout(saveTimer);
      save();
      store.close();
      post({ kind: 'reply', id: req.id, ok: true, result: undefined });
      port.close();
      return;
    }
    if (!STORE_METHODS.includes(req.method)) {
      post({ kind: 'reply', id: req.id, ok: false, error: `unknown store method ${String(req.method)}` });
      return;
    }
    // Most methods answer at once; a few (hashing or profiling files) return a promise. Replies are
    // matched by id, so an answer that waits for files does not hold back the others.
    // MLflow sync runs beside the store, on its own object; everything else is a Store method.
    const target: object = req.method === 'mlflowSync' ? { mlflowSync: (id: number, r: never) => syncTasks.run(id, r) }
      : req.method === 'cancelSync' ? { cancelSync: (id: number) => syncTasks.cancel(id) } : store;
    const method = (target as Record<string, unknown>)[req.method] as (...args: unknown[]) => unknown;
    let result: unknown;
    try {
      result = method.apply(target, req.method === 'ingest' ? ingestArgs(req.id, req.args) : req.args);
    } catch (e) {
      post({ kind: 'reply', id: req.id, ok: false, error: (e as Error).stack ?? String(e) });
      scheduleSave();
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value: unknown) => post({ kind: 'reply', id: req.id, ok: true, result: value }),
        (e: unknown) => post({ kind: 'reply', id: req.id, ok: false, error: (e as Error)?.stack ?? String(e) }),
      );
    } else {
      post({ kind: 'reply', id: req.id, ok: true, result });
    }
    scheduleSave();
  });
}

/** An ingest's request as the Store takes it: progress is posted back to the caller under the call's id. */
function ingestArgs(id: number, args: unknown[]): [string[] | undefined, IngestControl] {
  const [paths, request = {}] = args as [string[] | undefined, IngestRequest | undefined];
  const control: IngestControl = { cancelFlag: request.cancelFlag };
  if (request.progress) control.onProgress = (progress) => post({ kind: 'progress', id, progress });
  return [paths, control];
}

void main();

/**
 * Entry of the worker thread that owns the sql.js database, so long ingests and big queries never
 * block the extension host's thread. Saves are debounced here, after the last change.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from './store';
import { STORE_METHODS, type StoreMethod, type StoreWorkerData, type WorkerMessage, type WorkerRequest } from './storeApi';

const data = workerData as StoreWorkerData;
const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);

async function main(): Promise<void> {
  let store: Store;
  try {
    const opened = await Store.open({ workspaceRoot: data.workspaceRoot, dbPath: data.dbPath, outsideDir: data.outsideDir, wasmPath: data.wasmPath, sources: data.sources });
    store = opened.store;
    post({ kind: 'opened', info: opened.info });
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
    const method = store[req.method as StoreMethod] as (...args: unknown[]) => unknown;
    let result: unknown;
    try {
      result = method.apply(store, req.args);
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

void main();

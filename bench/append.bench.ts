/**
 * P3: one line appended to a 100 MB MLflow metric file, ingested through Store.ingest([file]),
 * against reading the whole file through the same call (what a non-incremental index would do on
 * every change). Goal: the append is >= 1,000x faster.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Store } from '../src/core/store/store';

const TARGET_BYTES = 100 * 1024 * 1024;
const RUN = 'mlruns/0/0123456789abcdef0123456789abcdef';

function writeMetricFile(file: string): number {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let size = 0;
  let step = 0;
  while (size < TARGET_BYTES) {
    let chunk = '';
    for (let i = 0; i < 20_000; i++, step++) chunk += `${1700000000000 + step * 10} ${Math.sin(step) + 1.0000001} ${step}\n`;
    size += fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  return step;
}

/** CPU seconds of this process: the ratio then holds on a machine shared with other work. */
function seconds(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'exptrack-bench-append-'));
  try {
    fs.mkdirSync(path.join(root, RUN), { recursive: true });
    fs.writeFileSync(path.join(root, RUN, 'meta.yaml'), 'run_id: 0123456789abcdef0123456789abcdef\nstart_time: 1700000000000\nstatus: 1\n');
    const file = path.join(root, RUN, 'metrics', 'loss');
    let step = writeMetricFile(file);
    const mb = fs.statSync(file).size / 1024 / 1024;
    const { store } = await Store.open({ workspaceRoot: root, dbPath: null });
    const whole = seconds(() => store.ingest([file]));
    const appends: number[] = [];
    for (let i = 0; i < 21; i++, step++) {
      fs.appendFileSync(file, `${1700000000000 + step * 10} 0.5 ${step}\n`);
      appends.push(seconds(() => store.ingest([file])));
    }
    appends.sort((a, b) => a - b);
    const append = appends[Math.floor(appends.length / 2)]!;
    const points = store.getRun('mlflow:0123456789abcdef0123456789abcdef')!.metrics[0]!.count;
    store.close();
    const ratio = whole / append;
    console.log(`P3 append: one line into a ${mb.toFixed(0)} MB MLflow metric file ${(append * 1000).toFixed(2)} ms (median of 21) vs whole file ${(whole * 1000).toFixed(0)} ms (${points} points), ratio ${ratio.toFixed(0)}x ${ratio >= 1000 ? 'OK' : 'BELOW GOAL'} (goal >= 1000x)`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
})();

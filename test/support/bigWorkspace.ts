/**
 * A generated workspace of many files, shaped like an ML repository: source code, a data set of
 * many small files, a build folder and a `node_modules/` that no one reads, and a few log folders
 * (MLflow, Lightning) among them, listed in `.gitignore` as people do.
 * Files are empty except the sources a reader reads, so making 200,000 of them takes seconds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BigWorkspace {
  /** Files written (folders not counted). */
  files: number;
  /** Log sources a scan with the default settings finds: 20 MLflow runs and 10 Lightning versions. */
  sources: number;
}

/** The files of a workspace of `files` files (at least a few hundred): [relative path, text]. */
function* bigWorkspaceFiles(files: number): Generator<[string, string]> {
  yield ['.gitignore', 'build/\nmlruns/\nlightning_logs/\n*.log\n'];
  for (let r = 0; r < 20; r++) {
    const run = `mlruns/1/run${String(r).padStart(3, '0')}`;
    yield [`${run}/meta.yaml`, `run_id: run${r}\nexperiment_id: '1'\nstatus: 3\nstart_time: ${1700000000000 + r}\nlifecycle_stage: active\n`];
    yield [`${run}/metrics/loss`, `${1700000000000 + r} 0.5 0\n${1700000000001 + r} 0.4 1\n`];
    yield [`${run}/metrics/acc`, `${1700000000000 + r} 0.8 0\n`];
    yield [`${run}/params/lr`, '0.01'];
  }
  yield ['mlruns/1/meta.yaml', "name: big\nexperiment_id: '1'\nlifecycle_stage: active\n"];
  for (let v = 0; v < 10; v++) {
    yield [`lightning_logs/version_${v}/metrics.csv`, 'epoch,step,train_loss\n0,0,0.9\n0,1,0.8\n'];
    yield [`lightning_logs/version_${v}/hparams.yaml`, 'lr: 0.001\n'];
  }
  const budget = Math.max(0, files - 1 - 20 * 4 - 1 - 10 * 2);
  // What no reader wants: code, a data set, build output (ignored by git), installed packages.
  const parts: [string, number, number, (i: number) => string][] = [
    ['src', Math.floor(budget * 0.1), 100, (i) => `module_${i}.py`],
    ['data/images', Math.floor(budget * 0.6), 1000, (i) => `img_${i}.jpg`],
    ['build', Math.floor(budget * 0.1), 500, (i) => `obj_${i}.o`],
    ['node_modules/pkg', Math.floor(budget * 0.1), 500, (i) => `index_${i}.js`],
  ];
  parts.push(['notes', budget - parts.reduce((n, p) => n + p[1], 0), 200, (i) => `note_${i}.md`]);
  for (const [dir, count, perFolder, name] of parts) {
    for (let i = 0; i < count; i++) yield [`${dir}/part_${String(Math.floor(i / perFolder)).padStart(4, '0')}/${name(i)}`, ''];
  }
}

const SOURCES = 20 * 4 + 10 * 2;

/** Writes the workspace below `root`, blocking this thread (a benchmark, a unit test). */
export function writeBigWorkspace(root: string, files: number): BigWorkspace {
  const made = new Set<string>();
  let written = 0;
  for (const [rel, text] of bigWorkspaceFiles(files)) {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
    fs.writeFileSync(abs, text);
    written++;
  }
  return { files: written, sources: SOURCES };
}

/** The same, without blocking this thread for long (a test inside the extension host). */
export async function writeBigWorkspaceAsync(root: string, files: number): Promise<BigWorkspace> {
  const made = new Set<string>();
  let written = 0;
  let batch: Promise<void>[] = [];
  for (const [rel, text] of bigWorkspaceFiles(files)) {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      await Promise.all(batch);
      batch = [];
      await fs.promises.mkdir(dir, { recursive: true });
      made.add(dir);
    }
    batch.push(fs.promises.writeFile(abs, text));
    written++;
    if (batch.length === 64) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  return { files: written, sources: SOURCES };
}

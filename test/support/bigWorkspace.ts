/**
 * A generated workspace of many files, shaped like an ML repository: source code, a data set of
 * many small files, a build folder and a `node_modules/` that no one reads, and a few log folders
 * (MLflow, Lightning, TensorBoard) among them, some of them listed in `.gitignore` as people do.
 * Files are empty except the sources a reader reads, so making 200,000 of them takes seconds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BigWorkspace {
  /** Files written (folders not counted). */
  files: number;
  /** Log sources a scan with the default settings finds. */
  sources: number;
}

/** Writes about `files` files below `root` (at least a few thousand). */
export function writeBigWorkspace(root: string, files: number): BigWorkspace {
  let written = 0;
  const put = (rel: string, text = ''): void => {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    written++;
  };
  const fill = (dir: string, count: number, perFolder: number, name: (i: number) => string): void => {
    for (let i = 0; i < count; i++) {
      const folder = path.join(root, dir, `part_${String(Math.floor(i / perFolder)).padStart(4, '0')}`);
      if (i % perFolder === 0) fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, name(i)), '');
      written++;
    }
  };
  // Sources: 20 MLflow runs (meta + 2 metrics + 1 param each), 10 Lightning versions, 10 TensorBoard runs.
  let sources = 0;
  put('.gitignore', 'build/\nmlruns/\nlightning_logs/\n*.log\n');
  for (let r = 0; r < 20; r++) {
    const run = `mlruns/1/run${String(r).padStart(3, '0')}`;
    put(`${run}/meta.yaml`, `run_id: run${r}\nexperiment_id: '1'\nstatus: 3\nstart_time: ${1700000000000 + r}\nlifecycle_stage: active\n`);
    put(`${run}/metrics/loss`, `${1700000000000 + r} 0.5 0\n${1700000000001 + r} 0.4 1\n`);
    put(`${run}/metrics/acc`, `${1700000000000 + r} 0.8 0\n`);
    put(`${run}/params/lr`, '0.01');
    sources += 4;
  }
  put('mlruns/1/meta.yaml', "name: big\nexperiment_id: '1'\nlifecycle_stage: active\n");
  for (let v = 0; v < 10; v++) {
    put(`lightning_logs/version_${v}/metrics.csv`, 'epoch,step,train_loss\n0,0,0.9\n0,1,0.8\n');
    put(`lightning_logs/version_${v}/hparams.yaml`, 'lr: 0.001\n');
    sources += 2;
  }
  const budget = Math.max(0, files - written);
  // What no reader wants: code, a data set, build output (ignored by git), installed packages.
  fill('src', Math.floor(budget * 0.1), 100, (i) => `module_${i}.py`);
  fill('data/images', Math.floor(budget * 0.6), 1000, (i) => `img_${i}.jpg`);
  fill('build', Math.floor(budget * 0.1), 500, (i) => `obj_${i}.o`);
  fill('node_modules/pkg', Math.floor(budget * 0.1), 500, (i) => `index_${i}.js`);
  fill('notes', files - written, 200, (i) => `note_${i}.md`);
  return { files: written, sources };
}

// Runs for the Compare UI tests, written as `.exptrack/runs/<id>/events.jsonl` files: a few
// ordinary runs, runs whose name, parameter keys and metric keys are XSS payloads, and a large
// set for the 100-run checks.
import * as fs from 'fs';
import * as path from 'path';

export const XSS = {
  runName: '<img src=x onerror=alert(1)>',
  scriptName: '</script><script>alert(2)</script>',
  paramKey: '<img src=x onerror=alert(3)>',
  metricKey: '<svg onload=alert(4)>',
  paramValue: '"><script>alert(5)</script>',
};

export interface FixtureRun {
  id: string;
  name: string;
  params: Record<string, unknown>;
  metrics: (step: number) => Record<string, number>;
  steps: number;
  started: number;
  status?: 'finished' | 'failed';
  /** Defaults to 'compare'. */
  experiment?: string;
  /** More events (datasets, models, tags…), written after the metrics and before the end. */
  events?: object[];
}

export function writeRun(workspace: string, run: FixtureRun): void {
  const dir = path.join(workspace, '.exptrack', 'runs', run.id);
  fs.mkdirSync(dir, { recursive: true });
  const lines: object[] = [
    { t: 'run', v: 1, id: run.id, name: run.name, experiment: run.experiment ?? 'compare', started: run.started, source: { kind: 'script', path: 'train.py' } },
    { t: 'params', values: run.params },
  ];
  for (let s = 0; s < run.steps; s++) lines.push({ t: 'metrics', step: s, time: run.started + s * 2, values: run.metrics(s) });
  lines.push(...(run.events ?? []));
  if (run.status) lines.push({ t: 'end', status: run.status, exit: run.status === 'finished' ? 0 : 1, ended: run.started + run.steps * 2 });
  fs.writeFileSync(path.join(dir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

/** Two plain runs that differ in lr only, plus two runs carrying the XSS payloads. */
export function compareRuns(): FixtureRun[] {
  const base = 1732240000;
  const curve = (lr: number, seed: number) => (s: number) => ({
    loss: 1 / (1 + s * lr) + 0.05 * Math.sin(s * 1.7 + seed),
    accuracy: 1 - 1 / (1 + s * lr * 0.5),
  });
  return [
    { id: 'run-a', name: 'baseline', params: { lr: 0.1, batch: 32, optimizer: 'adam' }, metrics: curve(0.1, 1), steps: 300, started: base, status: 'finished' },
    { id: 'run-b', name: 'higher-lr', params: { lr: 0.5, batch: 32, optimizer: 'adam' }, metrics: curve(0.5, 2), steps: 300, started: base + 1000, status: 'finished' },
    {
      id: 'run-x', name: XSS.runName, params: { lr: 0.2, [XSS.paramKey]: XSS.paramValue, batch: 32 },
      metrics: (s) => ({ loss: 1 / (1 + s), [XSS.metricKey]: s % 7 }), steps: 50, started: base + 2000, status: 'failed',
    },
    {
      id: 'run-y', name: XSS.scriptName, params: { lr: 0.3, [XSS.paramKey]: 'plain', batch: 64 },
      metrics: (s) => ({ loss: 2 / (2 + s), [XSS.metricKey]: s % 5 }), steps: 50, started: base + 3000, status: 'finished',
    },
  ];
}

/** `count` runs with `steps` steps of three metrics each; with `spike`, that run's loss is 50 at that one step. */
export function manyRuns(count: number, steps: number, spike?: { run: number; step: number }): FixtureRun[] {
  const base = 1732000000;
  return Array.from({ length: count }, (_, r) => ({
    id: `many-${String(r).padStart(3, '0')}`,
    name: `sweep-${String(r).padStart(3, '0')}`,
    params: { lr: 0.001 * (1 + (r % 10)), layers: 1 + (r % 4), dropout: (r % 5) / 10, seed: r },
    metrics: (s: number) => ({
      loss: spike && spike.run === r && spike.step === s ? 50 : Math.exp(-s / (200 + r * 5)) + 0.05 * Math.sin(s * 0.37 + r),
      val_loss: Math.exp(-s / (250 + r * 5)) + 0.08 * Math.sin(s * 0.11 + r),
      accuracy: 1 - Math.exp(-s / (300 + r * 3)),
    }),
    steps,
    started: base + r * 100,
    status: 'finished' as const,
  }));
}

/**
 * `count` runs of the experiment `experiment` with `metrics` keys each: a few without a prefix,
 * then `train/`, `val/` and `eval/` keys, so the panel has sections.
 */
export function manyMetricRuns(experiment: string, count: number, metrics: number, steps: number): FixtureRun[] {
  const keys = metricKeys(metrics);
  return Array.from({ length: count }, (_, r) => ({
    id: `${experiment}-${String(r).padStart(3, '0')}`,
    name: `${experiment}-${String(r).padStart(3, '0')}`,
    experiment,
    params: { seed: r },
    metrics: (s: number) => Object.fromEntries(keys.map((k, i) => [k, Math.exp(-s / (20 + i)) + r / 100])),
    steps,
    started: 1733000000 + r * 100,
    status: 'finished' as const,
  }));
}

/** `count` metric keys: loss, accuracy and lr, then a third each of train/, val/ and eval/ keys (system/ ones have a tab of their own). */
export function metricKeys(count: number): string[] {
  const plain = ['loss', 'accuracy', 'lr'].slice(0, count);
  const rest = count - plain.length;
  const prefixed = Array.from({ length: rest }, (_, i) => `${['train', 'val', 'eval'][i % 3]}/m${String(Math.floor(i / 3)).padStart(3, '0')}`);
  return [...plain, ...prefixed];
}

/** A copy of `source` with the given runs added, in a new temp folder (the harness copies it again). */
export function workspaceWithRuns(source: string, runs: FixtureRun[]): string {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'exptrack-compare-fixture-'));
  fs.cpSync(source, dir, { recursive: true });
  for (const run of runs) writeRun(dir, run);
  return dir;
}

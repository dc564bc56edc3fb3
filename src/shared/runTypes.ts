/** Domain value types that the store returns and every layer (CLI, extension, webviews) shows. */
import type { RunStatus, SourceKind } from './runEvents';

export interface MetricSummary {
  key: string;
  last: number;
  lastStep: number | null;
  lastTime: number | null;
  min: number;
  max: number;
  count: number;
}

export interface RunSummary {
  uid: string;
  name: string;
  experiment: string;
  status: RunStatus | 'unknown';
  sourceKind: SourceKind | null;
  sourcePath: string | null;
  started: number | null;
  ended: number | null;
  exitCode: number | null;
  /** The metric the Runs tree shows beside the name (see keyMetricOf). */
  keyMetric: MetricSummary | null;
  hidden: boolean;
}

export interface RunDetail extends RunSummary {
  /** Where the run's own files are (events.jsonl, stdout.log, code.patch), relative to the workspace. */
  runDir: string | null;
  command: string[] | null;
  cwd: string | null;
  git: { commit: string | null; branch: string | null; dirty: boolean | null };
  env: Record<string, string>;
  user: string | null;
  note: string | null;
  params: Record<string, unknown>;
  metrics: MetricSummary[];
  tags: Record<string, string>;
  datasets: { path: string; role: string | null; sha256: string | null; rows: number | null }[];
  artifacts: { path: string; sha256: string | null; bytes: number | null }[];
  models: { name: string; version: number | null; path: string | null; derivation: string | null }[];
}

export interface MetricPoint {
  step: number | null;
  time: number | null;
  value: number;
}

/** A page of a metric's points in step order, and how many points the metric has in all. */
export interface MetricPointsPage {
  points: MetricPoint[];
  total: number;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** Something a source could not say clearly: shown in Problems, the Output channel and on CLI stderr. */
export interface SourceProblem {
  path: string;
  line: number | null;
  severity: ProblemSeverity;
  message: string;
}

export interface IngestReport {
  sourcesSeen: number;
  sourcesRead: number;
  runsTouched: string[];
  points: number;
  problems: SourceProblem[];
}

/** Keys the Runs tree prefers to show, in order; otherwise the first key alphabetically. */
export const PREFERRED_KEY_METRICS = [
  'val_loss', 'val/loss', 'validation/loss', 'eval_loss', 'eval/loss', 'test_loss', 'loss', 'train_loss', 'train/loss',
  'val_acc', 'val_accuracy', 'val/acc', 'accuracy', 'acc',
];

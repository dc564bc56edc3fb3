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
  /** How the walk for sources went, when folders were walked (a full scan or a folder's). */
  scan?: ScanSummary;
  /** The ingest was cancelled: what was read before stays in the index, the rest is read next time. */
  cancelled?: boolean;
  /** Files being written that could not be read consistently (absolute paths): read them again in a moment. */
  retry?: string[];
}

/** Why discovery left a file or folder out. */
export type ScanSkipReason = 'built-in' | 'exptrack.sources.exclude' | 'files.exclude' | 'search.exclude' | '.gitignore';

export interface ScanSummary {
  /** Files and folders the walk looked at. */
  filesLookedAt: number;
  sourcesFound: number;
  /** Set when the walk stopped at this many files and folders looked at (`exptrack.sources.maxFiles`). */
  limitReached?: number;
  cancelled: boolean;
  /** Files and folders left out, by the rule that left them out (a folder counts once, not its content). */
  skipped: Partial<Record<ScanSkipReason, number>>;
  ms: number;
}

/** What a long ingest reports while it runs: first the walk, then the reading of the sources found. */
export interface ScanProgress {
  phase: 'walking' | 'reading';
  filesLookedAt: number;
  sourcesFound: number;
  sourcesRead: number;
}

export interface ListRunsOptions {
  includeHidden?: boolean;
  /** The metric shown beside each run when the run has it (`exptrack.keyMetric`); otherwise PREFERRED_KEY_METRICS decide. */
  keyMetric?: string;
}

/** Keys the Runs tree prefers to show, in order; otherwise the first key alphabetically. */
export const PREFERRED_KEY_METRICS = [
  'val_loss', 'val/loss', 'validation/loss', 'eval_loss', 'eval/loss', 'test_loss', 'loss', 'train_loss', 'train/loss',
  'val_acc', 'val_accuracy', 'val/acc', 'accuracy', 'acc',
];

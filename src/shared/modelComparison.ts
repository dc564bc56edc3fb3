/**
 * A model version set beside another one (by default the version holding `champion`), as the
 * store computes it and the Model Version panel shows it: metrics side by side, the parameters of
 * their source runs, the drift between their training datasets and the gate's verdict.
 * Numbers that may be NaN or ±Infinity use the run-event spelling (MetricValue), because webview
 * messages travel as JSON, which has no such numbers.
 */
import type { ModelVersionOrigin, ModelVersionRef } from './modelTypes';
import type { MetricValue } from './runEvents';
import type { Severity } from './schemaDiff';

/** What the panel shows about one version. */
export interface VersionFacts {
  name: string;
  version: number;
  origin: ModelVersionOrigin;
  aliases: string[];
  framework: string | null;
  path: string | null;
  sha256: string | null;
  bytes: number | null;
  created: number | null;
  createdBy: string | null;
  runUid: string | null;
  runName: string | null;
  runStatus: string | null;
  parent: ModelVersionRef | null;
  derivation: string | null;
  description: string | null;
}

/** One metric of the two source runs: their last values and `version − against`. */
export interface MetricComparisonRow {
  key: string;
  version: MetricValue | null;
  against: MetricValue | null;
  difference: MetricValue | null;
}

/** One parameter of the two source runs, as text; null when that run has no such parameter. */
export interface ParamComparisonRow {
  key: string;
  version: string | null;
  against: string | null;
  differs: boolean;
}

/** The dataset a version's source run trained on (its `dataset` event). */
export interface TrainingDataset {
  path: string;
  role: string | null;
  sha256: string | null;
  rows: number | null;
}

export interface DriftedColumn {
  column: string;
  measure: 'jensen-shannon' | 'l-infinity' | 'psi';
  value: number;
  threshold: number;
}

/**
 * Drift from the `against` version's training data (side A, the reference) to this version's
 * (side B). `unavailable` says why it could not be computed: a run recorded no dataset, the file
 * is gone or no longer holds the bytes the run read, or it could not be read.
 */
export type TrainingDataDrift =
  | { status: 'unavailable'; reason: string; against: TrainingDataset | null; version: TrainingDataset | null }
  | { status: 'same'; against: TrainingDataset; version: TrainingDataset }
  | {
    status: 'compared';
    against: TrainingDataset;
    version: TrainingDataset;
    rows: { against: number | null; version: number | null };
    columns: { compared: number; added: number; removed: number; renamed: number; changed: number };
    findings: Record<Severity, number>;
    /** Columns whose distribution moved past a threshold, the largest first. */
    drifted: DriftedColumn[];
    /** The most severe findings, as one line each. */
    messages: { severity: Severity; message: string }[];
  };

/** The champion–challenger gate's verdict on `version` against `against`. */
export interface GateVerdict {
  metric: string;
  mode: 'max' | 'min';
  minDelta: number;
  passed: boolean;
  versionValue: MetricValue | null;
  againstValue: MetricValue | null;
  delta: MetricValue | null;
  reason: string;
}

export interface ModelVersionComparison {
  model: string;
  version: VersionFacts;
  /** What it is compared with; null when there is nothing to compare with (see `notice`). */
  against: VersionFacts | null;
  /** How `against` was chosen, e.g. "champion v2" or "v1". */
  againstLabel: string | null;
  notice: string | null;
  /** Every version of the model, for choosing another one to compare with. */
  versions: { version: number; aliases: string[] }[];
  metrics: MetricComparisonRow[];
  params: ParamComparisonRow[];
  drift: TrainingDataDrift;
  /** Null without a gate metric (exptrack.gate.metric) or without a version to compare with. */
  gate: GateVerdict | null;
  /** The gate's metric even when no verdict could be made, so the panel can mark its row. */
  gateMetric: string | null;
}

export interface ModelVersionComparisonRequest {
  name: string;
  version: number;
  /** A version number to compare with; absent: the version holding `champion`. */
  against?: number;
  gate: { metric: string; mode: 'max' | 'min'; minDelta: number; sliceMaxDrop?: number | null } | null;
}

/**
 * Model registry value types that the core returns and every layer shows: versions with their
 * aliases, the audit history, the champion–challenger gate's verdict and the lineage graph.
 */
import type { RunStatus } from './runEvents';
import type { SliceMetricValue } from './slices';
import type { MetricSummary } from './runTypes';

export const MODEL_FRAMEWORKS = ['onnx', 'pytorch', 'keras', 'sklearn', 'tensorflow', 'safetensors', 'gguf'] as const;
export type ModelFramework = (typeof MODEL_FRAMEWORKS)[number];

/** How a version was made from its parent; any other word is allowed and shown as written. */
export const KNOWN_DERIVATIONS = ['fine-tuned', 'quantized', 'pruned', 'distilled', 'retrained'] as const;

/** Aliases offered first in pickers; any other name is allowed. */
export const CONVENTIONAL_ALIASES = ['champion', 'challenger', 'production', 'staging'] as const;

/** Moving one of these aliases (compared case-insensitively) runs the champion–challenger gate. */
export const DEFAULT_GATED_ALIASES: readonly string[] = ['champion', 'production'];

/**
 * Where a version comes from: `registered` by hand (a `model.register` event), logged by a `run`
 * (the client's log_model; numbered by the registry fold), or held by an `external` registry
 * (MLflow's `mlruns/models/`, read-only, numbered by that registry).
 */
export type ModelVersionOrigin = 'registered' | 'run' | 'external';

export interface ModelVersionRef {
  name: string;
  version: number;
}

export interface ModelVersion {
  name: string;
  version: number;
  origin: ModelVersionOrigin;
  /** The run that produced it (a run uid of the index), when known. */
  runUid: string | null;
  runName: string | null;
  runStatus: RunStatus | 'unknown' | null;
  /** Workspace-relative path of the file or directory (as the source wrote it). */
  path: string | null;
  sha256: string | null;
  bytes: number | null;
  /** One of MODEL_FRAMEWORKS when recognised, else the word the event carried, else null. */
  framework: string | null;
  parent: ModelVersionRef | null;
  derivation: string | null;
  description: string | null;
  /** Aliases this version holds, sorted. */
  aliases: string[];
  /** When and by whom it was registered (the run's start and user for versions logged by a run). */
  created: number | null;
  createdBy: string | null;
  /** Id of the `model.register` event that fixed its number; null while a run-logged number is provisional. */
  registrationId: string | null;
  /** The source run's metric summary (empty without a run): what the gate compares. */
  metrics: MetricSummary[];
  /** The source run's latest value of each metric on each slice, for the gate's slice check. */
  sliceMetrics?: SliceMetricValue[];
  /** Whether a TFMA evaluation of this version blessed it (true), did not (false), or none was found (null). */
  blessed?: boolean | null;
}

export interface AliasAssignment {
  model: string;
  alias: string;
  version: number;
  /** When the alias was last moved here, and by whom; null for aliases another registry states. */
  since: number | null;
  by: string | null;
  external: boolean;
}

export interface RegisteredModel {
  name: string;
  /** Ascending by version number. */
  versions: ModelVersion[];
  /** Sorted by alias. */
  aliases: AliasAssignment[];
  latestVersion: number;
}

export type GateMode = 'max' | 'min';

export interface GateSettings {
  metric: string;
  mode: GateMode;
  /** The improvement the candidate needs at least (may be negative: a tolerated loss). */
  minDelta: number;
  /** When set, no slice of the metric may be worse than the holder's by more than this. */
  sliceMaxDrop?: number | null;
}

/** The champion–challenger gate's verdict on one candidate. */
export interface GateResult {
  passed: boolean;
  metric: string;
  mode: GateMode;
  minDelta: number;
  candidateVersion: number;
  /** The version compared against; null when the alias had no holder. */
  holderVersion: number | null;
  candidateValue: number | null;
  holderValue: number | null;
  /** The candidate's improvement over the holder in the direction of `mode` (positive = better). */
  delta: number | null;
  reason: string;
  /** The slice check, when `sliceMaxDrop` was set: every slice both versions have, worst drop first. */
  slices?: { maxDrop: number; drops: SliceDrop[] };
}

export interface SliceDrop {
  slice: string;
  candidate: number;
  holder: number;
  /** How much worse the candidate is there, in the direction of `mode` (negative: better). */
  drop: number;
}

interface HistoryBase {
  /** The registry event's id. */
  id: string;
  time: number;
  actor: string;
  model: string;
}

/**
 * What happened to a registration event in the fold: it made a `new` version, was `renumbered`
 * because another event had already taken its number, or was a `duplicate` of a version that
 * holds the same artifact (the same name, run and content).
 */
export type RegistrationOutcome = 'new' | 'renumbered' | 'duplicate';

export interface RegisterHistoryEntry extends HistoryBase {
  kind: 'register';
  version: number;
  writtenVersion: number;
  outcome: RegistrationOutcome;
  runUid: string | null;
  path: string | null;
  sha256: string | null;
  framework: string | null;
  parent: ModelVersionRef | null;
  derivation: string | null;
  note: string | null;
}

export interface AliasHistoryEntry extends HistoryBase {
  kind: 'alias';
  alias: string;
  /** The holder before this event, as the fold found it. */
  from: number | null;
  to: number;
  writtenVersion: number;
  reason: string;
  gate: GateResult | null;
  overrideReason: string | null;
  /** False when the event named a version that does not exist; it then changed nothing. */
  applied: boolean;
  note: string | null;
}

export interface UnaliasHistoryEntry extends HistoryBase {
  kind: 'unalias';
  alias: string;
  from: number | null;
  reason: string;
  applied: boolean;
  note: string | null;
}

export type ModelHistoryEntry = RegisterHistoryEntry | AliasHistoryEntry | UnaliasHistoryEntry;

/** A model file a run produced that could become a version ("offered for registration"). */
export interface RegistrationCandidate {
  runUid: string;
  runName: string | null;
  /** Workspace-relative path of the file or `saved_model/` directory. */
  path: string;
  framework: ModelFramework | null;
  sha256: string | null;
  bytes: number | null;
  /** The version that already holds this artifact, if any. */
  registeredAs: ModelVersionRef | null;
}

// -- lineage --------------------------------------------------------------------------------

export type LineageNodeKind = 'dataset' | 'run' | 'model';

export interface DatasetLineageNode {
  id: string;
  kind: 'dataset';
  label: string;
  path: string;
  sha256: string | null;
  rows: number | null;
}

export interface RunLineageNode {
  id: string;
  kind: 'run';
  label: string;
  uid: string;
  experiment: string | null;
  status: RunStatus | 'unknown';
  started: number | null;
}

export interface ModelLineageNode {
  id: string;
  kind: 'model';
  label: string;
  name: string;
  version: number;
  /** Alias badges, sorted. */
  aliases: string[];
  framework: string | null;
  origin: ModelVersionOrigin | null;
  derivation: string | null;
  /** A parent named by a derived version that the registry does not hold. */
  missing: boolean;
}

export type LineageNode = DatasetLineageNode | RunLineageNode | ModelLineageNode;

/** `input`: dataset → run (label = role); `produced`: run → model version; `derived`: parent → derived version (label = derivation). */
export type LineageEdgeKind = 'input' | 'produced' | 'derived';

export interface LineageEdge {
  id: string;
  from: string;
  to: string;
  kind: LineageEdgeKind;
  label: string | null;
}

export type LineageFocus =
  | { kind: 'run'; uid: string }
  | { kind: 'model'; name: string; version?: number }
  | { kind: 'dataset'; path: string; sha256?: string };

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** Ids of the nodes the graph was built around (empty for the whole graph). */
  focus: string[];
}

/** Stable node ids, so the UI can keep a selection across refreshes. */
export const lineageNodeId = {
  dataset: (path: string, sha256: string | null): string => `dataset:${path}@${sha256 ?? ''}`,
  run: (uid: string): string => `run:${uid}`,
  model: (name: string, version: number): string => `model:${name}@${version}`,
};

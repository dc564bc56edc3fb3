/**
 * The Model Version panel's content: a version beside the version it is compared with (the
 * champion unless another is chosen) — metrics of their source runs side by side, the parameter
 * diff, the drift between their training datasets and the champion–challenger gate's verdict.
 */
import type { Database } from 'sql.js';
import type {
  GateVerdict, MetricComparisonRow, ModelVersionComparison, ModelVersionComparisonRequest, ParamComparisonRow, VersionFacts,
} from '../../shared/modelComparison';
import type { ModelVersion } from '../../shared/modelTypes';
import { numberToMetricValue, type MetricValue } from '../../shared/runEvents';
import type { RunDetail } from '../../shared/runTypes';
import { paramRows } from '../compare/paramDiff';
import { evaluateGate } from '../registry/gate';
import { aliasHolder, findModel, readModelRegistry } from '../registry/modelQueries';
import { getRun } from '../store/queries';
import { trainingDataDrift, trainingDatasetOf } from './trainingDataDrift';

/** The alias a version is compared with by default. */
export const DEFAULT_COMPARISON_ALIAS = 'champion';

export type ComparisonResult = { ok: true; comparison: ModelVersionComparison } | { ok: false; error: string };

export async function compareModelVersions(db: Database, workspaceRoot: string, req: ModelVersionComparisonRequest): Promise<ComparisonResult> {
  const view = readModelRegistry(db);
  const model = findModel(view, req.name);
  if (!model) return { ok: false, error: `no model named "${req.name}"` };
  const version = model.versions.find((v) => v.version === req.version);
  if (!version) return { ok: false, error: `${req.name} has no version ${req.version}` };

  let against: ModelVersion | undefined;
  let againstLabel: string | null = null;
  /** How the gate's reason names the other side ("champion v2", "version v1"). */
  let gateLabel = 'version';
  let notice: string | null = null;
  if (req.against !== undefined) {
    against = model.versions.find((v) => v.version === req.against);
    if (!against) return { ok: false, error: `${req.name} has no version ${req.against}` };
    if (against.version === version.version) against = undefined;
    else {
      againstLabel = labelOf(against);
      if (against.aliases.length > 0) gateLabel = against.aliases[0]!;
    }
  } else {
    const holder = aliasHolder(model, DEFAULT_COMPARISON_ALIAS);
    if (!holder) notice = `No version of ${model.name} is the ${DEFAULT_COMPARISON_ALIAS} yet: choose a version to compare with.`;
    else if (holder.version === version.version) notice = `v${version.version} is the ${holder.alias}: choose a version to compare it with.`;
    else {
      against = model.versions.find((v) => v.version === holder.version);
      againstLabel = `${holder.alias} v${holder.version}`;
      gateLabel = holder.alias;
    }
  }

  const versionRun = version.runUid === null ? undefined : getRun(db, version.runUid);
  const againstRun = against?.runUid == null ? undefined : getRun(db, against.runUid);
  const drift = against
    ? await trainingDataDrift(workspaceRoot, trainingDatasetOf(againstRun, `v${against.version}`), trainingDatasetOf(versionRun, `v${version.version}`))
    : { status: 'unavailable' as const, reason: 'there is no version to compare with', against: null, version: datasetOrNull(versionRun, version.version) };

  return {
    ok: true,
    comparison: {
      model: model.name,
      version: factsOf(version),
      against: against ? factsOf(against) : null,
      againstLabel,
      notice,
      versions: model.versions.map((v) => ({ version: v.version, aliases: v.aliases })),
      metrics: metricRows(version, against),
      params: paramComparison(versionRun, againstRun, against !== undefined),
      drift,
      gate: against && req.gate ? gateVerdict(version, against, req.gate, gateLabel) : null,
      gateMetric: req.gate?.metric ?? null,
    },
  };
}

/** `v1`, or `champion v2` for a version that holds aliases (as the default comparison names it). */
function labelOf(v: ModelVersion): string {
  return v.aliases.length > 0 ? `${v.aliases.join(' & ')} v${v.version}` : `v${v.version}`;
}

function datasetOrNull(run: RunDetail | undefined, version: number) {
  const choice = trainingDatasetOf(run, `v${version}`);
  return choice.ok ? choice.dataset : null;
}

function factsOf(v: ModelVersion): VersionFacts {
  return {
    name: v.name, version: v.version, origin: v.origin, aliases: v.aliases, framework: v.framework, path: v.path, sha256: v.sha256,
    bytes: v.bytes, created: v.created, createdBy: v.createdBy, runUid: v.runUid, runName: v.runName, runStatus: v.runStatus,
    parent: v.parent, derivation: v.derivation, description: v.description,
  };
}

function wire(n: number | null | undefined): MetricValue | null {
  return n === null || n === undefined ? null : numberToMetricValue(n);
}

function metricRows(version: ModelVersion, against: ModelVersion | undefined): MetricComparisonRow[] {
  const mine = new Map(version.metrics.map((m) => [m.key, m.last]));
  const theirs = new Map((against?.metrics ?? []).map((m) => [m.key, m.last]));
  const keys = [...new Set([...mine.keys(), ...theirs.keys()])].sort((a, b) => a.localeCompare(b));
  return keys.map((key) => {
    const v = mine.get(key);
    const a = theirs.get(key);
    return { key, version: wire(v), against: wire(a), difference: v !== undefined && a !== undefined ? wire(v - a) : null };
  });
}

function paramComparison(versionRun: RunDetail | undefined, againstRun: RunDetail | undefined, hasAgainst: boolean): ParamComparisonRow[] {
  const runs = hasAgainst ? [versionRun?.params ?? {}, againstRun?.params ?? {}] : [versionRun?.params ?? {}];
  return paramRows(runs).map((r) => ({ key: r.key, version: r.values[0] ?? null, against: hasAgainst ? r.values[1] ?? null : null, differs: r.differs }));
}

function gateVerdict(version: ModelVersion, against: ModelVersion, gate: NonNullable<ModelVersionComparisonRequest['gate']>, label: string): GateVerdict {
  const r = evaluateGate({ candidate: version, holder: against, metric: gate.metric, mode: gate.mode, minDelta: gate.minDelta, sliceMaxDrop: gate.sliceMaxDrop, holderLabel: label });
  return {
    metric: r.metric, mode: r.mode, minDelta: r.minDelta, passed: r.passed, versionValue: wire(r.candidateValue), againstValue: wire(r.holderValue),
    delta: wire(r.delta), reason: r.reason,
  };
}

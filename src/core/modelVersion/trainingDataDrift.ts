/**
 * Drift between the training datasets of two model versions: which dataset each source run trained
 * on, whether the file still holds the bytes the run read, and a short summary of the schema diff
 * (src/core/datasets) between the two. When any of that is unknown the answer says why, rather
 * than comparing files that are not what the runs saw.
 */
import type { DriftedColumn, TrainingDataDrift, TrainingDataset } from '../../shared/modelComparison';
import type { RunDetail } from '../../shared/runTypes';
import type { SchemaDiff } from '../../shared/schemaDiff';
import { schemaDiffFiles } from '../datasets/schemaDiffFiles';
import { modelFileFacts } from '../registry/modelFiles';
import { resolveInsideWorkspace } from '../workspacePaths';

const MAX_DRIFTED = 12;
const MAX_MESSAGES = 12;

export type TrainingDatasetChoice = { ok: true; dataset: TrainingDataset } | { ok: false; reason: string };

/**
 * The dataset a run trained on: the one whose role says "train", else its only dataset. A run with
 * several datasets and none marked for training has no answer.
 */
export function trainingDatasetOf(run: RunDetail | undefined, who: string): TrainingDatasetChoice {
  if (!run) return { ok: false, reason: `${who} has no source run in the index` };
  const all = run.datasets;
  if (all.length === 0) return { ok: false, reason: `${who}'s run (${run.name}) recorded no dataset` };
  const training = all.filter((d) => d.role !== null && /train/i.test(d.role));
  const chosen = training[0] ?? (all.length === 1 ? all[0] : undefined);
  if (!chosen) return { ok: false, reason: `${who}'s run (${run.name}) read ${all.length} datasets and none has the role "train"` };
  return { ok: true, dataset: { path: chosen.path, role: chosen.role, sha256: chosen.sha256 || null, rows: chosen.rows } };
}

/** Drift from `against` (the reference, side A) to `version` (side B). Never throws. */
export async function trainingDataDrift(workspaceRoot: string, against: TrainingDatasetChoice, version: TrainingDatasetChoice): Promise<TrainingDataDrift> {
  const a = against.ok ? against.dataset : null;
  const b = version.ok ? version.dataset : null;
  const unavailable = (reason: string): TrainingDataDrift => ({ status: 'unavailable', reason, against: a, version: b });
  if (!against.ok) return unavailable(against.reason);
  if (!version.ok) return unavailable(version.reason);
  if (a!.sha256 !== null && a!.sha256 === b!.sha256) return { status: 'same', against: a!, version: b! };

  const fileA = await currentFile(workspaceRoot, a!);
  if (!fileA.ok) return unavailable(fileA.reason);
  const fileB = await currentFile(workspaceRoot, b!);
  if (!fileB.ok) return unavailable(fileB.reason);
  let diff: SchemaDiff;
  try {
    diff = await schemaDiffFiles(fileA.absPath, fileB.absPath, { displayNames: [a!.path, b!.path] });
  } catch (e) {
    return unavailable(`the datasets could not be compared: ${(e as Error).message}`);
  }
  if (!diff.a.usable || !diff.b.usable) {
    const side = !diff.a.usable ? diff.a : diff.b;
    return unavailable(`${side.path} could not be read as data${side.diagnostics[0] ? ` (${side.diagnostics[0].message})` : ''}`);
  }
  return summarise(diff, a!, b!);
}

type CurrentFile = { ok: true; absPath: string } | { ok: false; reason: string };

/** The file as it is now, if it is inside the workspace and (when the run recorded a hash) unchanged. */
async function currentFile(workspaceRoot: string, d: TrainingDataset): Promise<CurrentFile> {
  const resolved = resolveInsideWorkspace(workspaceRoot, d.path);
  if (!resolved.ok) return { ok: false, reason: `${d.path} is not available: ${resolved.reason}` };
  if (d.sha256 !== null) {
    const facts = await modelFileFacts(workspaceRoot, d.path);
    if (!facts.ok) return { ok: false, reason: facts.reason };
    if (facts.facts.sha256 !== d.sha256) {
      return { ok: false, reason: `${d.path} has changed since the run read it (its sha256 is no longer ${d.sha256.slice(0, 12)}…)` };
    }
  }
  return { ok: true, absPath: resolved.absPath };
}

function summarise(diff: SchemaDiff, against: TrainingDataset, version: TrainingDataset): TrainingDataDrift {
  const columns = { compared: diff.columns.length, added: 0, removed: 0, renamed: 0, changed: 0 };
  const drifted: DriftedColumn[] = [];
  for (const c of diff.columns) {
    if (c.status === 'added') columns.added++;
    else if (c.status === 'removed') columns.removed++;
    else if (c.status === 'renamed') columns.renamed++;
    else if (c.status === 'changed') columns.changed++;
    const worst = worstDrift(c.name, c.drift);
    if (worst) drifted.push(worst);
  }
  drifted.sort((x, y) => margin(y) - margin(x) || (x.column < y.column ? -1 : 1));
  return {
    status: 'compared', against, version,
    rows: { against: diff.a.rowCount ?? null, version: diff.b.rowCount ?? null },
    columns,
    findings: { ...diff.counts },
    drifted: drifted.slice(0, MAX_DRIFTED),
    messages: diff.findings.filter((f) => f.severity !== 'info').slice(0, MAX_MESSAGES).map((f) => ({ severity: f.severity, message: f.message })),
  };
}

/** The measure that passed its threshold by the widest margin, if any did. */
function worstDrift(column: string, drift: SchemaDiff['columns'][number]['drift']): DriftedColumn | null {
  if (!drift) return null;
  const candidates: DriftedColumn[] = [];
  if (drift.jensenShannon) candidates.push({ column, measure: 'jensen-shannon', value: drift.jensenShannon.value, threshold: drift.jensenShannon.threshold });
  if (drift.lInfinity) candidates.push({ column, measure: 'l-infinity', value: drift.lInfinity.value, threshold: drift.lInfinity.threshold });
  if (drift.psi) candidates.push({ column, measure: 'psi', value: drift.psi.value, threshold: drift.psi.threshold });
  const over = candidates.filter((d) => d.value > d.threshold);
  if (over.length === 0) return null;
  return over.reduce((best, d) => (margin(d) > margin(best) ? d : best));
}

/** How many times its threshold a drift measure is. */
function margin(d: DriftedColumn): number {
  return d.threshold > 0 ? d.value / d.threshold : Number.MAX_VALUE;
}

/** The runs that recorded datasets, as the "two runs" schema diff offers them. No vscode here (unit-tested). */
import type { DatasetVersion } from '../../shared/datasetVersions';
import type { RunChoice, RunDataset } from './schemaDiffPrompts';

/** Runs that recorded datasets, latest first, each with the versions it read. */
export function runChoices(versions: readonly DatasetVersion[]): RunChoice[] {
  const runs = new Map<string, RunChoice>();
  for (const version of versions) {
    for (const use of version.uses) {
      let run = runs.get(use.runUid);
      if (!run) {
        run = { uid: use.runUid, name: use.runName, experiment: use.experiment, started: use.started, datasets: [] };
        runs.set(use.runUid, run);
      }
      run.datasets.push({ version, role: use.role });
    }
  }
  return [...runs.values()].sort((x, y) => (y.started ?? -Infinity) - (x.started ?? -Infinity) || x.name.localeCompare(y.name));
}

/** The dataset of `run` that corresponds to `other`: the same path (and role, when several match). */
export function matchingDataset(run: RunChoice, other: RunDataset): RunDataset | undefined {
  if (run.datasets.length === 1) return run.datasets[0];
  const samePath = run.datasets.filter((d) => d.version.path === other.version.path);
  if (samePath.length === 1) return samePath[0];
  const sameRole = samePath.filter((d) => d.role === other.role);
  return sameRole.length === 1 ? sameRole[0] : undefined;
}

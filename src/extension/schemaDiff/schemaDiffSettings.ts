import * as vscode from 'vscode';
import { DriftThresholdsSchema, type DriftThresholdsInput } from '../../shared/schemaDiff';
import type { Log } from '../log';

/** The `exptrack.schemaDiff.*` settings and the core threshold each one sets. */
const THRESHOLD_SETTINGS = {
  linfThreshold: 'lInfinity',
  jsThreshold: 'jensenShannon',
  psiThreshold: 'psi',
} as const satisfies Record<string, keyof DriftThresholdsInput>;

/**
 * Drift thresholds from the settings. A value the core would refuse (negative, or above 1 for the
 * bounded measures) is reported and left at its default rather than failing the diff.
 */
export function thresholdsFromSettings(log: Log): DriftThresholdsInput {
  const config = vscode.workspace.getConfiguration('exptrack.schemaDiff');
  const thresholds: DriftThresholdsInput = {};
  for (const [setting, key] of Object.entries(THRESHOLD_SETTINGS)) {
    const value = config.get<unknown>(setting);
    if (value === undefined || value === null) continue;
    const checked = DriftThresholdsSchema.shape[key].safeParse(value);
    if (checked.success) thresholds[key] = checked.data;
    else log.warn(`exptrack.schemaDiff.${setting} = ${JSON.stringify(value)} is not a usable threshold; the default is used`);
  }
  return thresholds;
}

/** Whether findings go to the Problems panel (`exptrack.schemaDiff.problems`). */
export function problemsEnabled(): boolean {
  return vscode.workspace.getConfiguration('exptrack.schemaDiff').get<boolean>('problems', true);
}

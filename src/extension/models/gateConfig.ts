import * as vscode from 'vscode';
import { resolveGateSettings } from '../../core/registry/gateSettings';
import type { GateMode, GateSettings } from '../../shared/modelTypes';

/** The champion–challenger gate as the workspace configures it (`exptrack.gate.*`); null without a metric. */
export function gateSettingsFromConfig(): GateSettings | null {
  const config = vscode.workspace.getConfiguration('exptrack.gate');
  const metric = config.get<string>('metric', '').trim();
  const mode = config.get<string>('mode', 'max');
  const minDelta = config.get<number>('minDelta', 0);
  const sliceMaxDrop = config.get<number | null>('sliceMaxDrop', null);
  return resolveGateSettings({
    sliceMaxDrop: typeof sliceMaxDrop === 'number' && Number.isFinite(sliceMaxDrop) && sliceMaxDrop >= 0 ? sliceMaxDrop : undefined,
    metric: metric === '' ? undefined : metric,
    mode: mode === 'min' || mode === 'max' ? (mode as GateMode) : undefined,
    minDelta: typeof minDelta === 'number' && Number.isFinite(minDelta) ? minDelta : undefined,
  });
}

/**
 * The gate's settings outside VS Code: `exptrack.gate.metric`, `exptrack.gate.mode`,
 * `exptrack.gate.minDelta` and `exptrack.gate.sliceMaxDrop` from the workspace's `.vscode/settings.json` (JSON with comments), so
 * the CLI in CI gates the way the editor does. Command-line flags override them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
// The ESM build: the default entry is UMD, whose lazy require('./impl/…') no bundle can resolve.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import type { GateMode, GateSettings } from '../../shared/modelTypes';

export interface PartialGateSettings {
  metric?: string;
  mode?: GateMode;
  minDelta?: number;
  sliceMaxDrop?: number;
}

export interface WorkspaceGateSettings extends PartialGateSettings {
  /** Settings that were present but unusable, as messages naming the file. */
  problems: string[];
}

export const GATE_SETTING_KEYS = {
  metric: 'exptrack.gate.metric', mode: 'exptrack.gate.mode', minDelta: 'exptrack.gate.minDelta', sliceMaxDrop: 'exptrack.gate.sliceMaxDrop',
} as const;

export function readWorkspaceGateSettings(workspaceRoot: string): WorkspaceGateSettings {
  const file = path.join(workspaceRoot, '.vscode', 'settings.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { problems: [] };
  }
  const rel = '.vscode/settings.json';
  // VS Code's settings dialect: comments and trailing commas allowed.
  const errors: ParseError[] = [];
  const settings: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    return { problems: [`${rel}:${line}: not readable as JSON (${printParseErrorCode(first.error)}); gate settings ignored`] };
  }
  if (typeof settings !== 'object' || settings === null) return { problems: [] };
  const s = settings as Record<string, unknown>;
  const out: WorkspaceGateSettings = { problems: [] };
  const metric = s[GATE_SETTING_KEYS.metric];
  if (typeof metric === 'string' && metric.trim() !== '') out.metric = metric.trim();
  else if (metric !== undefined && metric !== '') out.problems.push(`${rel}: ${GATE_SETTING_KEYS.metric} must be a metric name`);
  const mode = s[GATE_SETTING_KEYS.mode];
  if (mode === 'max' || mode === 'min') out.mode = mode;
  else if (mode !== undefined) out.problems.push(`${rel}: ${GATE_SETTING_KEYS.mode} must be "max" or "min"`);
  const minDelta = s[GATE_SETTING_KEYS.minDelta];
  if (typeof minDelta === 'number' && Number.isFinite(minDelta)) out.minDelta = minDelta;
  else if (minDelta !== undefined) out.problems.push(`${rel}: ${GATE_SETTING_KEYS.minDelta} must be a number`);
  const sliceMaxDrop = s[GATE_SETTING_KEYS.sliceMaxDrop];
  if (typeof sliceMaxDrop === 'number' && Number.isFinite(sliceMaxDrop) && sliceMaxDrop >= 0) out.sliceMaxDrop = sliceMaxDrop;
  else if (sliceMaxDrop !== undefined && sliceMaxDrop !== null) out.problems.push(`${rel}: ${GATE_SETTING_KEYS.sliceMaxDrop} must be a number ≥ 0`);
  return out;
}

/** Flags over file settings over defaults (mode max, minDelta 0); null without a metric. */
export function resolveGateSettings(...layers: PartialGateSettings[]): GateSettings | null {
  const merged: PartialGateSettings = {};
  for (const layer of layers) {
    if (layer.metric !== undefined) merged.metric = layer.metric;
    if (layer.mode !== undefined) merged.mode = layer.mode;
    if (layer.minDelta !== undefined) merged.minDelta = layer.minDelta;
    if (layer.sliceMaxDrop !== undefined) merged.sliceMaxDrop = layer.sliceMaxDrop;
  }
  if (merged.metric === undefined) return null;
  const settings: GateSettings = { metric: merged.metric, mode: merged.mode ?? 'max', minDelta: merged.minDelta ?? 0 };
  if (merged.sliceMaxDrop !== undefined) settings.sliceMaxDrop = merged.sliceMaxDrop;
  return settings;
}

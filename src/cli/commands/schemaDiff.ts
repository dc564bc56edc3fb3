/**
 * `exptrack schema-diff A B [--json] [--fail-on warning|error] [--delimiter C]
 *  [--linf N] [--js N] [--psi N]`
 *
 * A and B are data files (CSV, TSV, JSON, JSON Lines, Parquet) or TFDV schema.pbtxt files.
 * Exit codes: 0 done (no finding at or above --fail-on); 1 a finding at or above --fail-on;
 * 2 bad arguments or an input that could not be read at all.
 */
import * as path from 'node:path';
import { severityAtLeast, type DriftThresholdsInput, type Severity } from '../../shared/schemaDiff';
import { formatSchemaDiffReport } from '../../core/datasets/reportFormatter';
import { schemaDiffFiles } from '../../core/datasets/schemaDiffFiles';
import { parseArgs } from '../args';

export interface CommandIO {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

export const SCHEMA_DIFF_USAGE = `usage: exptrack schema-diff A B [--json] [--fail-on warning|error] [--delimiter C]
                            [--linf N] [--js N] [--psi N]

Compares two datasets or schemas: CSV, TSV, JSON (array of records), JSON Lines, Parquet, or a TFDV
schema.pbtxt. A data file against a schema validates the data; two schemas compare declarations.

  --json                 print the diff as JSON instead of the report
  --fail-on SEVERITY     exit 1 when a finding is at least this severe (warning or error)
  --delimiter C          CSV/TSV field delimiter (default: guessed; "\\t" for tab)
  --linf N               L-infinity threshold for categorical drift (default 0.1)
  --js N                 Jensen–Shannon divergence threshold, bits (default 0.1)
  --psi N                population stability index threshold (default 0.2)

Exit codes: 0 no finding at or above --fail-on, 1 there is one, 2 bad arguments or unreadable input.
`;

interface SchemaDiffArgs {
  files: string[];
  json: boolean;
  failOn?: Severity;
  delimiter?: string;
  thresholds: DriftThresholdsInput;
}

const THRESHOLD_OPTIONS: Record<string, keyof DriftThresholdsInput> = { linf: 'lInfinity', js: 'jensenShannon', psi: 'psi' };

/** The arguments, 'help', or what is wrong with them. */
function readArgs(args: string[]): SchemaDiffArgs | 'help' | string {
  let a;
  try {
    a = parseArgs(args, { options: ['fail-on', 'delimiter', ...Object.keys(THRESHOLD_OPTIONS)], flags: ['json', 'help'], short: { h: 'help' } });
  } catch (e) {
    return (e as Error).message;
  }
  if (a.flags.has('help')) return 'help';
  const parsed: SchemaDiffArgs = { files: [...a.positionals, ...a.rest], json: a.flags.has('json'), thresholds: {} };
  const failOn = a.options.get('fail-on');
  if (failOn !== undefined) {
    if (failOn !== 'warning' && failOn !== 'error') return `--fail-on wants "warning" or "error", got ${JSON.stringify(failOn)}`;
    parsed.failOn = failOn;
  }
  const delimiter = a.options.get('delimiter');
  if (delimiter !== undefined) {
    const d = delimiter === '\\t' || delimiter === 'tab' ? '\t' : delimiter;
    if (d.length !== 1) return `--delimiter wants one character, got ${JSON.stringify(delimiter)}`;
    parsed.delimiter = d;
  }
  for (const [option, key] of Object.entries(THRESHOLD_OPTIONS)) {
    const v = a.options.get(option);
    if (v === undefined) continue;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0) return `--${option} wants a non-negative number, got ${JSON.stringify(v)}`;
    (parsed.thresholds as Record<string, number>)[key] = n;
  }
  if (parsed.files.length !== 2) return `expected two files, got ${parsed.files.length}`;
  return parsed;
}

export async function schemaDiffCommand(args: string[], io: CommandIO): Promise<number> {
  const parsed = readArgs(args);
  if (parsed === 'help') {
    io.stdout(SCHEMA_DIFF_USAGE);
    return 0;
  }
  if (typeof parsed === 'string') {
    io.stderr(`exptrack schema-diff: ${parsed}\n${SCHEMA_DIFF_USAGE}`);
    return 2;
  }
  const [a, b] = parsed.files;
  const [fullA, fullB] = [path.resolve(io.cwd, a), path.resolve(io.cwd, b)];
  let diff;
  try {
    diff = await schemaDiffFiles(fullA, fullB, {
      thresholds: parsed.thresholds,
      profile: parsed.delimiter ? { delimiter: parsed.delimiter } : {},
      displayNames: [a, b],
    });
  } catch (err) {
    io.stderr(`exptrack schema-diff: ${(err as Error).message}\n`);
    return 2;
  }
  // Paths in the output as the user typed them (a schema becomes side A whatever the order).
  for (const side of [diff.a, diff.b]) side.path = side.path === fullA ? a : side.path === fullB ? b : side.path;
  io.stdout(parsed.json ? `${JSON.stringify(diff, null, 2)}\n` : formatSchemaDiffReport(diff));
  for (const side of [diff.a, diff.b]) {
    if (!side.usable) {
      const why = side.diagnostics.find((d) => d.severity === 'error');
      io.stderr(`exptrack schema-diff: ${side.path}: ${why ? why.message : 'nothing could be read'}\n`);
    }
  }
  if (!diff.a.usable || !diff.b.usable) return 2;
  if (parsed.failOn && diff.findings.some((f) => severityAtLeast(f.severity, parsed.failOn!))) return 1;
  return 0;
}

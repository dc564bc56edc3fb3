/**
 * `exptrack`: the command-line face of the same core the extension uses, for terminals and CI.
 * Exit codes: 0 success, 1 a check did not pass (or nothing matched), 2 unreadable input, 64 bad usage.
 */
import * as path from 'node:path';
import { parseArgs, UsageError } from './args';
import { createCliContext, findWorkspaceRoot, type CliContext, type CliIo } from './cliContext';
import { gateCommand } from './commands/gate';
import { ingestCommand } from './commands/ingest';
import { mlflowCommand } from './commands/mlflow';
import { modelsCommand } from './commands/models';
import { promoteCommand } from './commands/promote';
import { registerCommand } from './commands/register';
import { runCommand } from './commands/run';
import { runsCommand } from './commands/runs';
import { schemaDiffCommand } from './commands/schemaDiff';
import { seriesCommand } from './commands/series';
import { showCommand } from './commands/show';
import { slicesCommand } from './commands/slices';
import { sweepsCommand } from './commands/sweeps';

type Command = (args: string[], io: CliIo, ctx: CliContext) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  ingest: { run: ingestCommand, usage: 'ingest [PATH…] [--json] [--no-gitignore]   index the workspace (or the given files and folders)' },
  runs: { run: runsCommand, usage: 'runs [--filter EXPR] [--order-by KEYS] [--max N] [--json] [--all]   list runs, newest first, or those matching a filter in MLflow\'s search syntax' },
  show: { run: showCommand, usage: 'show RUN [--json]               one run: params, metric summaries, git, status, times' },
  series: { run: seriesCommand, usage: 'series RUN KEY [--smoothing ema:0.6|twema:0.6|gauss:3|avg:10] [--max-points N] [--from STEP --to STEP] [--json|--csv]   one metric (or a derived one, "val/loss - train/loss"), smoothed and reduced as the charts draw it' },
  slices: { run: slicesCommand, usage: 'slices RUN [--metric M] [--gap-threshold G] [--json]   a run\'s metrics per slice, gaps, TFMA thresholds and blessing' },
  sweeps: { run: sweepsCommand, usage: 'sweeps [--json]  /  sweeps show NAME [--json] [--objective KEY[:min|max]] [--importance-objective N]   hyperparameter studies: trials per state, best trial, importance' },
  run: { run: runCommand, usage: 'run [--name N] [--experiment E] [--system-metrics SECONDS] -- COMMAND…   run a command as a tracked run' },
  'schema-diff': { run: (args, io) => schemaDiffCommand(args, io), usage: 'schema-diff A B [--json] [--fail-on warning|error]   diff two datasets or schemas (CSV, TSV, JSON, JSONL, Parquet, schema.pbtxt)' },
  models: { run: modelsCommand, usage: 'models [NAME] [--json] [--history]   model versions, aliases, audit history' },
  register: { run: registerCommand, usage: 'register --run RUN --path FILE --name NAME [--parent NAME:VERSION --derivation D]' },
  promote: { run: promoteCommand, usage: 'promote NAME VERSION --alias ALIAS --reason TEXT [--override-reason TEXT]   move an alias (gated)' },
  gate: { run: gateCommand, usage: 'gate --model NAME --candidate VERSION [--against champion] --metric M --mode max|min [--min-delta D] [--slice-max-drop D]' },
  mlflow: { run: mlflowCommand, usage: 'mlflow push [RUN…|--all] [--models] | pull --experiment NAME [--models]  [--uri URI]   sync with an MLflow tracking server' },
};

export const USAGE = `usage: exptrack [--workspace DIR] [--db FILE] COMMAND [ARGS]

commands:
${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n')}

The workspace is the nearest folder above the current one that holds .exptrack/ (or --workspace).
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  // Options before the command are the tool's own; the command parses the rest.
  let start = 0;
  while (start < argv.length && argv[start]!.startsWith('-')) start += /^--(workspace|db)$/.test(argv[start]!) ? 2 : 1;
  let global;
  try {
    global = parseArgs(argv.slice(0, start), { options: ['workspace', 'db'], flags: ['help'], short: { h: 'help' } });
  } catch (e) {
    return usageError(io, (e as Error).message);
  }
  if (global.flags.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const workspace = global.options.get('workspace') ?? process.env.EXPTRACK_WORKSPACE;
  const db = global.options.get('db');
  const args = argv.slice(start);
  const name = args.shift();
  if (!name || name === 'help') {
    io.stdout(USAGE);
    return name ? 0 : 64;
  }
  const command = COMMANDS[name];
  if (!command) return usageError(io, `unknown command "${name}"`);
  const root = workspace ? path.resolve(io.cwd, workspace) : findWorkspaceRoot(io.cwd);
  try {
    return await command.run(args, io, createCliContext(root, db === undefined ? undefined : path.resolve(io.cwd, db), io.stderr));
  } catch (e) {
    if (e instanceof UsageError) return usageError(io, e.message);
    io.stderr(`exptrack ${name}: ${(e as Error).message}\n`);
    return 2;
  }
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`exptrack: ${message}\n\n${USAGE}`);
  return 64;
}

if (require.main === module) {
  const io: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), cwd: process.cwd() };
  main(process.argv.slice(2), io).then((code) => (process.exitCode = code));
}

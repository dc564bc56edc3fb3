/**
 * `exptrack register --run RUN --path FILE --name NAME [--parent NAME:VERSION --derivation D]
 * [--description TEXT]`: a run's model file (or saved_model/ folder) becomes the next version of
 * NAME. Exit 0 when registered (or already registered), 2 when it cannot be.
 */
import * as path from 'node:path';
import { parseArgs, UsageError } from '../args';
import type { CliContext, CliIo } from '../cliContext';
import { openRegistryAppender } from '../../core/registry/registryAppender';
import { registerModelVersion } from '../../core/registry/operations';
import { formatBytes } from '../../shared/format';
import { parseModelRef, reportRegistryProblems } from './modelArgs';

export async function registerCommand(args: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const a = parseArgs(args, { options: ['run', 'path', 'name', 'parent', 'derivation', 'description'], flags: ['no-ingest'] });
  const run = a.options.get('run');
  const file = a.options.get('path');
  const name = a.options.get('name');
  if (!run || !file || !name) throw new UsageError('register needs --run RUN --path FILE --name NAME');
  if (a.positionals.length) throw new UsageError(`unexpected argument "${a.positionals[0]}"`);
  const parent = a.options.has('parent') ? parseModelRef(a.options.get('parent')!, '--parent') : undefined;
  const derivation = a.options.get('derivation');
  if (derivation !== undefined && !parent) io.stderr('note: --derivation without --parent records how it was made, with no parent in the lineage\n');

  const store = await ctx.openStore();
  try {
    if (!a.flags.has('no-ingest')) store.ingest();
    const appender = await openRegistryAppender(store.workspaceRoot);
    const result = await registerModelVersion({ store, appender }, {
      name, run, path: path.resolve(io.cwd, file), parent, derivation, description: a.options.get('description'),
    });
    store.save();
    reportRegistryProblems(store, io);
    if (!result.ok) {
      io.stderr(`exptrack register: ${result.error}\n`);
      return 2;
    }
    const v = result.version;
    const facts = [v.framework, formatBytes(v.bytes), v.sha256 ? `sha256 ${v.sha256.slice(0, 12)}` : null].filter(Boolean).join(', ');
    const subject = `${v.name} v${v.version} — ${v.path ?? file}${facts ? ` (${facts})` : ''}${v.runUid ? ` from run ${v.runUid}` : ''}`;
    if (result.outcome === 'existing' || result.outcome === 'duplicate') io.stdout(`Already registered: ${subject}\n`);
    else io.stdout(`Registered ${subject}\n`);
    if (result.outcome === 'renumbered') io.stdout(`note: another registration took the number first, so this one is v${v.version}\n`);
    return 0;
  } finally {
    store.close();
  }
}

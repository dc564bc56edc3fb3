/** A small, strict command-line parser: `--name value`, `--name=value`, `--flag`, positionals, and `--`. */

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string>;
  flags: Set<string>;
  /** Everything after a bare `--`, untouched. */
  rest: string[];
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: { options?: readonly string[]; flags?: readonly string[] }): ParsedArgs {
  const options = new Set(spec.options ?? []);
  const flags = new Set(spec.flags ?? []);
  const out: ParsedArgs = { positionals: [], options: new Map(), flags: new Set(), rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (flags.has(name) && eq < 0) out.flags.add(name);
    else if (options.has(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      out.options.set(name, value);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return out;
}

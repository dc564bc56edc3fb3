/**
 * The commands' argument parsing, on Node's own `util.parseArgs`: `--name value`, `--name=value`,
 * `--flag`, positionals, and everything after a bare `--` kept untouched. Errors are UsageErrors
 * (exit 64) worded as before: `unknown option --x`, `--x needs a value`.
 */
import { parseArgs as parseNodeArgs } from 'node:util';

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string>;
  flags: Set<string>;
  /** Everything after a bare `--`, untouched. */
  rest: string[];
}

export interface ArgSpec {
  /** Options that take a value. */
  options?: readonly string[];
  /** Options that take none. */
  flags?: readonly string[];
  /** One-letter names, e.g. `{ h: 'help' }`. */
  short?: Readonly<Record<string, string>>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const valued = new Set(spec.options ?? []);
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const name of valued) config[name] = { type: 'string' };
  for (const name of spec.flags ?? []) config[name] = { type: 'boolean' };
  for (const [letter, name] of Object.entries(spec.short ?? {})) if (config[name]) config[name].short = letter;
  const terminator = argv.indexOf('--');
  const own = terminator < 0 ? [...argv] : argv.slice(0, terminator);
  let parsed;
  try {
    parsed = parseNodeArgs({ args: joinValues(own, valued), options: config, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(usageMessage(e as Error & { code?: string }));
  }
  const out: ParsedArgs = { positionals: parsed.positionals, options: new Map(), flags: new Set(), rest: terminator < 0 ? [] : argv.slice(terminator + 1) };
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') out.options.set(name, value);
    else if (value === true) out.flags.add(name);
  }
  return out;
}

/**
 * `--name value` as `--name=value` for options that take a value, so a value that starts with a
 * dash (`--min-delta -0.01`) is the value, as before, not an option util.parseArgs refuses.
 */
function joinValues(args: readonly string[], valued: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--') && !a.includes('=') && valued.has(a.slice(2)) && i + 1 < args.length) out.push(`${a}=${args[++i]}`);
    else out.push(a);
  }
  return out;
}

function usageMessage(e: Error & { code?: string }): string {
  const name = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(e.message) ? `${name} needs a value` : `${name} takes no value`;
    default:
      return e.message;
  }
}

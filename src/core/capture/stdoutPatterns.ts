/**
 * User-defined patterns for metrics in process output: the `exptrack.stdoutMetricPatterns` setting.
 *
 * Each entry is either
 * - a string: a JavaScript regular expression with the named groups `key` and `value`
 *   (e.g. `"(?<key>\\w+) is now (?<value>[-+.\\deE]+)"`), or
 * - an object `{ "regex": "...", "key"?: "name", "flags"?: "i" }`: with `key`, the regex needs only
 *   a `value` group and every match is recorded under that name (e.g.
 *   `{ "regex": "mean reward (?<value>\\S+)", "key": "reward" }`).
 * Either form may have a `step` group (an integer) that sets the current step; a pattern with only
 * a `step` group just sets it. Every match in a line counts. When any custom pattern matches a
 * line, the built-in recognition is not applied to that line, so nothing is counted twice.
 */
import { z } from 'zod';

/** Flags a pattern may ask for; `g` is always added. */
const ALLOWED_FLAGS = /^[imsu]*$/;

export const StdoutMetricPatternSetting = z.union([
  z.string().min(1),
  z.object({
    regex: z.string().min(1),
    key: z.string().min(1).max(1000).optional(),
    flags: z.string().regex(ALLOWED_FLAGS, 'flags may only contain i, m, s, u').optional(),
  }).strict(),
]).superRefine((entry, ctx) => {
  const problem = patternProblem(entry);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export type StdoutMetricPatternSetting = z.infer<typeof StdoutMetricPatternSetting>;

/** The whole setting: a list of patterns. */
export const StdoutMetricPatternsSetting = z.array(StdoutMetricPatternSetting);

/** A pattern ready to run against lines. */
export interface CompiledStdoutPattern {
  /** The regex source as configured, for messages. */
  source: string;
  /** Global regex; its named groups are among `key`, `value`, `step`. */
  regex: RegExp;
  /** The metric name for every match, when the entry gave `key`. */
  fixedKey?: string;
}

/**
 * Compiles the setting's value. Entries that are not valid are reported in `errors` (with their
 * position in the list) and left out; the valid ones are kept. Never throws.
 */
export function compileStdoutPatterns(setting: unknown): { patterns: CompiledStdoutPattern[]; errors: string[] } {
  const patterns: CompiledStdoutPattern[] = [];
  const errors: string[] = [];
  if (setting === undefined || setting === null) return { patterns, errors };
  if (!Array.isArray(setting)) {
    errors.push('exptrack.stdoutMetricPatterns must be a list of patterns');
    return { patterns, errors };
  }
  setting.forEach((entry: unknown, index) => {
    const parsed = StdoutMetricPatternSetting.safeParse(entry);
    if (!parsed.success) {
      errors.push(`exptrack.stdoutMetricPatterns[${index}]: ${parsed.error.issues[0]?.message ?? 'invalid pattern'}`);
      return;
    }
    patterns.push(compile(parsed.data));
  });
  return { patterns, errors };
}

function compile(entry: StdoutMetricPatternSetting): CompiledStdoutPattern {
  const source = typeof entry === 'string' ? entry : entry.regex;
  const flags = typeof entry === 'string' ? '' : (entry.flags ?? '');
  const fixedKey = typeof entry === 'string' ? undefined : entry.key;
  return { source, regex: new RegExp(source, uniqueFlags(flags + 'g')), ...(fixedKey ? { fixedKey } : {}) };
}

/** Why an entry cannot be used, or undefined when it can. */
function patternProblem(entry: StdoutMetricPatternSetting): string | undefined {
  const source = typeof entry === 'string' ? entry : entry.regex;
  const flags = typeof entry === 'string' ? '' : (entry.flags ?? '');
  if (!ALLOWED_FLAGS.test(flags)) return undefined; // reported by the flags rule
  let groups: string[];
  try {
    new RegExp(source, uniqueFlags(flags));
    groups = namedGroups(source, uniqueFlags(flags));
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message}`;
  }
  const hasKey = groups.includes('key') || (typeof entry !== 'string' && entry.key !== undefined);
  if (groups.includes('value') && !hasKey) return `"${source}" needs a (?<key>…) group or a "key" name`;
  if (!groups.includes('value') && !groups.includes('step')) return `"${source}" needs a (?<value>…) group (or a (?<step>…) group)`;
  return undefined;
}

/** The named groups of a regex: matching `(?:re)|` against "" reports every group, unmatched. */
function namedGroups(source: string, flags: string): string[] {
  const match = new RegExp(`(?:${source})|`, flags).exec('');
  return Object.keys(match?.groups ?? {});
}

function uniqueFlags(flags: string): string {
  return [...new Set(flags)].join('');
}

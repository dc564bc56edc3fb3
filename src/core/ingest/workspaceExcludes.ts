/**
 * VS Code's `files.exclude` and `search.exclude` settings: an object of glob → `true`, `false` or
 * `{ "when": "$(basename).ts" }`. Only `true` and `when` entries exclude (`false` is how a user
 * turns a default entry off). A `when` entry is evaluated as VS Code does: the path is excluded
 * when a sibling named by the clause exists (`$(basename)` is the name without its extension).
 * A glob that matches a folder excludes everything in it.
 */
import { globToRegExp, normalizeGlob } from './glob';

export type ExcludeSettingName = 'files.exclude' | 'search.exclude';

export interface ExcludeRule {
  setting: ExcludeSettingName;
  glob: string;
  regex: RegExp;
  /** A sibling file name template; the rule applies only when that sibling exists. */
  when?: string;
}

/** The names in an entry's folder, asked for only when a `when` rule needs them. */
export interface Siblings {
  has(name: string): boolean;
}

export function compileExcludeSetting(setting: ExcludeSettingName, value: unknown): { rules: ExcludeRule[]; errors: string[] } {
  const rules: ExcludeRule[] = [];
  const errors: string[] = [];
  if (value === undefined || value === null) return { rules, errors };
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${setting} must be an object of glob patterns`);
    return { rules, errors };
  }
  for (const [glob, on] of Object.entries(value as Record<string, unknown>)) {
    if (on === false) continue;
    if (normalizeGlob(glob) === '') {
      errors.push(`${setting}: "${glob}" is not a glob pattern`);
      continue;
    }
    if (on === true) rules.push({ setting, glob, regex: globToRegExp(glob) });
    else if (typeof on === 'object' && on !== null && typeof (on as { when?: unknown }).when === 'string') {
      rules.push({ setting, glob, regex: globToRegExp(glob), when: (on as { when: string }).when });
    } else errors.push(`${setting}: the value of "${glob}" is neither true, false nor { "when": … }`);
  }
  return { rules, errors };
}

/** The first rule that excludes `relPath` (a file or folder named `name`), if any. */
export function excludingRule(rules: readonly ExcludeRule[], relPath: string, name: string, siblings: () => Siblings): ExcludeRule | undefined {
  for (const rule of rules) {
    if (!rule.regex.test(relPath)) continue;
    if (rule.when === undefined || siblings().has(siblingName(rule.when, name))) return rule;
  }
  return undefined;
}

function siblingName(when: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : name;
  return when.split('$(basename)').join(base);
}

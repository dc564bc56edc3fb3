/** What the model commands (models, register, promote, gate) share: argument forms and messages. */
import { UsageError } from '../args';
import { formatProblem, type CliIo } from '../cliContext';
import type { GateMode, ModelVersionRef } from '../../shared/modelTypes';
import type { Store } from '../../core/store/store';
import { REGISTRY_REL_PATH } from '../../core/registry/registryAppender';

/** `3` or `v3`. */
export function parseVersion(text: string, what: string): number {
  const m = /^v?(\d+)$/i.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${what} must be a version number such as 3 (got "${text}")`);
  return n;
}

/** `NAME:VERSION`; the name may itself contain colons, the version is after the last one. */
export function parseModelRef(text: string, what: string): ModelVersionRef {
  const at = text.lastIndexOf(':');
  if (at <= 0) throw new UsageError(`${what} must be NAME:VERSION, e.g. churn:3 (got "${text}")`);
  return { name: text.slice(0, at), version: parseVersion(text.slice(at + 1), what) };
}

export function parseMode(text: string | undefined): GateMode | undefined {
  if (text === undefined) return undefined;
  if (text !== 'max' && text !== 'min') throw new UsageError(`--mode must be max or min (got "${text}")`);
  return text;
}

export function parseNumber(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${what} must be a number (got "${text}")`);
  return n;
}

/** Problems of the registry file (garbled lines, renumbered or dangling events) go to stderr. */
export function reportRegistryProblems(store: Store, io: CliIo): void {
  for (const p of store.problems()) if (p.path === REGISTRY_REL_PATH) io.stderr(formatProblem(p) + '\n');
}

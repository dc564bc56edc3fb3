/**
 * The model registry as a pure function of its inputs: registry events (registrations and alias
 * moves from `.exptrack/registry.jsonl`), models logged by runs (`model` run events) and versions
 * another registry holds (MLflow). Given the same inputs in any order it gives the same versions,
 * aliases and history, so every window, the CLI and a fresh rebuild agree.
 *
 * Numbering, per model name:
 *  1. External versions keep the numbers their registry gave them.
 *  2. `model.register` events, in (time, id) order, take the number they were written with. An
 *     event whose artifact (name, run, sha256 — or path when a hash is missing) is already
 *     registered is a duplicate and names that version. An event whose number is already taken
 *     (two writers raced, or branches were merged) waits for step 4.
 *  3. Models logged by runs that no registration pinned, ordered by run start time, run uid and
 *     their order in the run, take the lowest free number. Their numbers are provisional — a run
 *     that started earlier and appears later (e.g. pulled from git) moves them up — until a
 *     registration pins them; promoting one pins it first. A run event's own `version` is ignored:
 *     numbers are the registry's to give.
 *  4. The renumbered registrations from step 2, in (time, id) order, take the next number above the
 *     highest one in use. The history says what they were written as.
 * Aliases start from what the external registry states (the highest version wins when it names
 * several) and then follow the alias events in (time, id) order. An alias event follows the
 * registration it names in `versionEvent`, so it still means the same artifact after renumbering;
 * an event naming a version that does not exist changes nothing and is reported.
 */
import { metricValueToNumber } from '../../shared/runEvents';
import type { AliasRemoved, AliasSet, GateRecord, ModelRegistered, ModelRegistryEvent } from '../../shared/registryEvents';
import type {
  AliasHistoryEntry, GateResult, ModelHistoryEntry, ModelVersionOrigin, ModelVersionRef, RegisterHistoryEntry, UnaliasHistoryEntry,
} from '../../shared/modelTypes';
import { frameworkFromPath } from './framework';

export interface LoggedModel {
  /** The model_versions row: its order among one run's rows is the order of the run's events. */
  rowId: number;
  name: string;
  runUid: string;
  runStarted: number | null;
  runUser: string | null;
  path: string | null;
  sha256: string | null;
  bytes: number | null;
  parent: ModelVersionRef | null;
  derivation: string | null;
}

export interface ExternalVersion {
  name: string;
  version: number;
  runUid: string | null;
  path: string | null;
}

export interface ExternalAlias {
  model: string;
  alias: string;
  version: number;
}

export interface ModelFoldInputs {
  events: readonly ModelRegistryEvent[];
  logged: readonly LoggedModel[];
  external: readonly ExternalVersion[];
  externalAliases: readonly ExternalAlias[];
}

export interface FoldedVersion {
  name: string;
  version: number;
  origin: ModelVersionOrigin;
  runUid: string | null;
  path: string | null;
  sha256: string | null;
  bytes: number | null;
  framework: string | null;
  parent: ModelVersionRef | null;
  derivation: string | null;
  description: string | null;
  created: number | null;
  createdBy: string | null;
  registrationId: string | null;
  /** The run-logged model rows that are this version. */
  loggedRowIds: number[];
}

export interface FoldedAlias {
  model: string;
  alias: string;
  version: number;
  since: number | null;
  by: string | null;
  external: boolean;
}

export interface FoldProblem {
  severity: 'warning' | 'info';
  message: string;
  eventId: string | null;
}

export interface ModelFoldResult {
  /** Sorted by name, then version. */
  versions: FoldedVersion[];
  /** Sorted by model, then alias. */
  aliases: FoldedAlias[];
  /** In (time, id) order. */
  history: ModelHistoryEntry[];
  problems: FoldProblem[];
}

export function foldModelRegistry(inputs: ModelFoldInputs): ModelFoldResult {
  const problems: FoldProblem[] = [];
  const events = sortEvents(inputs.events);
  const models = new Map<string, ModelNumbers>();
  const numbersOf = (name: string): ModelNumbers => {
    let m = models.get(name);
    if (!m) models.set(name, (m = new ModelNumbers()));
    return m;
  };
  const identities = new IdentityIndex();
  /** Registration event id → the version it made or names. */
  const registered = new Map<string, FoldedVersion>();
  const registerEntries = new Map<string, RegisterHistoryEntry>();

  // 1. External versions.
  for (const x of [...inputs.external].sort((a, b) => cmp(a.name, b.name) || a.version - b.version)) {
    const numbers = numbersOf(x.name);
    if (numbers.taken.has(x.version)) continue; // the same version reported twice
    numbers.take(x.version, {
      ...blankVersion(x.name, x.version, 'external'), runUid: x.runUid, path: x.path, framework: x.path ? frameworkFromPath(x.path) : null,
    });
  }

  // 2. Registrations that keep their written number (or duplicate an earlier one).
  const renumberLater: ModelRegistered[] = [];
  const registrations = events.filter((e): e is ModelRegistered => e.t === 'model.register');
  for (const e of registrations) {
    const same = identities.find(e.name, e.run ?? null, e.sha256 ?? null, e.path ?? null);
    if (same) {
      registerDuplicate(e, same);
      continue;
    }
    const numbers = numbersOf(e.name);
    if (numbers.taken.has(e.version)) {
      renumberLater.push(e);
      continue;
    }
    const v = versionFromRegistration(e, e.version);
    numbers.take(e.version, v);
    identities.add(v);
    registered.set(e.id, v);
    registerEntries.set(e.id, registerEntry(e, v.version, 'new', null));
  }

  // 3. Run-logged models: pinned by a registration, a repeat of one already seen, or numbered here.
  const logged = [...inputs.logged].sort((a, b) =>
    (a.runStarted ?? Infinity) - (b.runStarted ?? Infinity) || cmp(a.runUid, b.runUid) || a.rowId - b.rowId);
  for (const m of logged) {
    const same = identities.find(m.name, m.runUid, m.sha256, m.path);
    if (same) {
      same.loggedRowIds.push(m.rowId);
      if (same.origin === 'registered') {
        // A registration pinned this run's model: it stays the run's, with the run's birth date.
        same.origin = 'run';
        same.created = m.runStarted ?? same.created;
        same.createdBy = m.runUser ?? same.createdBy;
        same.sha256 ??= m.sha256;
        same.bytes ??= m.bytes;
        same.parent ??= m.parent;
        same.derivation ??= m.derivation;
      }
      continue;
    }
    const numbers = numbersOf(m.name);
    const version = numbers.lowestFree();
    const v: FoldedVersion = {
      ...blankVersion(m.name, version, 'run'), runUid: m.runUid, path: m.path, sha256: m.sha256, bytes: m.bytes,
      framework: m.path ? frameworkFromPath(m.path) : null, parent: m.parent, derivation: m.derivation,
      created: m.runStarted, createdBy: m.runUser, loggedRowIds: [m.rowId],
    };
    numbers.take(version, v);
    identities.add(v);
  }

  // 4. Registrations whose number was taken.
  for (const e of renumberLater) {
    const same = identities.find(e.name, e.run ?? null, e.sha256 ?? null, e.path ?? null);
    if (same) {
      registerDuplicate(e, same);
      continue;
    }
    const numbers = numbersOf(e.name);
    const holder = numbers.taken.get(e.version)!;
    const version = numbers.max() + 1;
    const v = versionFromRegistration(e, version);
    numbers.take(version, v);
    identities.add(v);
    registered.set(e.id, v);
    const note = `written as v${e.version}, which ${describeHolder(holder)} already holds: numbered v${version}`;
    registerEntries.set(e.id, registerEntry(e, version, 'renumbered', note));
    problems.push({ severity: 'info', message: `${e.name}: registration ${e.id} ${note}`, eventId: e.id });
  }

  // Aliases: the external registry's first, then the events.
  const exists = (name: string, version: number): boolean => models.get(name)?.taken.has(version) ?? false;
  const aliases = new Map<string, FoldedAlias>();
  const aliasKey = (model: string, alias: string): string => `${model}\u0000${alias}`;
  for (const a of [...inputs.externalAliases].sort((x, y) => cmp(x.model, y.model) || cmp(x.alias, y.alias) || x.version - y.version)) {
    if (!exists(a.model, a.version)) {
      problems.push({ severity: 'warning', message: `${a.model}: alias "${a.alias}" names v${a.version}, which the registry does not hold`, eventId: null });
      continue;
    }
    aliases.set(aliasKey(a.model, a.alias), { ...a, since: null, by: null, external: true });
  }

  const history: ModelHistoryEntry[] = [];
  for (const e of events) {
    switch (e.t) {
      case 'model.register':
        history.push(registerEntries.get(e.id)!);
        break;
      case 'model.alias':
        history.push(applyAlias(e));
        break;
      case 'model.unalias':
        history.push(applyUnalias(e));
        break;
      default: {
        const never: never = e;
        throw new Error(`unhandled model event ${JSON.stringify(never)}`);
      }
    }
  }

  const versions = [...models.values()].flatMap((m) => [...m.taken.values()])
    .sort((a, b) => cmp(a.name, b.name) || a.version - b.version);
  const aliasList = [...aliases.values()].sort((a, b) => cmp(a.model, b.model) || cmp(a.alias, b.alias));
  return { versions, aliases: aliasList, history, problems };

  function registerDuplicate(e: ModelRegistered, same: FoldedVersion): void {
    registered.set(e.id, same);
    same.registrationId ??= e.id;
    const note = same.version === e.version ? 'the same artifact was registered before' : `the same artifact is already v${same.version}`;
    registerEntries.set(e.id, registerEntry(e, same.version, 'duplicate', note));
  }

  function applyAlias(e: AliasSet): AliasHistoryEntry {
    const key = aliasKey(e.name, e.alias);
    const target = e.versionEvent !== undefined ? registered.get(e.versionEvent) : undefined;
    const to = target && target.name === e.name ? target.version : e.version;
    const from = aliases.get(key)?.version ?? null;
    const entry: AliasHistoryEntry = {
      kind: 'alias', id: e.id, time: e.time, actor: e.actor, model: e.name, alias: e.alias, from, to, writtenVersion: e.version,
      reason: e.reason, gate: e.gate ? gateResultOf(e.gate) : null, overrideReason: e.override?.reason ?? null, applied: true,
      note: to !== e.version ? `written for v${e.version}, which was renumbered v${to}` : null,
    };
    if (!exists(e.name, to)) {
      entry.applied = false;
      entry.note = `${e.name} v${to} is not a known version: the alias was not moved`;
      problems.push({ severity: 'warning', message: `${e.name}: "${e.alias}" → v${to} (event ${e.id}): ${entry.note}`, eventId: e.id });
      return entry;
    }
    aliases.set(key, { model: e.name, alias: e.alias, version: to, since: e.time, by: e.actor, external: false });
    return entry;
  }

  function applyUnalias(e: AliasRemoved): UnaliasHistoryEntry {
    const key = aliasKey(e.name, e.alias);
    const from = aliases.get(key)?.version ?? null;
    aliases.delete(key);
    return {
      kind: 'unalias', id: e.id, time: e.time, actor: e.actor, model: e.name, alias: e.alias, from, reason: e.reason,
      applied: from !== null, note: from === null ? `"${e.alias}" was not set` : null,
    };
  }
}

/** The gate verdict in numbers (the event spells NaN and ±Infinity as strings). */
export function gateResultOf(g: GateRecord): GateResult {
  const num = (v: GateRecord['delta']): number | null => (v === null ? null : metricValueToNumber(v));
  return {
    passed: g.passed, metric: g.metric, mode: g.mode, minDelta: g.minDelta, candidateVersion: g.candidate.version,
    holderVersion: g.holder?.version ?? null, candidateValue: num(g.candidate.value), holderValue: g.holder ? num(g.holder.value) : null,
    delta: num(g.delta), reason: g.reason,
  };
}

/** (time, id) order; equal ids (a line duplicated by a merge) are folded once. */
function sortEvents(events: readonly ModelRegistryEvent[]): ModelRegistryEvent[] {
  const sorted = [...events].sort((a, b) => a.time - b.time || cmp(a.id, b.id) || cmp(JSON.stringify(a), JSON.stringify(b)));
  return sorted.filter((e, i) => i === 0 || sorted[i - 1]!.id !== e.id);
}

function blankVersion(name: string, version: number, origin: ModelVersionOrigin): FoldedVersion {
  return {
    name, version, origin, runUid: null, path: null, sha256: null, bytes: null, framework: null, parent: null, derivation: null,
    description: null, created: null, createdBy: null, registrationId: null, loggedRowIds: [],
  };
}

function versionFromRegistration(e: ModelRegistered, version: number): FoldedVersion {
  return {
    ...blankVersion(e.name, version, 'registered'), runUid: e.run ?? null, path: e.path ?? null, sha256: e.sha256 ?? null,
    bytes: e.bytes ?? null, framework: e.framework ?? (e.path ? frameworkFromPath(e.path) : null), parent: e.parent ?? null,
    derivation: e.derivation ?? null, description: e.description ?? null, created: e.time, createdBy: e.actor, registrationId: e.id,
  };
}

function registerEntry(e: ModelRegistered, version: number, outcome: RegisterHistoryEntry['outcome'], note: string | null): RegisterHistoryEntry {
  return {
    kind: 'register', id: e.id, time: e.time, actor: e.actor, model: e.name, version, writtenVersion: e.version, outcome,
    runUid: e.run ?? null, path: e.path ?? null, sha256: e.sha256 ?? null, framework: e.framework ?? null, parent: e.parent ?? null,
    derivation: e.derivation ?? null, note,
  };
}

function describeHolder(v: FoldedVersion): string {
  if (v.origin === 'external') return 'the external registry';
  if (v.registrationId) return `registration ${v.registrationId}`;
  return `the model logged by run ${v.runUid}`;
}

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The numbers in use for one model name. */
class ModelNumbers {
  readonly taken = new Map<number, FoldedVersion>();
  private highest = 0;
  /** Every number below it is taken (numbers are only ever added during a fold). */
  private freeFrom = 1;

  take(version: number, v: FoldedVersion): void {
    this.taken.set(version, v);
    this.highest = Math.max(this.highest, version);
  }

  lowestFree(): number {
    while (this.taken.has(this.freeFrom)) this.freeFrom++;
    return this.freeFrom;
  }

  max(): number {
    return this.highest;
  }
}

/**
 * Finds the version that holds an artifact: the same model name and run, and the same sha256 —
 * or, when either side has no hash, the same path.
 */
class IdentityIndex {
  private readonly bySha = new Map<string, FoldedVersion>();
  private readonly byPath = new Map<string, FoldedVersion>();

  add(v: FoldedVersion): void {
    const base = `${v.name}\u0000${v.runUid ?? ''}\u0000`;
    if (v.sha256 && !this.bySha.has(base + v.sha256)) this.bySha.set(base + v.sha256, v);
    if (v.path && !this.byPath.has(base + v.path)) this.byPath.set(base + v.path, v);
  }

  find(name: string, runUid: string | null, sha256: string | null, path: string | null): FoldedVersion | undefined {
    const base = `${name}\u0000${runUid ?? ''}\u0000`;
    if (sha256) {
      const bySha = this.bySha.get(base + sha256);
      if (bySha) return bySha;
    }
    if (!path) return undefined;
    const byPath = this.byPath.get(base + path);
    return byPath && (!sha256 || !byPath.sha256) ? byPath : undefined;
  }
}

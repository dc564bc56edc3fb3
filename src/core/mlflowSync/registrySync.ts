/**
 * Registered models and aliases, both ways, on request.
 *
 * Push: each local model becomes a registered model on the server; each version becomes a model
 * version whose source is `runs:/<remote run>/<file name>` (its run is pushed first when needed)
 * and which carries the tag `exptrack.version` (the local number: MLflow numbers versions itself,
 * so the numbers may differ; the sync state keeps the mapping). Aliases set locally are set on the
 * server; aliases a push set and that were removed locally are removed there.
 *
 * Pull: remote versions this workspace does not know are appended to `.exptrack/registry.jsonl` as
 * `model.register` events (the remote number when it is free locally), and remote aliases as
 * `model.alias` events with the reason "pulled from MLflow <uri>", so the audit trail says where
 * each came from. Nothing is registered twice: the sync state maps remote to local versions.
 */
import type { ModelVersion, RegisteredModel } from '../../shared/modelTypes';
import { openRegistryAppender } from '../registry/registryAppender';
import type { LocalRuns, SyncProgress } from './localRuns';
import { SILENT_PROGRESS } from './localRuns';
import { MlflowError } from './mlflowErrors';
import type { WireModelVersion, WireRegisteredModel } from './mlflowTypes';
import { pushRuns, type PushReport } from './pushRuns';
import type { MlflowRestClient } from './restClient';
import type { ServerSyncState, SyncStateStore } from './syncState';

export const VERSION_TAG = 'exptrack.version';
const RESERVED_ALIAS = /^(latest|v\d+)$/i;

export interface ModelSyncReport {
  models: { name: string; versions: { local: number; remote: string; outcome: 'created' | 'adopted' | 'registered' | 'known' }[]; aliases: { alias: string; version: string; outcome: 'set' | 'removed' }[] }[];
  warnings: string[];
  /** Runs pushed because model versions came from them. */
  runs?: PushReport;
}

interface ModelSyncOptions {
  client: MlflowRestClient;
  state: SyncStateStore;
  /** Only these models (default: all). */
  names?: string[];
  progress?: SyncProgress;
}

export async function pushModels(opts: ModelSyncOptions & { local: LocalRuns; workspaceRoot: string; experiment?: string }): Promise<ModelSyncReport> {
  const { client, state } = opts;
  const progress = opts.progress ?? SILENT_PROGRESS;
  const server = state.server(client.server.uri);
  const report: ModelSyncReport = { models: [], warnings: [] };
  const models = selectModels((await opts.local.modelRegistry()).models, opts.names, report);

  // Versions name their runs on the server: push the runs that are not there yet.
  const runUids = [...new Set(models.flatMap((m) => m.versions.map((v) => v.runUid)).filter((u): u is string => u !== null))]
    .filter((uid) => remoteRunIdOf(server, uid) === undefined);
  if (runUids.length > 0) {
    report.runs = await pushRuns({ client, state, local: opts.local, workspaceRoot: opts.workspaceRoot, runUids, experiment: opts.experiment, progress });
    if (report.runs.cancelled) return report;
  }

  for (const [i, model] of models.entries()) {
    if (progress.cancelled) break;
    progress.report(`model ${model.name}`, i, models.length);
    const entry: ModelSyncReport['models'][number] = { name: model.name, versions: [], aliases: [] };
    report.models.push(entry);
    let remote = await client.getRegisteredModel(model.name);
    if (!remote) {
      try {
        remote = await client.createRegisteredModel(model.name);
      } catch (e) {
        remote = await client.getRegisteredModel(model.name);
        if (!remote) throw e;
      }
    }
    const pushed = (server.models[model.name] ??= { versions: {}, aliases: {} });
    const pulledBack = invert(server.pulledModels[model.name]?.versions ?? {});
    let remoteVersions: WireModelVersion[] | undefined;
    for (const v of model.versions) {
      const key = String(v.version);
      if (pushed.versions[key] !== undefined) continue;
      if (pulledBack[key] !== undefined) {
        pushed.versions[key] = pulledBack[key]!;
        entry.versions.push({ local: v.version, remote: pulledBack[key]!, outcome: 'known' });
        continue;
      }
      remoteVersions ??= await allVersions(client, model.name);
      const adopted = remoteVersions.find((rv) => rv.tags?.some((t) => t.key === VERSION_TAG && t.value === key));
      if (adopted) {
        pushed.versions[key] = adopted.version;
        entry.versions.push({ local: v.version, remote: adopted.version, outcome: 'adopted' });
        state.save();
        continue;
      }
      const created = await createVersion(client, server, v, report);
      if (!created) continue;
      pushed.versions[key] = created.version;
      entry.versions.push({ local: v.version, remote: created.version, outcome: 'created' });
      state.save();
    }
    await pushAliases(client, model, remote, pushed, entry, report);
    state.save();
  }
  return report;
}

async function createVersion(client: MlflowRestClient, server: ServerSyncState, v: ModelVersion, report: ModelSyncReport): Promise<WireModelVersion | undefined> {
  const remoteRunId = v.runUid === null ? undefined : remoteRunIdOf(server, v.runUid);
  if (remoteRunId === undefined) {
    report.warnings.push(`${v.name} v${v.version} not pushed: MLflow model versions come from a run, and ${v.runUid === null ? 'this version names none' : `its run ${v.runUid} is not on the server`}`);
    return undefined;
  }
  const fileName = (v.path ?? 'model').split('/').filter(Boolean).pop() ?? 'model';
  const tags = [{ key: VERSION_TAG, value: String(v.version) }];
  if (v.sha256) tags.push({ key: 'exptrack.sha256', value: v.sha256 });
  if (v.path) tags.push({ key: 'exptrack.path', value: v.path.slice(0, 5000) });
  if (v.parent) tags.push({ key: 'exptrack.parent', value: `${v.parent.name}:${v.parent.version}` });
  if (v.derivation) tags.push({ key: 'exptrack.derivation', value: v.derivation });
  try {
    return await client.createModelVersion({ name: v.name, source: `runs:/${remoteRunId}/${fileName}`, runId: remoteRunId, description: v.description ?? undefined, tags });
  } catch (e) {
    if (e instanceof MlflowError && e.kind === 'invalid') {
      report.warnings.push(`${v.name} v${v.version} not pushed: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}

async function pushAliases(client: MlflowRestClient, model: RegisteredModel, remote: WireRegisteredModel, pushed: { versions: Record<string, string>; aliases: Record<string, string> },
  entry: ModelSyncReport['models'][number], report: ModelSyncReport): Promise<void> {
  const remoteAliases = new Map((remote.aliases ?? []).map((a) => [a.alias, a.version] as const));
  const local = model.aliases.filter((a) => !a.external);
  for (const a of local) {
    if (RESERVED_ALIAS.test(a.alias)) {
      report.warnings.push(`${model.name}: alias "${a.alias}" not pushed: MLflow reserves "latest" and v<number>`);
      continue;
    }
    const rv = pushed.versions[String(a.version)];
    if (rv === undefined) {
      report.warnings.push(`${model.name}: alias "${a.alias}" not pushed: v${a.version} is not on the server`);
      continue;
    }
    if (remoteAliases.get(a.alias) !== rv) {
      await client.setAlias(model.name, a.alias, rv);
      entry.aliases.push({ alias: a.alias, version: rv, outcome: 'set' });
    }
    pushed.aliases[a.alias] = rv;
  }
  for (const [alias, rv] of Object.entries(pushed.aliases)) {
    if (local.some((a) => a.alias === alias)) continue;
    if (remoteAliases.get(alias) === rv) {
      await client.deleteAlias(model.name, alias);
      entry.aliases.push({ alias, version: rv, outcome: 'removed' });
    }
    delete pushed.aliases[alias];
  }
}

export async function pullModels(opts: ModelSyncOptions & { workspaceRoot: string; local?: LocalRuns }): Promise<ModelSyncReport> {
  const { client, state } = opts;
  const progress = opts.progress ?? SILENT_PROGRESS;
  const server = state.server(client.server.uri);
  const report: ModelSyncReport = { models: [], warnings: [] };
  const localModels = opts.local ? (await opts.local.modelRegistry()).models : [];
  const appender = await openRegistryAppender(opts.workspaceRoot);
  const remoteModels: WireRegisteredModel[] = [];
  let token: string | undefined;
  do {
    const page = await client.searchRegisteredModels(token);
    remoteModels.push(...page.items);
    token = page.nextPageToken;
  } while (token);
  const wanted = opts.names ? remoteModels.filter((m) => opts.names!.includes(m.name)) : remoteModels;
  for (const name of opts.names ?? []) {
    if (!remoteModels.some((m) => m.name === name)) report.warnings.push(`${client.server.uri} has no registered model "${name}"`);
  }
  const ownRuns = new Map(Object.entries(server.runs).map(([uid, r]) => [r.remoteRunId, uid] as const));

  for (const [i, remote] of wanted.entries()) {
    if (progress.cancelled) break;
    progress.report(`model ${remote.name}`, i, wanted.length);
    const entry: ModelSyncReport['models'][number] = { name: remote.name, versions: [], aliases: [] };
    report.models.push(entry);
    const local = localModels.find((m) => m.name === remote.name);
    const taken = new Set(local?.versions.map((v) => v.version) ?? []);
    const pulled = (server.pulledModels[remote.name] ??= { versions: {} });
    const pushedBack = invert(server.models[remote.name]?.versions ?? {});
    const localOf = new Map<string, number>();
    const eventOf = new Map<string, string>();
    for (const [rv, v] of Object.entries(pulled.versions)) localOf.set(rv, v);
    for (const [rv, v] of Object.entries(pushedBack)) localOf.set(rv, Number(v));
    const versions = (await allVersions(client, remote.name)).sort((a, b) => Number(a.version) - Number(b.version));
    for (const rv of versions) {
      if (localOf.has(rv.version)) continue;
      let number = Number(rv.version);
      if (!Number.isInteger(number) || number < 1 || taken.has(number)) number = Math.max(0, ...taken) + 1;
      const runUid = rv.run_id ? (server.pulled[rv.run_id] ?? ownRuns.get(rv.run_id)) : undefined;
      const description = `MLflow ${client.server.uri}: ${remote.name} version ${rv.version}${rv.source ? `, source ${rv.source}` : ''}${rv.description ? `. ${rv.description}` : ''}`;
      const written = appender.appendDraft({
        t: 'model.register', name: remote.name, version: number, ...(runUid ? { run: runUid } : {}), description: description.slice(0, 1000),
      });
      taken.add(number);
      localOf.set(rv.version, number);
      eventOf.set(rv.version, written.id);
      pulled.versions[rv.version] = number;
      entry.versions.push({ local: number, remote: rv.version, outcome: 'registered' });
      state.save();
    }
    for (const a of remote.aliases ?? []) {
      const v = localOf.get(a.version);
      if (v === undefined) {
        report.warnings.push(`${remote.name}: alias "${a.alias}" not pulled: version ${a.version} is not known here`);
        continue;
      }
      const holder = local?.aliases.find((x) => x.alias === a.alias);
      if (holder?.version === v) continue;
      const versionEvent = eventOf.get(a.version);
      appender.appendDraft({
        t: 'model.alias', name: remote.name, alias: a.alias, version: v, from: holder?.version ?? null, reason: `pulled from MLflow ${client.server.uri}`,
        ...(versionEvent ? { versionEvent } : {}),
      });
      entry.aliases.push({ alias: a.alias, version: String(v), outcome: 'set' });
    }
  }
  return report;
}

function selectModels(models: RegisteredModel[], names: string[] | undefined, report: ModelSyncReport): RegisteredModel[] {
  if (!names) return models;
  for (const n of names) if (!models.some((m) => m.name === n)) report.warnings.push(`no local model named "${n}"`);
  return models.filter((m) => names.includes(m.name));
}

/** The remote run of a local run: pushed from here, or pulled from the server. */
function remoteRunIdOf(server: ServerSyncState, uid: string): string | undefined {
  const pushed = server.runs[uid];
  if (pushed && !pushed.incomplete) return pushed.remoteRunId;
  for (const [remote, local] of Object.entries(server.pulled)) if (local === uid) return remote;
  return undefined;
}

async function allVersions(client: MlflowRestClient, name: string): Promise<WireModelVersion[]> {
  const out: WireModelVersion[] = [];
  let token: string | undefined;
  do {
    const page = await client.searchModelVersions(name, token);
    out.push(...page.items);
    token = page.nextPageToken;
  } while (token);
  return out;
}

function invert<V extends string | number>(map: Record<string, V>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[String(v)] = k;
  return out;
}

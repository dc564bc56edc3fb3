/**
 * "Register Model Version": a run, a file (or `saved_model/` folder) and a name become the next
 * version of that model. The file is checked to be inside the workspace, hashed and its framework
 * guessed; the version number is one above the highest the registry holds for the name (the fold
 * resolves the rare race with another writer, see modelVersionsFold.ts). Registering the same artifact
 * again names the version that already holds it instead of making a new one.
 */
import type { Database } from 'sql.js';
import type { ModelVersion, ModelVersionRef } from '../../shared/modelTypes';
import { ModelName, type ModelRegistered, type RegistryEnvelopeFields } from '../../shared/registryEvents';
import { modelFileFacts, type ModelFileFacts } from './modelFiles';
import { findModel, findVersion, type ModelRegistryView } from './modelQueries';
import { findRun } from './runRefs';

export type ModelRegisteredDraft = Omit<ModelRegistered, keyof RegistryEnvelopeFields>;

export interface RegistrationRequest {
  name: string;
  /** The model file or folder, workspace-relative or absolute. */
  path: string;
  /** The run that produced it: a uid, a unique uid prefix or a unique run name. */
  run?: string;
  parent?: ModelVersionRef;
  derivation?: string;
  description?: string;
}

export type RegistrationPlan =
  | { kind: 'new'; draft: ModelRegisteredDraft; facts: ModelFileFacts }
  | { kind: 'existing'; version: ModelVersion }
  | { kind: 'error'; error: string };

export async function planRegistration(db: Database, view: ModelRegistryView, workspaceRoot: string, req: RegistrationRequest): Promise<RegistrationPlan> {
  const name = ModelName.safeParse(req.name);
  if (!name.success) return { kind: 'error', error: `model name ${JSON.stringify(req.name)}: ${name.error.issues[0]?.message}` };
  let runUid: string | undefined;
  if (req.run !== undefined) {
    const run = findRun(db, req.run);
    if (!run.ok) return { kind: 'error', error: run.error };
    runUid = run.uid;
  }
  if (req.parent && !findVersion(view, req.parent.name, req.parent.version)) {
    return { kind: 'error', error: `parent ${req.parent.name} v${req.parent.version} is not a known version` };
  }
  const derivation = req.derivation?.trim();
  if (derivation !== undefined && (derivation === '' || derivation.length > 100)) return { kind: 'error', error: 'a derivation is one word or phrase of up to 100 characters' };
  const description = req.description?.trim();
  if (description !== undefined && description.length > 1000) return { kind: 'error', error: 'the description is longer than 1000 characters' };

  const file = await modelFileFacts(workspaceRoot, req.path);
  if (!file.ok) return { kind: 'error', error: file.reason };
  const facts = file.facts;
  if (facts.relPath === '.') return { kind: 'error', error: 'the workspace folder itself is not a model' };

  const model = findModel(view, name.data);
  const existing = model?.versions.find((v) => v.runUid === (runUid ?? null)
    && (v.sha256 === facts.sha256 || (v.sha256 === null && v.path === facts.relPath)));
  if (existing) return { kind: 'existing', version: existing };

  const draft: ModelRegisteredDraft = {
    t: 'model.register', name: name.data, version: (model?.latestVersion ?? 0) + 1, path: facts.relPath, sha256: facts.sha256, bytes: facts.bytes,
  };
  if (runUid !== undefined) draft.run = runUid;
  if (facts.framework) draft.framework = facts.framework;
  if (req.parent) draft.parent = { name: req.parent.name, version: req.parent.version };
  if (derivation) draft.derivation = derivation;
  if (description) draft.description = description;
  return { kind: 'new', draft, facts };
}

/**
 * A registration that fixes the number a run-logged version has now, so aliases pointing at it keep
 * meaning this artifact even when runs that started earlier appear later.
 */
export function pinDraft(v: ModelVersion): ModelRegisteredDraft {
  const draft: ModelRegisteredDraft = { t: 'model.register', name: v.name, version: v.version };
  if (v.runUid !== null) draft.run = v.runUid;
  if (v.path !== null && v.path.length <= 1000) draft.path = v.path;
  if (v.sha256 !== null && /^[0-9a-f]{64}$/.test(v.sha256)) draft.sha256 = v.sha256;
  if (v.bytes !== null && Number.isInteger(v.bytes) && v.bytes >= 0) draft.bytes = v.bytes;
  if (v.framework !== null && v.framework.length <= 50) draft.framework = v.framework;
  if (v.parent !== null) draft.parent = v.parent;
  if (v.derivation !== null && v.derivation.length <= 100) draft.derivation = v.derivation;
  return draft;
}

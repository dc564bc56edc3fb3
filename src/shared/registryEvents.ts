/**
 * Audit events appended to `.exptrack/registry.jsonl`: what people decided about runs and models.
 * The file is meant to be committed; state (names, notes, aliases) is always derived by folding
 * these events in (time, id) order, so concurrent writers only ever append, and an event that
 * appears twice (two branches carried it; git merges the file with `merge=union`) counts once.
 */
import { z } from 'zod';
import { MetricValue } from './runEvents';

const Base = {
  id: z.string().min(1).max(100),
  time: z.number().finite(),
  actor: z.string().max(500),
};

export const RunRenamed = z.object({ ...Base, t: z.literal('run.rename'), run: z.string().min(1), name: z.string().max(1000) });
export const RunNoted = z.object({ ...Base, t: z.literal('run.note'), run: z.string().min(1), text: z.string().max(100_000) });
export const RunTagged = z.object({
  ...Base, t: z.literal('run.tag'), run: z.string().min(1), key: z.string().min(1).max(500), value: z.string().max(10_000),
});
export const RunUntagged = z.object({ ...Base, t: z.literal('run.untag'), run: z.string().min(1), key: z.string().min(1) });
export const RunDeleted = z.object({ ...Base, t: z.literal('run.delete'), run: z.string().min(1) });
export const RunRestored = z.object({ ...Base, t: z.literal('run.restore'), run: z.string().min(1) });

export const RunAnnotationEvent = z.discriminatedUnion('t', [RunRenamed, RunNoted, RunTagged, RunUntagged, RunDeleted, RunRestored]);
export type RunAnnotationEvent = z.infer<typeof RunAnnotationEvent>;

/** Names of models and aliases: any printable text (no control characters, so one line each). */
const Label = (max: number) =>
  z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters (newlines, tabs)')
    .refine((s) => s.trim() === s, 'must not start or end with spaces');
export const ModelName = Label(200);
export const AliasName = Label(100);
const VersionNumber = z.number().int().positive();
/** Why a change was made: required on every alias change, never blank. */
const Reason = z.string().max(1000).refine((s) => s.trim() !== '', 'a reason is required');
export const ModelVersionRefSchema = z.object({ name: ModelName, version: VersionNumber });

/**
 * The champion–challenger gate's verdict as recorded with a promotion. Values use the run-event
 * spelling of NaN and ±Infinity; `delta` is the candidate's improvement (positive = better).
 */
export const GateRecord = z.object({
  metric: z.string().min(1).max(500),
  mode: z.enum(['max', 'min']),
  minDelta: z.number().finite(),
  candidate: z.object({ version: VersionNumber, value: MetricValue.nullable() }),
  holder: z.object({ version: VersionNumber, value: MetricValue.nullable() }).nullable(),
  delta: MetricValue.nullable(),
  passed: z.boolean(),
  reason: z.string().max(1000),
});
export type GateRecord = z.infer<typeof GateRecord>;

/**
 * A model version registered by hand, or the pinning of a run-logged version's number before it is
 * promoted. `version` is the writer's max+1 (or the pinned number); when two writers race for the
 * same number, the fold keeps it for the earlier (time, id) event and renumbers the later one.
 */
export const ModelRegistered = z.object({
  ...Base,
  t: z.literal('model.register'),
  name: ModelName,
  version: VersionNumber,
  /** Run uid of the run that produced the file. */
  run: z.string().min(1).max(200).optional(),
  /** Workspace-relative path, forward slashes. */
  path: z.string().min(1).max(1000).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256').optional(),
  bytes: z.number().int().nonnegative().optional(),
  framework: z.string().min(1).max(50).optional(),
  parent: ModelVersionRefSchema.optional(),
  derivation: z.string().min(1).max(100).optional(),
  description: z.string().max(1000).optional(),
});

/**
 * An alias moved to a version. `versionEvent` names the `model.register` event of the target (when
 * it has one), so the alias follows the version even if the fold had to renumber it; `from` is the
 * holder the writer saw. Gated aliases carry the gate's verdict, and a failed gate an override.
 */
export const AliasSet = z.object({
  ...Base,
  t: z.literal('model.alias'),
  name: ModelName,
  alias: AliasName,
  version: VersionNumber,
  versionEvent: z.string().min(1).max(100).optional(),
  from: VersionNumber.nullable().optional(),
  reason: Reason,
  gate: GateRecord.optional(),
  override: z.object({ reason: Reason }).optional(),
});

export const AliasRemoved = z.object({
  ...Base,
  t: z.literal('model.unalias'),
  name: ModelName,
  alias: AliasName,
  from: VersionNumber.nullable().optional(),
  reason: Reason,
});

export const ModelRegistryEvent = z.discriminatedUnion('t', [ModelRegistered, AliasSet, AliasRemoved]);
export type ModelRegistryEvent = z.infer<typeof ModelRegistryEvent>;
export type ModelRegistered = z.infer<typeof ModelRegistered>;
export type AliasSet = z.infer<typeof AliasSet>;
export type AliasRemoved = z.infer<typeof AliasRemoved>;
export const MODEL_REGISTRY_EVENT_TYPES: readonly string[] = ModelRegistryEvent.options.map((o) => o.shape.t.value);

/**
 * Every registry event this version understands; an event of another type (written by a newer
 * version) is kept in the file and skipped in the fold.
 */
export const RegistryEvent = z.discriminatedUnion('t', [...RunAnnotationEvent.options, ...ModelRegistryEvent.options]);
export type RegistryEvent = z.infer<typeof RegistryEvent>;

/** The fields every appended event gets from its writer. */
export interface RegistryEnvelopeFields {
  id: string;
  time: number;
  actor: string;
}

/** What every registry line has, whatever its type: enough to order and deduplicate it. */
export const RegistryEnvelope = z.object({ id: z.string().min(1).max(100), time: z.number().finite(), t: z.string().min(1) });

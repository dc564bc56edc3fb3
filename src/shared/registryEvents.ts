/**
 * Audit events appended to `.exptrack/registry.jsonl`: what people decided about runs and models.
 * The file is meant to be committed; state (names, notes, aliases) is always derived by folding
 * these events in (time, id) order, so concurrent writers only ever append.
 */
import { z } from 'zod';

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

/**
 * Every registry event this version understands. Model and alias events join this union; an
 * event of another type (written by a newer version) is kept in the file and skipped in the fold.
 */
export const RegistryEvent = RunAnnotationEvent;
export type RegistryEvent = z.infer<typeof RegistryEvent>;

/** What every registry line has, whatever its type: enough to order and deduplicate it. */
export const RegistryEnvelope = z.object({ id: z.string().min(1).max(100), time: z.number().finite(), t: z.string().min(1) });

/**
 * The messages between the extension host and the Model Version panel (a version beside the
 * champion or another version): one discriminated union on `type` per direction.
 *
 * Made by a function for the same reason as the other protocols: the webview calls
 * `z.config({ jitless: true })` before `createModelVersionProtocol()` so zod never probes
 * `new Function` under the CSP; the host calls it without the config.
 */
import * as z from 'zod/mini';
import type { ModelVersionComparison, TrainingDataDrift, TrainingDataset, VersionFacts } from '../modelComparison';

const Text = z.string().check(z.maxLength(3000));
const Uid = z.string().check(z.minLength(1), z.maxLength(500));

export function createModelVersionProtocol() {
  // ---- webview → host -------------------------------------------------------------------------
  const webviewMessage = z.discriminatedUnion('type', [
    /** The page has loaded and listens: the host posts nothing before this. */
    z.object({ type: z.literal('ready') }),
    /** Compare with this version of the same model instead. */
    z.object({ type: z.literal('compareWith'), version: z.int().check(z.positive()) }),
    /** Show the details of one of the two source runs. */
    z.object({ type: z.literal('openRun'), uid: Uid }),
    /** Reveal the model file of the shown version (or of the one it is compared with). */
    z.object({ type: z.literal('revealArtifact'), side: z.enum(['version', 'against']) }),
    /** Open the lineage panel around the shown version. */
    z.object({ type: z.literal('showLineage') }),
    /** Start "Promote Model Version" for the shown version. */
    z.object({ type: z.literal('promote') }),
    /** Something went wrong in the page; the host writes it to the Output channel. */
    z.object({ type: z.literal('error'), message: Text }),
  ]);

  // ---- host → webview -------------------------------------------------------------------------
  const nullableText = z.nullable(z.string());
  const nullableNumber = z.nullable(z.number());
  const facts: z.ZodMiniType<VersionFacts> = z.object({
    name: z.string(), version: z.number(), origin: z.enum(['registered', 'run', 'external']), aliases: z.array(z.string()),
    framework: nullableText, path: nullableText, sha256: nullableText, bytes: nullableNumber, created: nullableNumber, createdBy: nullableText,
    runUid: nullableText, runName: nullableText, runStatus: nullableText,
    parent: z.nullable(z.object({ name: z.string(), version: z.number() })), derivation: nullableText, description: nullableText,
  });
  const dataset: z.ZodMiniType<TrainingDataset> = z.object({ path: z.string(), role: nullableText, sha256: nullableText, rows: nullableNumber });
  const severity = z.enum(['error', 'warning', 'info']);
  const drift: z.ZodMiniType<TrainingDataDrift> = z.discriminatedUnion('status', [
    z.object({ status: z.literal('unavailable'), reason: z.string(), against: z.nullable(dataset), version: z.nullable(dataset) }),
    z.object({ status: z.literal('same'), against: dataset, version: dataset }),
    z.object({
      status: z.literal('compared'), against: dataset, version: dataset,
      rows: z.object({ against: nullableNumber, version: nullableNumber }),
      columns: z.object({ compared: z.number(), added: z.number(), removed: z.number(), renamed: z.number(), changed: z.number() }),
      findings: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
      drifted: z.array(z.object({ column: z.string(), measure: z.enum(['jensen-shannon', 'l-infinity', 'psi']), value: z.number(), threshold: z.number() })),
      messages: z.array(z.object({ severity, message: z.string() })),
    }),
  ]);
  // The run-event spelling of numbers JSON cannot hold (runEvents.ts defines it at module load, too early here).
  const value = z.nullable(z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]));
  const comparison: z.ZodMiniType<ModelVersionComparison> = z.object({
    model: z.string(),
    version: facts,
    against: z.nullable(facts),
    againstLabel: nullableText,
    notice: nullableText,
    versions: z.array(z.object({ version: z.number(), aliases: z.array(z.string()) })),
    metrics: z.array(z.object({ key: z.string(), version: value, against: value, difference: value })),
    params: z.array(z.object({ key: z.string(), version: nullableText, against: nullableText, differs: z.boolean() })),
    drift,
    gate: z.nullable(z.object({
      metric: z.string(), mode: z.enum(['max', 'min']), minDelta: z.number(), passed: z.boolean(),
      versionValue: value, againstValue: value, delta: value, reason: z.string(),
    })),
    gateMetric: nullableText,
  });

  /** Which comparison the panel shows; the page keeps it with setState so a reload restores the panel. */
  const subject = z.object({
    name: z.string().check(z.minLength(1), z.maxLength(500)),
    version: z.int().check(z.positive()),
    against: z.optional(z.int().check(z.positive())),
  });

  const hostMessage = z.discriminatedUnion('type', [
    /** Everything the panel shows (a snapshot, never a delta), and what was asked for. */
    z.object({ type: z.literal('comparison'), comparison, subject }),
    /** Drift is being computed (profiling the datasets can take a moment). */
    z.object({ type: z.literal('loading'), text: z.string() }),
    /** Nothing can be shown, and why (e.g. the version is gone). */
    z.object({ type: z.literal('notice'), text: z.string() }),
  ]);

  return { webviewMessage, hostMessage, subject };
}

export type ModelVersionProtocol = ReturnType<typeof createModelVersionProtocol>;
export type ModelVersionWebviewMessage = z.infer<ModelVersionProtocol['webviewMessage']>;
export type ModelVersionHostMessage = z.infer<ModelVersionProtocol['hostMessage']>;

/**
 * The messages between the extension host and the Lineage panel: one discriminated union on
 * `type` per direction.
 *
 * The schemas are made by a function, not at module load: zod 4 decides when an object schema is
 * defined whether it may compile parsers with `new Function`, which a webview's CSP forbids. The
 * webview calls `z.config({ jitless: true })` first and then `createLineageProtocol()`; the host
 * calls it without the config. Each side calls it once and keeps the result.
 */
import * as z from 'zod/mini';
import type { LineageEdge, LineageFocus, LineageGraph, LineageNode } from '../modelTypes';

/** Limits that keep a broken or hostile message from costing much. */
const Id = z.string().check(z.minLength(1), z.maxLength(3000));
const Text = z.string().check(z.maxLength(3000));

export function createLineageProtocol() {
  // ---- webview → host -------------------------------------------------------------------------
  const webviewMessage = z.discriminatedUnion('type', [
    /** The page has loaded and listens: the host posts nothing before this. */
    z.object({ type: z.literal('ready') }),
    /** A node was clicked (or Enter pressed on it): reveal its run, model version or dataset. */
    z.object({ type: z.literal('openNode'), id: Id }),
    /** Show only what this node comes from and what came of it. */
    z.object({ type: z.literal('focusNode'), id: Id }),
    /** Show the lineage of every model version. */
    z.object({ type: z.literal('showAll') }),
    /** Something went wrong in the page; the host writes it to the Output channel. */
    z.object({ type: z.literal('error'), message: Text }),
  ]);

  // ---- host → webview -------------------------------------------------------------------------
  const nullableText = z.nullable(z.string());
  const node: z.ZodMiniType<LineageNode> = z.discriminatedUnion('kind', [
    z.object({ id: z.string(), kind: z.literal('dataset'), label: z.string(), path: z.string(), sha256: nullableText, rows: z.nullable(z.number()) }),
    z.object({
      id: z.string(), kind: z.literal('run'), label: z.string(), uid: z.string(), experiment: nullableText,
      status: z.enum(['running', 'finished', 'failed', 'killed', 'scheduled', 'unknown']), started: z.nullable(z.number()),
    }),
    z.object({
      id: z.string(), kind: z.literal('model'), label: z.string(), name: z.string(), version: z.number(), aliases: z.array(z.string()),
      framework: nullableText, origin: z.nullable(z.enum(['registered', 'run', 'external'])), derivation: nullableText, missing: z.boolean(),
    }),
  ]);
  const edge: z.ZodMiniType<LineageEdge> = z.object({
    id: z.string(), from: z.string(), to: z.string(), kind: z.enum(['input', 'produced', 'derived']), label: nullableText,
  });
  const graph: z.ZodMiniType<LineageGraph> = z.object({ nodes: z.array(node), edges: z.array(edge), focus: z.array(z.string()) });

  /** What the graph is focused on (null: every model version); the page keeps it with setState so a reload restores the panel. */
  const focus: z.ZodMiniType<LineageFocus> = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('run'), uid: Id }),
    z.object({ kind: z.literal('model'), name: Id, version: z.optional(z.int().check(z.positive())) }),
    z.object({ kind: z.literal('dataset'), path: Id, sha256: z.optional(z.string().check(z.maxLength(200))) }),
  ]);

  const hostMessage = z.discriminatedUnion('type', [
    /** The whole graph to show (a snapshot, never a delta); `focusLabel` names what it is focused on. */
    z.object({ type: z.literal('graph'), graph, focusLabel: nullableText, focus: z.nullable(focus) }),
    /** Select and centre this node (e.g. the version the panel was opened for). */
    z.object({ type: z.literal('select'), id: z.string() }),
  ]);

  return { webviewMessage, hostMessage, focus };
}

export type LineageProtocol = ReturnType<typeof createLineageProtocol>;
export type LineageWebviewMessage = z.infer<LineageProtocol['webviewMessage']>;
export type LineageHostMessage = z.infer<LineageProtocol['hostMessage']>;

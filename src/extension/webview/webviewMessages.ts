/**
 * The one way the host takes a message from any of its webviews: validated against the page's
 * protocol (src/shared/protocol), anything that does not match written to the Output channel and
 * otherwise ignored — pages show text from run files and must not make the host do anything else.
 */
import * as z from 'zod/mini';
import type { Log } from '../log';

/** The zod schema of the messages a page may send. */
export interface WebviewMessageSchema<M> {
  safeParse(raw: unknown): { success: true; data: M } | { success: false; error: z.core.$ZodError };
}

/** Hands a valid message to `handle`; logs an invalid one, and what `handle` throws, under `from`. */
export async function receiveWebviewMessage<M extends { type: string }>(
  raw: unknown, schema: WebviewMessageSchema<M>, from: string, log: Log, handle: (msg: M) => unknown,
): Promise<void> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    log.warn(`${from}: ignored an invalid message (${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}): ${preview(raw)}`);
    return;
  }
  try {
    await handle(parsed.data);
  } catch (e) {
    log.error(`${from}: ${parsed.data.type} failed: ${(e as Error).message}`);
  }
}

/** A message as text for the log, cut short. */
export function preview(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = String(raw);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

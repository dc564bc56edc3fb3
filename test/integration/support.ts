// Helpers shared by the integration tests (bundled into each test file; not a test itself).
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExpTrackApi } from '../../src/extension/extension';

/** The workspace folder the tests run in (a temporary copy of test/integration/workspace/). */
export const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

/** The bundled tests live in out/test/integration/; exptrack.py is in python/ of the repository. */
export const CLIENT_DIR = path.resolve(__dirname, '../../../python');

/** The extension's API once it is activated and its index is ready. */
export async function api(): Promise<ExpTrackApi> {
  const ext = vscode.extensions.getExtension<ExpTrackApi>('exptrack.exptrack')!;
  const exported = await ext.activate();
  await exported.ready;
  return exported;
}

type Probe<T> = () => Promise<T | undefined> | T | undefined;

/** `waitFor` with another default time limit. */
export function waitForWithin(defaultTimeoutMs: number) {
  return async function waitFor<T>(what: string, probe: Probe<T>, timeoutMs = defaultTimeoutMs): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
}

/** Polls `probe` every 100 ms until it gives a value; fails after `timeoutMs` (default 20 s). */
export const waitFor = waitForWithin(20_000);

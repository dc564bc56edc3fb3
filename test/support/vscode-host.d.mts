// Types for vscode-host.mjs (plain JavaScript so that node scripts can use it without a build).
import type { Browser } from 'playwright-core';

export declare const repoRoot: string;
export declare const hostDir: string;
export declare const serverMain: string;
export declare const chromiumPath: string;
export declare const testResultsDir: string;

export declare function assertHostInstalled(): void;

export interface ServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Added to the server's environment; the extension host inherits it. */
  env?: Record<string, string>;
  /** Merged over the quiet defaults written to User/settings.json. */
  settings?: Record<string, unknown>;
  /** Server output (and log() lines) go here. */
  logFile?: string;
  /** Extension folders linked into the extensions folder, loaded as installed extensions. */
  installExtensions?: string[];
  /** --enable-smoke-test-driver (default true): needed by the test automation hooks. */
  smokeTestDriver?: boolean;
  /** Keep workspace trust on (default off): the folder opens untrusted, in Restricted Mode. */
  workspaceTrust?: boolean;
  extraArgs?: string[];
  startTimeoutMs?: number;
}

export interface RunningServer {
  port: number;
  baseUrl: string;
  pid: number;
  dirs: { scratch: string; userData: string; extensions: string; serverData: string; xdgConfig: string; xdgData: string; tmp: string };
  log(line: string): void;
  stop(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export declare function startServer(options?: ServerOptions): Promise<RunningServer>;

export declare function workbenchUrl(
  baseUrl: string,
  target: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string },
): string;

export declare function launchBrowser(): Promise<Browser>;

export declare function copyWorkspace(source: string, options?: { git?: boolean }): Promise<string>;

export declare function killGroup(pid: number, signal: NodeJS.Signals): void;

export declare function delay(ms: number): Promise<void>;

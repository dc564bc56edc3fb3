// Types for vscode-host.mjs (plain JavaScript so that node scripts can use it without a build).
import type { Browser } from 'playwright-core';

export declare const repoRoot: string;
export declare const hostDir: string;
export declare const serverMain: string;
export declare const chromiumPath: string;
export declare const testResultsDir: string;

/** A VS Code server to run tests on: its server-main.js and the Node that runs it. */
export interface VsCodeHost {
  name: 'oldest' | 'newest';
  vscode: string;
  serverMain: string;
  node: string;
}
export declare const hosts: { oldest: VsCodeHost; newest: VsCodeHost };
/** The host named by EXPTRACK_VSCODE_HOST (oldest or newest), else the oldest. */
export declare function selectedHost(): VsCodeHost;

export declare function assertHostInstalled(host?: VsCodeHost): void;

export interface ServerOptions {
  /** Which VS Code server (default: the oldest supported). */
  host?: VsCodeHost;
  /** Packages (.vsix) installed with the server's --install-extension before it starts. */
  installVsix?: string[];
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

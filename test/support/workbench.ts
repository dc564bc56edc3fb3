// Helpers for UI tests that click through the real VS Code workbench (VS Code server + headless
// chromium, see vscode-host.mjs). A UI test file usually needs one workbench for all its tests:
//
//   describe('runs view', function () {
//     const wb = useWorkbench();                 // starts in before(), stops in after()
//     it('shows the runs', async () => {
//       await wb().openExperiments();
//       await wb().screenshot('runs-view');
//     });
//   });
import { mkdir, readdir, readFile, rm } from 'fs/promises';
import * as path from 'path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import {
  copyWorkspace,
  delay,
  launchBrowser,
  repoRoot,
  selectedHost,
  startServer,
  testResultsDir,
  workbenchUrl,
  type RunningServer,
} from './vscode-host.mjs';

export const extensionId = 'exptrack.exptrack';
export const experimentsIcon = '.activitybar .action-item a[aria-label^="Experiments"]';
/** The fixture workspace shared with the integration tests. */
export const sampleWorkspace = path.join(repoRoot, 'test/integration/workspace');

export interface WorkbenchOptions {
  /** Folder copied to a temp git repository and opened; defaults to the sample workspace. */
  workspace?: string;
  /** A workspace file whose explorer entry shows that the workbench is connected. */
  readyFile?: string;
  /** A `.code-workspace` file in the workspace copy, opened (a multi-root workspace) instead of the folder. */
  workspaceFile?: string;
  /** The extension under test; defaults to EXPTRACK_EXTENSION_PATH or the repository. */
  extensionPath?: string;
  /**
   * A packaged extension (.vsix) installed with the server's --install-extension, as a user
   * installs it; the workbench then opens without a development extension.
   */
  vsix?: string;
  /** Added to the server environment (the extension host inherits it). */
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Open the folder untrusted (Restricted Mode) instead of with trust disabled. */
  workspaceTrust?: boolean;
  /**
   * Extension folders loaded beside the one under test, as installed extensions (e.g. a test-only
   * notebook controller): the web workbench takes only one extensionDevelopmentPath.
   */
  installExtensions?: string[];
  viewport?: { width: number; height: number };
  /** Server log file; defaults to test-results/ui-server.log. */
  logFile?: string;
  /**
   * Called with the workspace copy before the workbench opens it (e.g. to make it read-only);
   * what it returns is called when the workbench closes, before the copy is removed.
   */
  prepare?: (workspace: string) => void | (() => void) | Promise<void | (() => void)>;
}

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly workspace: string,
    private readonly browser: Browser,
    private readonly server: RunningServer,
    private readonly undoPrepare?: () => void,
  ) {}

  /**
   * Starts the server with the extension as a development extension, opens a copy of the
   * workspace and waits until the explorer lists `readyFile` and the Experiments icon is shown.
   */
  static async open(options: WorkbenchOptions = {}): Promise<Workbench> {
    const workspace = await copyWorkspace(options.workspace ?? sampleWorkspace);
    const extensionPath = options.extensionPath ?? process.env.EXPTRACK_EXTENSION_PATH ?? repoRoot;
    let server: RunningServer | undefined;
    let browser: Browser | undefined;
    let undoPrepare: (() => void) | undefined;
    try {
      undoPrepare = (await options.prepare?.(workspace)) ?? undefined;
      server = await startServer({
        host: selectedHost(),
        installVsix: options.vsix ? [options.vsix] : [],
        env: { EXPTRACK_TEST: '1', EXPTRACK_TEST_WORKSPACE: workspace, ...options.env },
        settings: options.settings,
        workspaceTrust: options.workspaceTrust,
        installExtensions: options.installExtensions,
        logFile: options.logFile ?? path.join(testResultsDir, 'ui-server.log'),
      });
      browser = await launchBrowser();
      const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
      const log = server.log;
      page.on('pageerror', (err) => log(`[page error] ${err.stack ?? err}`));
      const opened = options.workspaceFile ? path.join(workspace, options.workspaceFile) : workspace;
      await page.goto(workbenchUrl(server.baseUrl, { folder: opened, extensionDevelopmentPath: options.vsix ? undefined : extensionPath }));
      const wb = new Workbench(page, workspace, browser, server, undoPrepare);
      await wb.explorerRow(options.readyFile ?? 'train.py').waitFor({ timeout: 60_000 });
      await page.locator(experimentsIcon).waitFor({ timeout: 30_000 });
      return wb;
    } catch (err) {
      await browser?.close().catch(() => {});
      await server?.stop();
      undoPrepare?.();
      await rm(workspace, { recursive: true, force: true });
      throw err;
    }
  }

  /** The server's extensions folder (where --install-extension unpacked a .vsix). */
  get extensionsDir(): string {
    return this.server.dirs.extensions;
  }

  explorerRow(name: string) {
    return this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  }

  /** Clicks the Experiments activity-bar icon unless its view container is already showing. */
  async openExperiments(): Promise<void> {
    const item = this.page.locator('.activitybar .action-item', {
      has: this.page.locator('a[aria-label^="Experiments"]'),
    });
    const runs = this.viewHeader('Runs');
    // The active view container's item carries the `checked` class; clicking it again would hide it.
    // After a reload the side bar may become active just after the check, and the click hides it
    // again: then the view is not shown, the item is no longer checked, and it is clicked once more.
    for (let attempt = 1; ; attempt++) {
      if (await runs.isVisible()) return;
      if (!((await item.getAttribute('class')) ?? '').split(' ').includes('checked')) {
        await this.page.locator(experimentsIcon).click();
      }
      try {
        await runs.waitFor({ timeout: 10_000 });
        return;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
  }

  /** The header of a view in the side bar, e.g. viewHeader('Runs'). */
  viewHeader(name: string) {
    return this.page.locator(`.sidebar .pane-header[aria-label^="${name} "]`);
  }

  /** The body of a side-bar view, below its header. */
  viewBody(name: string) {
    const header = this.page.locator(`.pane-header[aria-label^="${name} "]`);
    return this.page.locator('.sidebar .pane', { has: header }).locator('.pane-body');
  }

  /** Collapses the named side-bar views (e.g. to give the view below them room). */
  async collapseViews(...names: string[]): Promise<void> {
    for (const name of names) {
      const header = this.viewHeader(name);
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
  }

  /** Ticks a run's compare checkbox in the Runs view (no-op when it is ticked already). */
  async tickRun(runName: string): Promise<void> {
    const box = this.viewBody('Runs').getByRole('checkbox', { name: `Compare ${runName}`, exact: true });
    await box.waitFor({ timeout: 30_000 });
    if ((await box.getAttribute('aria-checked')) !== 'true') await box.click();
  }

  /** Waits until a view shows content from its provider: tree rows or a welcome view. */
  async waitForViewContent(name: string, timeoutMs = 30_000): Promise<void> {
    await this.viewBody(name).locator('.monaco-list-row, .welcome-view-content').first().waitFor({ timeout: timeoutMs });
  }

  /** The labels of the rows a side-bar tree view shows (only rows scrolled into view exist). */
  treeRows(viewName: string): Promise<string[]> {
    return this.viewBody(viewName).locator('.monaco-list-row').allInnerTexts();
  }

  /** Opens a workspace file in the editor through Quick Open and waits for its tab. */
  async openFile(relativePath: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await this.page.keyboard.press('Control+P');
    const input = widget.locator('input[type="text"]');
    await input.waitFor();
    await input.fill(relativePath);
    const name = path.basename(relativePath);
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor();
    // The tab comes first; a text editor holds the file (and the extension host hears of it) once its text has loaded.
    if (!name.endsWith('.ipynb')) await this.page.locator(`.editor-group-container.active .monaco-editor[data-uri$="/${encodeURIComponent(name)}"]`).first().waitFor();
  }

  runCommand(title: string) {
    return runCommand(this.page, title);
  }

  readNotifications() {
    return readNotifications(this.page);
  }

  waitForNotification(match: string | RegExp, timeoutMs?: number) {
    return waitForNotification(this.page, match, timeoutMs);
  }

  webviewFrame() {
    return webviewFrame(this.page);
  }

  findWebview(selector: string, timeoutMs?: number) {
    return findWebview(this.page, selector, timeoutMs);
  }

  screenshot(name: string) {
    return screenshot(this.page, name);
  }

  /**
   * What the extension's log Output channel `channel` (e.g. "ExpTrack") holds so far, read from the
   * file the extension host writes it to (all of it, where the Output view shows what fits).
   */
  async readOutputLog(channel: string): Promise<string> {
    const logs = path.join(this.server.dirs.userData, 'logs');
    const files = (await readdir(logs, { recursive: true }).catch(() => [] as string[]))
      .filter((f) => path.basename(f) === `${channel}.log` && path.basename(path.dirname(f)) === extensionId);
    const texts = await Promise.all(files.map((f) => readFile(path.join(logs, f), 'utf8')));
    return texts.join('');
  }

  async close(): Promise<void> {
    await Promise.race([this.browser.close().catch(() => {}), delay(5000)]);
    await this.server.stop();
    this.undoPrepare?.();
    await rm(this.workspace, { recursive: true, force: true });
  }
}

/**
 * Registers before/after hooks in the enclosing describe() that open one workbench for all its
 * tests and close it again; a failing test leaves a screenshot `<test title>-failed.png`.
 */
export function useWorkbench(options: WorkbenchOptions = {}): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(180_000);
    const file = this.test?.file;
    const logFile = file && path.join(testResultsDir, `${path.basename(file).replace(/\.ts$/, '')}-server.log`);
    wb = await Workbench.open({ logFile, ...options });
  });
  afterEach(async function () {
    if (wb && this.currentTest?.state === 'failed') {
      await wb.screenshot(`${this.currentTest.fullTitle()}-failed`).catch(() => {});
    }
  });
  after(async function () {
    this.timeout(30_000);
    await wb?.close();
  });
  return () => {
    if (!wb) throw new Error('the workbench is not open (did before() fail?)');
    return wb;
  };
}

/**
 * Opens the F1 quick input and types `text`. An editor that takes the focus just then (one a
 * command before opened) closes the quick input again: then it is opened once more.
 */
async function typeInCommandPalette(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input[type="text"]');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.fill(text, { timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** Runs a command through the F1 quick input, picking the entry whose label is exactly `title`. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await typeInCommandPalette(page, `>${title}`);
  const row = widget
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
    .first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await widget.waitFor({ state: 'hidden' });
}

/** Reloads the window with "Developer: Reload Window" and waits until the new workbench shows the Experiments icon. */
export async function reloadWindow(wb: Workbench): Promise<void> {
  const reloaded = wb.page.waitForEvent('domcontentloaded', { timeout: 60_000 });
  await wb.runCommand('Developer: Reload Window').catch(() => undefined); // the page goes away mid-wait
  await reloaded;
  await wb.page.locator(experimentsIcon).waitFor({ timeout: 60_000 });
}

const quickInput = '.quick-input-widget';

/**
 * Runs a command from F1. Unlike runCommand() it does not wait for the quick input to close: for
 * commands that open their own first step in it at once.
 */
export async function startCommand(page: Page, title: string): Promise<void> {
  const widget = page.locator(quickInput);
  await typeInCommandPalette(page, `>${title}`);
  await widget.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: title }) }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * Waits for the quick input step whose title contains `title`, types `text` and presses Enter;
 * with `expectFocused`, only once the focused row holds that text.
 */
export async function answer(page: Page, title: string, text: string, expectFocused?: string): Promise<void> {
  const widget = page.locator(quickInput);
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 20_000 });
  await widget.locator('input[type="text"]').fill(text);
  if (expectFocused !== undefined) {
    await widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: expectFocused }).first().waitFor({ timeout: 10_000 });
  }
  await page.keyboard.press('Enter');
}

/** Records dialogs (an alert is an XSS that ran; each is dismissed) and errors from ExpTrack's webviews. */
export function watchPage(page: Page) {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    const url = m.location().url;
    const fromUs = url.includes(`extensionId=${extensionId}`) || url.includes('/dist/webview/') || /Content Security Policy/i.test(m.text());
    if (m.type() === 'error' && fromUs) seen.errors.push(`${m.text()} @ ${url}`);
  });
  return seen;
}

const notificationMessages = '.notification-list-item-message';

/** All notification messages, read from the notification centre (toasts can be hidden already). */
export async function readNotifications(page: Page): Promise<string[]> {
  await runCommand(page, 'Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  await center.waitFor();
  const texts = await center.locator(notificationMessages).allInnerTexts();
  await runCommand(page, 'Notifications: Hide Notifications');
  return texts;
}

/**
 * Waits for a notification (toast or centre) whose message matches; returns its text. Newer
 * VS Code (1.139) may put a notification only in the centre without a toast: while none shows,
 * the centre is read every few seconds.
 */
export async function waitForNotification(page: Page, match: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const matches = (text: string) => (typeof match === 'string' ? text.includes(match) : match.test(text));
  const deadline = Date.now() + timeoutMs;
  let nextCentreRead = Date.now() + 3_000;
  for (;;) {
    const found = (await page.locator(notificationMessages).allInnerTexts()).find(matches);
    if (found !== undefined) return found;
    if (Date.now() >= nextCentreRead || Date.now() >= deadline) {
      const all = await readNotifications(page);
      const inCentre = all.find(matches);
      if (inCentre !== undefined) return inCentre;
      if (Date.now() >= deadline) throw new Error(`no notification matching ${match} within ${timeoutMs} ms; notifications: ${JSON.stringify(all)}`);
      nextCentreRead = Date.now() + 3_000;
    }
    await page.waitForTimeout(250);
  }
}

const webviewSelector = `iframe.webview.ready[src*="extensionId=${extensionId}"]`;

/** The content frame of the (first) ExpTrack webview: outer webview iframe → iframe#active-frame. */
export function webviewFrame(page: Page): FrameLocator {
  return page.locator(webviewSelector).first().contentFrame().locator('iframe#active-frame').contentFrame();
}

/** The content frame of the ExpTrack webview that contains `selector` (several may be open). */
export async function findWebview(page: Page, selector: string, timeoutMs = 30_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const outer = page.locator(webviewSelector);
    for (let i = 0; i < (await outer.count()); i++) {
      const frame = outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no ${extensionId} webview contains ${selector} within ${timeoutMs} ms; open: ${await describeWebviews(page)}`);
}

/** What each ExpTrack webview shows (its first words), or that there is none, for a failure message. */
async function describeWebviews(page: Page): Promise<string> {
  const outer = page.locator(`iframe.webview[src*="extensionId=${extensionId}"]`);
  const seen: string[] = [];
  for (let i = 0; i < (await outer.count().catch(() => 0)); i++) {
    const ready = ((await outer.nth(i).getAttribute('class').catch(() => '')) ?? '').includes('ready');
    const body = outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame().locator('body');
    const text = await body.innerText({ timeout: 1000 }).catch(() => '(no page)');
    seen.push(`${ready ? '' : '[not ready] '}${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 160))}`);
  }
  return seen.length ? seen.join('; ') : 'none';
}

/** Saves a PNG of the page as test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(testResultsDir, { recursive: true });
  const file = path.join(testResultsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

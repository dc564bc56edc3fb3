// Every ExpTrack webview — the Compare side-bar view, the Compare panel, the Schema Diff, Lineage
// and Model Version panels — in the real workbench, on a workspace whose run names, experiments,
// parameters, metric keys, tags, notes, dataset paths, CSV column names, model names, aliases and
// derivations are XSS payloads (securityFixtures.ts):
// 1. each page's Content-Security-Policy is strict (default-src 'none', scripts only with the
//    load's nonce, no 'unsafe-inline' / 'unsafe-eval') and the browser enforces it;
// 2. every payload is shown as text — in each webview and in the Runs, Models and Datasets trees —
//    and none runs: no dialog, no `window.__pwned` in any frame, no element made from one;
// 3. seeded random and malformed messages posted from each page to the host are ignored and
//    logged ("ignored an invalid message" in the ExpTrack log), and the page still works after.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import type { Frame, Locator, Page } from 'playwright-core';
import { createCompareProtocol } from '../../src/shared/protocol/compare';
import { createLineageProtocol } from '../../src/shared/protocol/lineage';
import { createModelVersionProtocol } from '../../src/shared/protocol/modelVersion';
import { createSchemaDiffProtocol } from '../../src/shared/protocol/schemaDiff';
import { answer, startCommand, useWorkbench, watchPage, type Workbench } from '../support/workbench';
import { CORPUS, DATASET_A, FIELDS, securityWorkspace } from './securityFixtures';

/** How many invalid messages each page posts to the host. */
const MESSAGES_PER_WEBVIEW = 50;
const SEED = 20261122;

// ---- the pwned trap ---------------------------------------------------------------------------

/**
 * Installed in every frame (existing ones now, new ones through an init script, which reaches the
 * webviews' inner frames too): a write to `window.__pwned` — what each payload does if it runs —
 * is kept and reported to the test at once, so even a frame discarded before the test looks at it
 * (a hidden panel's page is) cannot hide it. Plain JavaScript text: a function would be sent as
 * its transpiled source, which can call helpers the page does not have.
 */
const PWNED_TRAP = `(() => {
  if (window.__exptrackTrapped) return;
  let value;
  Object.defineProperty(window, '__pwned', {
    configurable: false,
    get: () => value,
    set: (v) => {
      value = v;
      if (typeof window.__exptrackPwned === 'function') window.__exptrackPwned(location.href);
    },
  });
  window.__exptrackTrapped = true;
})()`;

async function installPwnedTrap(page: Page, hits: string[]): Promise<void> {
  await page.exposeBinding('__exptrackPwned', (_source, where: string) => void hits.push(where));
  await page.addInitScript({ content: PWNED_TRAP });
  for (const frame of page.frames()) await frame.evaluate(PWNED_TRAP);
}

/** `window.__pwned` in every frame of the page (the workbench, webview shells and pages). */
async function pwnedFrames(page: Page): Promise<string[]> {
  const set: string[] = [];
  for (const frame of page.frames()) {
    const value = await frame.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned).catch(() => undefined);
    if (value !== undefined) set.push(`${frame.url()}: ${String(value)}`);
  }
  return set;
}

// ---- webviews ---------------------------------------------------------------------------------

interface WebviewFrames {
  /** The extension's page (iframe#active-frame). */
  content: Frame;
  /** VS Code's webview shell around it, which forwards the page's messages to the host. */
  host: Frame;
}

/** The frames of the ExpTrack webview whose page shows `selector` (several can be open). */
async function webviewFrames(wb: Workbench, selector: string): Promise<WebviewFrames> {
  await wb.findWebview(selector, 60_000);
  for (const frame of wb.page.frames()) {
    const host = frame.parentFrame();
    if (host && host.url().includes('extensionId=exptrack.exptrack') && (await frame.locator(selector).count().catch(() => 0)) > 0) {
      return { content: frame, host };
    }
  }
  throw new Error(`no frame shows ${selector}`);
}

/** An inline script the CSP must refuse; Chrome names a refused inline script by its hash. */
const CSP_PROBE = 'window.__cspProbe = true';
const CSP_PROBE_HASH = `sha256-${createHash('sha256').update(CSP_PROBE).digest('base64')}`;

/** Checks the page's CSP and that the browser enforces it; returns the policy for printing. */
async function checkCsp(name: string, content: Frame): Promise<string> {
  const csp = (await content.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
  assert.deepStrictEqual(directives.get('default-src'), ["'none'"], `${name}: default-src 'none' (${csp})`);
  const scriptSrc = directives.get('script-src') ?? [];
  assert.strictEqual(scriptSrc.length, 1, `${name}: scripts only by nonce (${csp})`);
  const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSrc[0]!)?.[1];
  assert.ok(nonce, `${name}: a script nonce (${csp})`);
  assert.doesNotMatch(csp, /'unsafe-/, `${name}: no 'unsafe-inline', 'unsafe-eval' or the like (${csp})`);
  const wildcards = [...directives.values()].flat().filter((v) => v === '*');
  assert.deepStrictEqual(wildcards, [], `${name}: no directive allows everything (${csp})`);

  // In the browser: the page's scripts carry this load's nonce, and an inline script without it is
  // refused (a CSP the browser ignored — e.g. a meta tag placed too late — would let it run).
  const seen = await content.locator('body').evaluate(async (body, probe) => {
    const doc = body.ownerDocument;
    const w = doc.defaultView as unknown as { __cspProbe?: boolean; setTimeout(f: () => void, ms: number): number };
    const meta = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')!;
    // Node.DOCUMENT_POSITION_PRECEDING: the script comes before the policy.
    const scripts = [...doc.scripts].map((s) => ({ id: s.id, src: s.src, nonce: s.nonce ?? '', beforeCsp: (meta.compareDocumentPosition(s) & 2) !== 0 }));
    const refused = new Promise<string>((resolve) => {
      doc.addEventListener('securitypolicyviolation', (e: unknown) => resolve((e as { violatedDirective: string }).violatedDirective), { once: true });
      w.setTimeout(() => resolve('no violation reported'), 5000);
    });
    const s = doc.createElement('script');
    s.textContent = probe;
    body.append(s);
    const directive = await refused;
    s.remove();
    return { scripts, directive, ran: w.__cspProbe === true };
  }, CSP_PROBE);
  // VS Code's own acquireVsCodeApi script is put in front of the page's head, before the policy
  // applies; every other script is the page's and carries the nonce.
  const ours = seen.scripts.filter((s) => !(s.id === '_vscodeApiScript' && s.beforeCsp));
  assert.ok(ours.length >= 1 && ours.every((s) => s.src !== ''), `${name}: the page's bundle, no inline script: ${JSON.stringify(seen.scripts)}`);
  for (const s of ours) assert.strictEqual(s.nonce, nonce, `${name}: script ${s.src} has the nonce`);
  assert.strictEqual(seen.ran, false, `${name}: an inline script without the nonce did not run`);
  assert.match(seen.directive, /^script-src/, `${name}: the CSP refused it`);
  return csp.replace(/'nonce-[^']+'/, "'nonce-…'");
}

/**
 * The payloads are in the page as text: all of them in its text, the `exact` ones each the whole
 * text of an element matching `selector`; and no element was made from one.
 */
async function checkShownAsText(name: string, content: Frame, exact: { selector: string; payloads: readonly string[] }): Promise<void> {
  const text = (await content.locator('body').textContent()) ?? '';
  for (const p of CORPUS) assert.ok(text.includes(p), `${name}: shows ${p} as text`);
  const texts = await content.locator(exact.selector).allTextContents();
  for (const p of exact.payloads) assert.ok(texts.includes(p), `${name}: a ${exact.selector} reads exactly ${p}; they read ${JSON.stringify(texts)}`);
  const made = await content.locator('img, iframe, object, embed, [onerror], [onload], a[href^="javascript:" i]').count();
  assert.strictEqual(made, 0, `${name}: no element made from a payload`);
  const state = await content.evaluate(() => {
    const w = globalThis as unknown as { __pwned?: unknown; __exptrackTrapped?: boolean; __exptrackPwned?: unknown };
    return { pwned: w.__pwned, trapped: w.__exptrackTrapped === true, reporting: typeof w.__exptrackPwned === 'function' };
  });
  assert.deepStrictEqual(state, { pwned: undefined, trapped: true, reporting: true }, `${name}: the trap is set and untouched`);
}

// ---- invalid messages -------------------------------------------------------------------------

interface MessageSchema {
  safeParse(raw: unknown): { success: boolean };
}

/** mulberry32: a small seeded PRNG, so every run posts the same messages. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The message types of a webview → host union and their fields, read from its zod schema. */
function messageShapes(schema: MessageSchema): { type: string; fields: string[] }[] {
  type Def = { _zod: { def: { options?: Def[]; shape?: Record<string, Def>; values?: unknown[] } } };
  return ((schema as unknown as Def)._zod.def.options ?? []).map((o) => {
    const shape = o._zod.def.shape ?? {};
    return { type: String(shape.type?._zod.def.values?.[0]), fields: Object.keys(shape).filter((k) => k !== 'type') };
  });
}

/**
 * `count` messages the protocol rejects, as JSON text: what reaches the host went through JSON,
 * so a value JSON cannot hold (NaN, undefined) must not turn into a valid message on the way, and
 * a `__proto__` key must stay a key. Each kind comes round in turn: not an object, no type, a
 * type that is not a string, unknown and look-alike type names, the page's own types with fields
 * of the wrong type, prototype-pollution keys, huge strings and lists, deep nesting.
 */
function invalidMessages(schema: MessageSchema, seed: number, count: number): string[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const shapes = messageShapes(schema);
  const withFields = shapes.filter((s) => s.fields.length > 0);
  const allFields = [...new Set(shapes.flatMap((s) => s.fields))];
  const text = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + int(95))).join('');
  const nest = (depth: number): unknown => {
    let v: unknown = pick(['x', 1, null]);
    for (let d = 0; d < depth; d++) v = rnd() < 0.5 ? [v] : { [pick(allFields)]: v };
    return v;
  };
  const junk = (depth = 0): unknown => {
    switch (int(depth > 1 ? 6 : 9)) {
      case 0: return null;
      case 1: return pick([true, false]);
      case 2: return pick([0, -1, 1.5, -0.5, 1e308, 2 ** 53 + 1]);
      case 3: return text(int(40));
      case 4: return pick(['', ' ', '5', 'true', 'null', '\u0000', '\u202e', ...CORPUS]);
      case 5: return 'x'.repeat(pick([2_001, 3_001, 20_000]));
      case 6: return Array.from({ length: int(4) }, () => junk(depth + 1));
      case 7: return Object.fromEntries(Array.from({ length: 1 + int(3) }, () => [pick([...allFields, text(6)]), junk(depth + 1)]));
      default: return Array.from({ length: 6_000 }, (_, i) => (i % 3 === 0 ? i : `run-${i}`));
    }
  };
  const badFields = (fields: string[]) =>
    Object.fromEntries(fields.filter(() => rnd() < 0.8).map((f) => [f, junk()]));
  const kinds: (() => string)[] = [
    // Not an object at all.
    () => JSON.stringify(pick<unknown>([null, 0, 1.5, true, 'ready', [], [{ type: pick(shapes).type }], text(20)])),
    // No type.
    () => JSON.stringify(badFields(pick(withFields).fields)),
    // A type that is not a string.
    () => JSON.stringify({ type: pick<unknown>([null, 1, true, [pick(shapes).type], { type: pick(shapes).type }]), ...badFields(allFields) }),
    // Unknown and look-alike type names.
    () => JSON.stringify({
      type: pick(['runShell', 'eval', 'executeCommand', 'openExternal', 'setState', 'READY', `${pick(shapes).type} `, ` ${pick(shapes).type}`,
        `${pick(shapes).type}\u0000`, pick(shapes).type.toUpperCase(), '', text(12), ...CORPUS]),
      command: 'rm -rf /', ...badFields(allFields),
    }),
    // The page's own message types with bad fields.
    () => {
      const shape = pick(withFields);
      return JSON.stringify({ type: shape.type, ...badFields(shape.fields) });
    },
    // Prototype-pollution keys (written as JSON text: in an object literal `__proto__` would set the prototype).
    () => {
      const shape = pick(shapes);
      const field = pick(allFields);
      return pick([
        `{"__proto__":{"type":${JSON.stringify(shape.type)},"polluted":true}}`,
        `{"constructor":{"prototype":{"type":${JSON.stringify(shape.type)},"polluted":true}}}`,
        `{"type":${JSON.stringify(pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__']))}}`,
        `{"type":${JSON.stringify(pick(withFields).type)},${JSON.stringify(field)}:{"__proto__":{"polluted":true}},"__proto__":{"${field}":"x"}}`,
      ]);
    },
    // Huge: a type name or a field far over every limit.
    () => {
      const shape = pick(withFields);
      return rnd() < 0.3
        ? JSON.stringify({ type: 'x'.repeat(500_000) })
        : JSON.stringify({ type: shape.type, [pick(shape.fields)]: pick<unknown>(['A'.repeat(200_000 + int(800_000)), Array.from({ length: 10_000 }, () => 'run')]) });
    },
    // Deep nesting.
    () => JSON.stringify(rnd() < 0.5 ? nest(50 + int(100)) : { type: pick(withFields).type, [pick(allFields)]: nest(50 + int(100)) }),
  ];
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    assert.ok(i < count * 20, 'the generator keeps finding valid messages');
    const message = kinds[i % kinds.length]!();
    if (!schema.safeParse(JSON.parse(message)).success) out.push(message);
  }
  return out;
}

/** Counts the log lines in which `logName` says it ignored an invalid message. */
async function ignoredCount(wb: Workbench, logName: string): Promise<number> {
  const log = await wb.readOutputLog('ExpTrack');
  return log.split('\n').filter((l) => l.includes(`${logName}: ignored an invalid message`)).length;
}

/** Waits until `check` returns true (polling; the log file is written a moment after the host logs). */
async function waitUntil(page: Page, what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(200);
  }
}

// ---- the webviews under test ------------------------------------------------------------------

interface WebviewSpec {
  /** As the host names the page in its log lines. */
  name: string;
  /** Something only this page shows, once its data has arrived. */
  selector: string;
  schema: MessageSchema;
  /** Elements whose whole text must be these payloads. */
  exact: { selector: string; payloads: readonly string[] };
  /** Opens the webview (from the state the previous test left). */
  open(wb: Workbench): Promise<void>;
  /** A real interaction that needs the host to answer; resolves once it did. */
  stillWorks(wb: Workbench, content: Frame): Promise<void>;
}

const runNames = [FIELDS.runA, FIELDS.runB, FIELDS.runC];

/** Expands the side-bar view `name` and collapses the others, so its rows have room. */
async function showOnly(wb: Workbench, name: string): Promise<void> {
  await wb.openExperiments();
  // Until the first runs are listed the Runs view shows its welcome, whose "Run Active File with
  // Tracking" button opens a quick pick that stays open: a header click while the view lays out
  // can land on it. Clicks wait for the runs.
  if ((await wb.viewHeader('Runs').getAttribute('aria-expanded')) === 'true') {
    await wb.viewBody('Runs').locator('.monaco-list-row').first().waitFor({ timeout: 60_000 });
  }
  for (const other of ['Runs', 'Compare', 'Models', 'Datasets']) {
    const header = wb.viewHeader(other);
    const expanded = (await header.getAttribute('aria-expanded')) === 'true';
    if (expanded !== (other === name)) await header.click();
  }
}

/** The active editor tab whose label contains `label`. */
function tab(page: Page, label: string): Locator {
  return page.locator('.tabs-container .tab.active').filter({ hasText: label }).first();
}

/** The Compare view and panel speak the same protocol. */
const compareMessages = createCompareProtocol().webviewMessage;

const webviews: WebviewSpec[] = [
  {
    name: 'Compare view',
    selector: 'ul.runs li.run',
    schema: compareMessages,
    exact: { selector: '.run-name', payloads: runNames },
    async open(wb) {
      await showOnly(wb, 'Compare');
      // No run ticked yet: "Choose Runs…" in the view ticks all three through the quick pick.
      const view = await wb.findWebview('#pick-runs');
      await view.locator('#pick-runs').click();
      const widget = wb.page.locator('.quick-input-widget');
      await widget.locator('.quick-input-title', { hasText: 'Runs to compare' }).waitFor();
      await widget.getByRole('checkbox', { name: 'Toggle all checkboxes' }).click();
      await wb.page.keyboard.press('Enter');
      await view.locator('ul.runs li.run').nth(2).waitFor();
      // The metrics table of every key is drawn once the summaries arrived.
      await view.locator('.metric-key').nth(2).waitFor();
    },
    async stillWorks(_wb, content) {
      const input = content.locator('#at-step input');
      await input.fill('4');
      await input.press('Enter');
      await content.locator('th', { hasText: '@4' }).first().waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'Compare panel',
    selector: '.chart-grid',
    schema: compareMessages,
    exact: { selector: '.legend-name', payloads: runNames },
    async open(wb) {
      const view = await wb.findWebview('#open-panel');
      await view.locator('#open-panel').click();
      const panel = await wb.findWebview('.chart-grid');
      await panel.locator('.legend-row').nth(2).waitFor();
      await panel.locator('figure.chart-card[data-rendered="3"]').nth(2).waitFor();
      // Parameter keys and values are shown in the table tab.
      await panel.locator('[data-tab="table"]').click();
      await panel.locator('table.compare-table tbody tr').nth(2).waitFor();
    },
    async stillWorks(_wb, content) {
      // The x axis as wall time: the page asks the host for the times and draws once they came.
      await content.locator('[data-tab="curves"]').click();
      await content.locator('#x-axis').selectOption({ label: 'Wall time' });
      await content.locator('figure.chart-card canvas[aria-label*="over wall time"]').first().waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'Schema Diff panel',
    selector: '.schema-diff table.columns',
    schema: createSchemaDiffProtocol().webviewMessage,
    exact: { selector: 'td.column-name', payloads: FIELDS.columns },
    async open(wb) {
      const title = 'Diff Dataset Schemas';
      await startCommand(wb.page, `ExpTrack: ${title}`);
      await answer(wb.page, `${title} — what to compare`, 'Two files', 'Two files');
      await answer(wb.page, `${title} — first file (baseline)`, 'xss-a', 'xss-a.csv');
      await answer(wb.page, `${title} — second file (newer)`, 'xss-b', 'xss-b.csv');
      const panel = await wb.findWebview('.schema-diff table.columns');
      await panel.locator('table.columns tbody tr').nth(FIELDS.columns.length).waitFor();
    },
    async stillWorks(wb, content) {
      // "Open" on the baseline side: the host opens the file. The editor takes the focus a moment
      // after its tab shows; wait for that too, or it could close the next test's quick input.
      await content.locator('.side button.link').first().click();
      await tab(wb.page, DATASET_A.split('/').pop()!).waitFor({ timeout: 15_000 });
      await wb.page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'Lineage panel',
    selector: 'svg.graph g.node',
    schema: createLineageProtocol().webviewMessage,
    exact: { selector: 'svg.graph g.node > title', payloads: [`dataset ${FIELDS.datasetPath} (7 rows, cccccccc)`] },
    async open(wb) {
      await wb.runCommand('ExpTrack: Show Model Lineage');
      const panel = await wb.findWebview('svg.graph g.node');
      // 3 datasets, 3 runs, 3 model versions.
      await panel.locator('svg.graph g.node').nth(8).waitFor();
    },
    async stillWorks(wb, content) {
      // A click on run A's node: the host shows the run's details beside, with its note and tags.
      await content.locator('svg.graph g.node[data-id="run:sec-a"]').click();
      await tab(wb.page, `Run - ${FIELDS.runA}`).waitFor({ timeout: 15_000 });
      const lines = wb.page.locator('.editor-instance .view-lines').filter({ hasText: 'Tags' }).first();
      await lines.waitFor();
      const doc = (await lines.innerText()).replace(/\u00a0/g, ' ');
      for (const expected of [FIELDS.note, `${FIELDS.tagKey} = ${FIELDS.tagValue}`, `${FIELDS.eventTagKey} = ${FIELDS.eventTagValue}`]) {
        assert.ok(doc.includes(expected), `the run's details show ${expected}:\n${doc}`);
      }
    },
  },
  {
    name: 'Model Version panel',
    selector: '.model-version h1',
    schema: createModelVersionProtocol().webviewMessage,
    exact: { selector: 'table.grid td', payloads: [FIELDS.metricKey, FIELDS.metricKey2, FIELDS.paramKey, FIELDS.paramValue, ...FIELDS.columns] },
    async open(wb) {
      const title = 'Compare with Champion';
      await startCommand(wb.page, `ExpTrack: ${title}`);
      await answer(wb.page, `${title} — model`, 'svg onload', FIELDS.model);
      await answer(wb.page, `${title} — version of`, 'v2', 'v2');
      const panel = await wb.findWebview('.model-version h1');
      await panel.locator('.section', { hasText: 'columns compared' }).waitFor({ timeout: 30_000 });
    },
    async stillWorks(wb, content) {
      // The run link on v2's card: the host shows that run's details.
      await content.locator('.card-version a.link[title="Show run sec-b"]').click();
      await tab(wb.page, 'Run - <_script>').waitFor({ timeout: 15_000 });
    },
  },
];

describe('Webview security: strict CSP, payloads as text, invalid messages ignored', function () {
  this.timeout(120_000);
  const fixture = securityWorkspace();
  const wb = useWorkbench({ workspace: fixture });
  const pwnedHits: string[] = [];
  let seen: ReturnType<typeof watchPage>;
  /** One entry per webview that ignored every invalid message and still worked afterwards. */
  const results: { spec: WebviewSpec; sent: number; ignored: number }[] = [];

  before(async () => {
    seen = watchPage(wb().page);
    await installPwnedTrap(wb().page, pwnedHits);
  });
  after(() => fs.rmSync(fixture, { recursive: true, force: true }));
  afterEach(async () => {
    assert.deepStrictEqual(seen.dialogs, [], 'no dialog opened (an alert would be a payload that ran)');
    assert.deepStrictEqual(pwnedHits, [], 'no payload set window.__pwned in any frame');
  });

  for (const [i, spec] of webviews.entries()) {
    it(`${spec.name}: strict CSP, payloads shown as text, invalid messages ignored, still works`, async () => {
      const w = wb();
      await spec.open(w);
      const { content, host } = await webviewFrames(w, spec.selector);

      const csp = await checkCsp(spec.name, content);
      console.log(`      CSP ${spec.name}: ${csp}`);
      await checkShownAsText(spec.name, content, spec.exact);

      // Forged messages, posted the way the page's own postMessage is: through the webview shell.
      const messages = invalidMessages(spec.schema, SEED + i, MESSAGES_PER_WEBVIEW);
      const before = await ignoredCount(w, spec.name);
      await host.evaluate((texts) => {
        const post = (globalThis as unknown as Record<string, (channel: string, data: unknown) => void>).__vscode_post_message__!;
        for (const t of texts) post('onmessage', { message: JSON.parse(t) });
      }, messages);
      let ignored = 0;
      await waitUntil(w.page, `${messages.length} "${spec.name}: ignored an invalid message" lines`, async () => {
        ignored = (await ignoredCount(w, spec.name)) - before;
        return ignored >= messages.length;
      });
      // The Output view shows them too.
      await w.runCommand('ExpTrack: Show Log');
      await w.page.locator('.panel .view-lines', { hasText: `${spec.name}: ignored an invalid message` }).first().waitFor({ timeout: 15_000 });
      await w.runCommand('View: Hide Panel');

      // The page still shows its content and still gets answers from the host.
      await checkShownAsText(spec.name, content, spec.exact);
      await spec.stillWorks(w, content);
      console.log(`      messages ${spec.name}: ${messages.length} invalid sent, ${ignored} logged as ignored, still works`);
      assert.strictEqual(ignored, messages.length, 'each invalid message is logged once');
      results.push({ spec, sent: messages.length, ignored });
      assert.deepStrictEqual(await pwnedFrames(w.page), []);
    });
  }

  it('shows the payloads as text in the Runs, Models and Datasets trees', async () => {
    const w = wb();
    const { page } = w;
    /** The row of `view` whose label is exactly `label` (at that depth: a run and a parameter may share a name). */
    const row = async (view: string, label: string, level?: number) => {
      const rows = w.viewBody(view).locator(level === undefined ? '.monaco-list-row' : `.monaco-list-row[aria-level="${level}"]`);
      const r = rows.filter({ has: page.locator('.label-name', { hasText: label }) }).first();
      await r.waitFor({ timeout: 20_000 });
      assert.strictEqual(await r.locator('.label-name').textContent(), label, `${view}: a row reads exactly ${label}`);
      return r;
    };
    const expand = async (r: Locator) => {
      if ((await r.getAttribute('aria-expanded')) !== 'true') {
        await r.click();
        await page.keyboard.press('ArrowRight');
      }
    };

    await showOnly(w, 'Runs');
    await row('Runs', FIELDS.experiment);
    for (const name of runNames) await row('Runs', name);
    await expand(await row('Runs', FIELDS.runA));
    await expand(await row('Runs', 'Metrics'));
    await row('Runs', FIELDS.metricKey, 4);
    await row('Runs', FIELDS.metricKey2, 4);
    await expand(await row('Runs', 'Parameters'));
    const param = await row('Runs', FIELDS.paramKey, 4);
    assert.strictEqual(await param.locator('.label-description').textContent(), FIELDS.paramValue);
    await w.screenshot('security-runs-tree');

    await showOnly(w, 'Models');
    const model = await row('Models', FIELDS.model);
    assert.ok(((await model.locator('.label-description').textContent()) ?? '').includes(`@${FIELDS.alias}`), 'the alias as text');
    await row('Models', FIELDS.derivedModel);
    await w.screenshot('security-models-tree');

    await showOnly(w, 'Datasets');
    await expand(await row('Datasets', FIELDS.datasetPath));
    await expand(await row('Datasets', 'cccccccccccc'));
    await row('Datasets', FIELDS.runC);
    await w.screenshot('security-datasets-tree');

    const made = await page.locator('img[src="x"], [onerror], svg[onload]').count();
    assert.strictEqual(made, 0, 'no element made from a payload in the workbench');
    assert.deepStrictEqual(await pwnedFrames(page), []);
  });

  it('ran nothing anywhere, and every webview still works', async () => {
    const w = wb();
    // The only CSP violations are the probes' (one per page), named by the probe's hash.
    const violations = seen.errors.filter((e) => /Content Security Policy/i.test(e));
    const others = seen.errors.filter((e) => !/Content Security Policy/i.test(e));
    assert.ok(violations.every((e) => e.includes(CSP_PROBE_HASH)), `only the probes were refused: ${violations.join('\n')}`);
    assert.deepStrictEqual(others, [], 'no errors from the webviews');
    const log = await w.readOutputLog('ExpTrack');
    const blocked = log.split('\n').filter((l) => l.includes('blocked by the content security policy'));
    assert.strictEqual(blocked.length, webviews.length, `the pages reported only the probes as blocked:\n${blocked.join('\n')}`);
    assert.deepStrictEqual(seen.dialogs, []);
    assert.deepStrictEqual(pwnedHits, []);
    assert.deepStrictEqual(await pwnedFrames(w.page), []);
    // No invalid message was logged twice, or late.
    for (const r of results) assert.strictEqual(await ignoredCount(w, r.spec.name), r.ignored, `${r.spec.name}: ignored lines in the whole log`);
    const sent = results.reduce((n, r) => n + r.sent, 0);
    const ignored = results.reduce((n, r) => n + r.ignored, 0);
    console.log(`      ${webviews.length} webviews: ${sent} invalid messages sent, ${ignored} ignored; ${results.length} of ${webviews.length} still work`);
    assert.strictEqual(results.length, webviews.length, 'every webview passed');
  });
});

#!/usr/bin/env node
// Draws media/icon.png (128×128, the extension's icon in the Extensions view and the marketplace)
// from the activity-bar glyph media/experiments.svg, with Debian's chromium through playwright-core.
// Run again after changing the glyph: node scripts/draw-icon.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, repoRoot } from '../test/support/vscode-host.mjs';

const size = 128;
const glyph = readFileSync(path.join(repoRoot, 'media/experiments.svg'), 'utf8')
  .replace(/width="24" height="24"/, 'width="92" height="92"')
  .replaceAll('currentColor', '#ffffff');
const html = `<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:${size}px;height:${size}px;border-radius:24px;display:flex;align-items:center;justify-content:center;
  background:linear-gradient(145deg,#2f7fd8 0%,#1b4f9c 100%)">${glyph}</div></body></html>`;

const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(html);
  const out = path.join(repoRoot, 'media/icon.png');
  await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  console.log(`wrote ${path.relative(repoRoot, out)}`);
} finally {
  await browser.close();
}

// The "Get Started with ExpTrack" walkthrough in the workbench's Welcome editor, for the UI tests
// and the smoke suite: opening it as a user would, its steps, and whether a picture loaded.
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from './vscode-host.mjs';
import { extensionId, startCommand, type Workbench } from './workbench';

export interface WalkthroughStep {
  id: string;
  title: string;
  when?: string;
  media: { image?: string; altText?: string; markdown?: string };
}

export const walkthrough = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).contributes.walkthroughs[0] as {
  id: string;
  title: string;
  steps: WalkthroughStep[];
};

/** The steps shown in a trusted workspace (the Restricted Mode variant of the first is hidden). */
export const trustedSteps = walkthrough.steps.filter((s) => s.when !== '!isWorkspaceTrusted');

export const stepId = (id: string) => `${extensionId}#${walkthrough.id}#${id}`;

/** Opens the walkthrough as a user would: Welcome: Open Walkthrough..., then its title. */
export async function openWalkthrough(wb: Workbench): Promise<void> {
  const { page } = wb;
  await startCommand(page, 'Welcome: Open Walkthrough...');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input[placeholder="Select a walkthrough to open"]').fill(walkthrough.title);
  await widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: walkthrough.title }).waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.gettingStartedSlideDetails h2', { hasText: walkthrough.title }).waitFor({ timeout: 30_000 });
}

export function step(page: Page, id: string): Locator {
  return page.locator(`button.getting-started-step[data-step-id="${stepId(id)}"]`);
}

/** Expands a step, which shows its picture on the right. */
export async function selectStep(page: Page, id: string): Promise<void> {
  const button = step(page, id);
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.locator('h3.step-title').click();
  await page.locator(`button.getting-started-step.expanded[data-step-id="${stepId(id)}"]`).waitFor();
}

/** Waits until an image has loaded or failed; returns the width it decoded to (0: it did not load). */
export function loadedWidth(img: Locator): Promise<number> {
  return img.evaluate((el) => new Promise<number>((resolve) => {
    const image = el as unknown as { complete: boolean; naturalWidth: number; onload: (() => void) | null; onerror: (() => void) | null };
    if (image.complete) resolve(image.naturalWidth);
    else image.onload = image.onerror = () => resolve(image.naturalWidth);
  }));
}

/**
 * Expands each step and returns the width its picture decoded to (0: it did not load); a markdown
 * step's picture is the first image of the markdown, which must also show `markdownText`.
 */
export async function stepPictureWidths(page: Page, markdownText: string, afterStep?: (id: string) => Promise<unknown>): Promise<Map<string, number>> {
  const widths = new Map<string, number>();
  for (const s of trustedSteps) {
    await selectStep(page, s.id);
    const media = page.locator('.gettingStartedSlideDetails .getting-started-media');
    if (s.media.image) {
      // A srcset (shown at 1.5x) from the extension's folder, set a moment after the element.
      const img = media.locator(`img[alt="${s.media.altText}"][srcset*="${encodeURIComponent(s.media.image)}"]`);
      await img.waitFor();
      widths.set(s.media.image, await loadedWidth(img));
    } else {
      // Markdown media is drawn in a webview of the workbench's own (no extension id on it).
      const doc = media.locator('iframe.webview.ready').contentFrame().locator('iframe#active-frame').contentFrame();
      await doc.locator('code', { hasText: markdownText }).first().waitFor({ timeout: 30_000 });
      const img = doc.locator('img').first();
      await img.waitFor();
      widths.set(s.media.markdown!, await loadedWidth(img));
    }
    await afterStep?.(s.id);
  }
  return widths;
}

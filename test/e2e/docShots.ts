/**
 * The pictures in docs/: the browser tests take them at the moment the user guide describes (a run with its
 * curves, each tab with real content), so every run of test/e2e/workbench.test.ts redraws them from the current
 * UI and they never go stale. They are committed, so the README and the guide show them on GitHub; a test run
 * that changed nothing the guide shows still rewrites them (timings and ETA differ), and `git checkout
 * docs/images` puts the committed ones back.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright';

export const DOC_IMAGES = resolve(import.meta.dirname, '../../docs/images');

/** Names become file names and links in the docs: lower-case words joined by dashes. */
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** CSS pixels of page kept around a panel, so its border is not cut. */
const MARGIN = 8;

/**
 * Writes docs/images/<name>.png: the whole page (scrolled content included), or only `target` when given (a
 * panel, so the picture shows what its paragraph is about at a readable size).
 */
export async function docShot(page: Page, name: string, target?: Locator): Promise<void> {
  if (!NAME.test(name)) throw new Error(`doc screenshot name "${name}" must be lower-case words joined by dashes`);
  mkdirSync(DOC_IMAGES, { recursive: true });
  const path = join(DOC_IMAGES, `${name}.png`);
  // From the top, so the sticky header sits above the content rather than across whatever was scrolled to;
  // a panel is cut out of the full page for the same reason (an element shot would scroll it under the header).
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = target ? await target.boundingBox() : null;
  if (target && !box) throw new Error(`doc screenshot "${name}": the element to show is not visible`);
  const clip = box ? { x: Math.max(0, box.x - MARGIN), y: Math.max(0, box.y - MARGIN), width: box.width + 2 * MARGIN, height: box.height + 2 * MARGIN } : undefined;
  // No text caret in a field the test just typed into; the charts draw without animation already.
  await page.screenshot({ path, fullPage: true, caret: 'hide', ...(clip ? { clip } : {}) });
}

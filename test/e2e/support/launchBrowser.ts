import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { e2eCacheDir } from './CodeServer';

export const chromiumPath = '/usr/bin/chromium';
export const screenshotsDir = join(e2eCacheDir, 'screenshots');

// The background-networking flags keep Chromium from flooding a network it cannot reach.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Debian Chromium with a fresh profile under `parentDir` (installed by test/e2e/setup.mjs). */
export async function launchBrowser(parentDir: string): Promise<BrowserContext> {
  mkdirSync(parentDir, { recursive: true });
  const profile = mkdtempSync(join(parentDir, 'chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1400, height: 900 },
  });
}

/**
 * Opens `url` (a workbench URL from CodeServer.workbenchUrl) and waits until `readySelector`
 * is visible: pass something the extension shows once activate() has finished, not merely the
 * workbench, or the first keystrokes race the activation.
 */
export async function openWorkbench(context: BrowserContext, url: string, readySelector: string, timeoutMs = 60_000): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  try {
    await page.locator(readySelector).first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (error) {
    throw new Error(`workbench at ${url} did not show ${readySelector} within ${timeoutMs} ms`, { cause: error });
  }
  return page;
}

/** Saves a full-page screenshot as test/.cache/e2e/screenshots/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const path = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

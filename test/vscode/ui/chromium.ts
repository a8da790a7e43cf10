/** Debian Chromium driven by Playwright, headless, with a fresh profile and its own HOME (never ~/.config/chromium). */
import { chromium, type BrowserContext } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromiumBinary } from './code-server';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export const VIEWPORT = { width: 1400, height: 900 };

/** A persistent context in `<home>/chrome` (removed with the code-server session's folder). */
export async function launchChromium(home: string): Promise<BrowserContext> {
  const profile = path.join(home, 'chrome');
  mkdirSync(profile, { recursive: true });
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumBinary(),
    headless: true,
    env: { ...process.env, HOME: home } as Record<string, string>,
    viewport: VIEWPORT,
    args: CHROMIUM_ARGS,
  });
}

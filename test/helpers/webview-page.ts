/**
 * A webview page in a real browser (Debian chromium through playwright-core), served as the extension serves it: the
 * panel's bundle and CSS under the same strict CSP and nonce, a fake `acquireVsCodeApi` that records what the page
 * posts (and its saved state), and a few of VS Code's theme variables. For the page tests of each panel.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { buildWebviewHtml } from '../../src/extension/panels/webview-html';
import { requireTool } from './tools';

const CHROMIUM = '/usr/bin/chromium';
const ORIGIN = 'https://webview.test';

export interface WebviewPage {
  page: Page;
  /** Messages the page posted, in order (the first is `{type: 'ready'}`). */
  posted: Record<string, unknown>[];
  /** CSP violations, page errors, console errors and dialogs (an XSS would show here). */
  problems: string[];
}

export interface WebviewPageHarness {
  open(opts?: { state?: unknown; onPost?: (msg: Record<string, unknown>, page: Page) => void; viewport?: { width: number; height: number } }): Promise<WebviewPage>;
  /** Posts a host message to the page. */
  send(page: Page, msg: unknown): Promise<unknown>;
}

/** In a describe block: bundles webview/<panel>/main.ts, launches chromium (skips without it), closes both after. */
export function useWebviewPage(panel: string): WebviewPageHarness {
  let browser: Browser | undefined;
  let bundleDir = '';
  before(async function () {
    requireTool(this, 'chromium', () => existsSync(CHROMIUM), 'apt-get install -y chromium');
    bundleDir = mkdtempSync(path.join(os.tmpdir(), `secml-${panel}-page-`));
    await esbuild.build({ entryPoints: { [panel]: path.resolve(__dirname, `../../webview/${panel}/main.ts`) }, bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', outdir: bundleDir, logLevel: 'silent' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  });
  after(async () => {
    await browser?.close();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  const send = (page: Page, msg: unknown) => page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);

  async function open(opts: { state?: unknown; onPost?: (msg: Record<string, unknown>, page: Page) => void; viewport?: { width: number; height: number } } = {}): Promise<WebviewPage> {
    const page = await browser!.newPage({ viewport: opts.viewport ?? { width: 1200, height: 900 } });
    const posted: Record<string, unknown>[] = [];
    const problems: string[] = [];
    page.on('console', (m) => /Refused|Content Security Policy|error/i.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.exposeFunction('__posted', (m: Record<string, unknown>) => {
      posted.push(m);
      opts.onPost?.(m, page);
    });
    // A string, not a function: tsx-compiled functions reference helpers that do not exist in the page.
    await page.addInitScript(`(() => {
      let s = ${JSON.stringify(opts.state ?? null)};
      window.acquireVsCodeApi = () => ({
        postMessage: (m) => window.__posted(m),
        getState: () => s,
        setState: (v) => { s = v; window.__state = v; },
      });
      // A few of the theme variables VS Code defines on a webview (Dark Modern values).
      const theme = { foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d', 'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-red': '#f14c4c', 'font-family': 'sans-serif' };
      document.addEventListener('DOMContentLoaded', () => {
        for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty('--vscode-' + k, v);
      });
    })();`);
    const html = buildWebviewHtml({ cspSource: ORIGIN, nonce: 'TESTNONCE', title: panel, scriptUri: `${ORIGIN}/${panel}.js`, styleUris: [`${ORIGIN}/${panel}.css`] });
    await page.route(`${ORIGIN}/**`, (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: html });
      const file = path.join(bundleDir, path.basename(name));
      if (!existsSync(file)) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ contentType: name.endsWith('.css') ? 'text/css' : 'text/javascript', body: readFileSync(file) });
    });
    await page.goto(`${ORIGIN}/index.html`);
    for (let i = 0; i < 100 && posted.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    return { page, posted, problems };
  }

  return { open, send };
}

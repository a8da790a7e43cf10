/**
 * UI test helpers: drive a real VS Code (code-server 1.100.3) in Debian Chromium with Playwright, as a user would.
 *
 *   import { tempFolder, useWorkbench } from './workbench';
 *   describe('UI: my feature', function () {
 *     const workspace = tempFolder('secml-ui-mine-');        // removed after the block
 *     const vs = useWorkbench(() => ({ workspace: fill(workspace), settings: { 'secml.aws.endpointUrl': moto.url } }));
 *     it('shows my tree', async function () {
 *       await vs().openSecmlSidebar();
 *       await vs().expandTreeItem('sample', 'Datasets');
 *       assert.deepStrictEqual((await vs().treeRows('Datasets')).map((r) => r.label), ['sample', 'full']);
 *       await vs().screenshot('datasets-expanded');           // test-results/datasets-expanded.png
 *     });
 *   });
 *
 * `useWorkbench` starts code-server on a free loopback port with its own HOME/TMPDIR/user-data-dir/extensions-dir, the
 * given user settings and workspace trust off, loads the extension from this repository (extensionDevelopmentPath; or
 * a .vsix with `vsix`), opens the workspace folder in headless Chromium, and tears everything down after the suite
 * (the whole process group). Without code-server or chromium the suite is skipped with the reason (it fails under
 * CI=true). A failed test saves `test-results/failures/<test>.png` and prints the code-server and extension host log tails.
 *
 * Every helper waits for what it needs (no sleeps in tests); timeouts are generous because the machine is shared.
 */
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireTool } from '../../helpers/tools';
import { devPayload, missingVsCodeTools, REPO_ROOT, startCodeServer, type CodeServer } from './code-server';
import { launchChromium } from './chromium';

export interface WorkbenchOptions {
  /** Folder to open as the workspace. */
  workspace: string;
  /** User settings, e.g. `{ 'secml.aws.endpointUrl': 'http://127.0.0.1:5000' }`. */
  settings?: Record<string, unknown>;
  /** Load the extension from this packaged .vsix (installed into the fresh extensions dir) instead of from the repository. */
  vsix?: string;
  /** Extra environment for code-server and the extension host (e.g. AWS_ACCESS_KEY_ID for moto). */
  env?: Record<string, string>;
  /** More extension folders to install next to SecML Lab (symlinked into the extensions dir), e.g. the helpers' self-test fixture. */
  extraExtensions?: string[];
}

export interface TreeRow {
  label: string;
  description: string;
  /** 1 for top-level items. */
  level: number;
  /** undefined for leaves. */
  expanded: boolean | undefined;
}

/** Where screenshots land: `<repo>/test-results/`. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

const LONG = 60_000;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (s: string) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`, 'i');

export class Workbench {
  /** Uncaught page errors and console errors seen so far (printed when a test fails). */
  readonly pageErrors: string[] = [];

  constructor(
    readonly page: Page,
    readonly browser: BrowserContext,
    readonly server: CodeServer,
    readonly workspace: string,
  ) {
    page.on('pageerror', (e) => this.pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // The workbench's own offline noise (the extension gallery is unreachable here) is left out.
      if (m.type() === 'error' && !/open-vsx|ERR_NAME_NOT_RESOLVED|vsda/.test(m.text())) this.pageErrors.push(`console: ${m.text()}`);
    });
  }

  /** Waits until the workbench is drawn and the SecML Lab activity-bar icon is there (the extension is registered). */
  async ready(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: LONG });
    await this.activityBarItem('SecML Lab').waitFor({ timeout: LONG });
  }

  activityBarItem(title: string): Locator {
    return this.page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
  }

  /** Clicks the "SecML Lab" activity-bar icon (unless the sidebar already shows it) and waits for its views. */
  async openSecmlSidebar(): Promise<void> {
    const title = this.page.locator('.sidebar .composite.title h2', { hasText: /SecML Lab/i });
    if (!(await title.isVisible())) await this.activityBarItem('SecML Lab').click();
    await title.waitFor({ timeout: LONG });
    await this.viewPane('Datasets').waitFor({ timeout: LONG });
  }

  /** The pane (header + body) of a view in the sidebar or panel, by its title ("Datasets"). */
  viewPane(viewTitle: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header h3.title', { hasText: exactly(viewTitle) }) }).first();
  }

  /**
   * Waits for a view and expands it if collapsed (by the user or by a previous test). A container with a single view
   * hides the pane header (the sidebar title reads "UI FIXTURE: FIXTURE TREE"); that pane is returned as is.
   */
  async expandView(viewTitle: string): Promise<Locator> {
    const pane = this.viewPane(viewTitle);
    const header = pane.locator('.pane-header');
    await header.waitFor({ state: 'attached', timeout: LONG });
    if ((await header.isVisible()) && (await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane;
  }

  /**
   * The welcome text shown by an empty view (viewsWelcome). The workbench renders the pane before the extension's tree
   * provider answers, so this waits (up to `timeout`) for the text to appear; '' if the view shows a tree instead.
   */
  async welcomeText(viewTitle: string, timeout = LONG): Promise<string> {
    const pane = await this.expandView(viewTitle);
    const welcome = pane.locator('.welcome-view-content', { hasText: /\S/ });
    try {
      await welcome.first().waitFor({ state: 'visible', timeout });
    } catch {
      return '';
    }
    return (await welcome.first().innerText()).trim();
  }

  /** The rows a view's tree shows now (visible rows only: trees are virtualised). */
  async treeRows(viewTitle: string): Promise<TreeRow[]> {
    const pane = await this.expandView(viewTitle);
    // One read of the whole list, so that a refresh in between cannot mix two renderings. (No named helper functions in
    // here: tsx's keepNames would wrap them in __name(), which does not exist in the page.)
    return pane.locator('.monaco-list-row').evaluateAll((rows) =>
      rows.map((row) => ({
        label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
        level: Number(row.getAttribute('aria-level')) || 1,
        expanded: row.getAttribute('aria-expanded') === null ? undefined : row.getAttribute('aria-expanded') === 'true',
      })),
    );
  }

  /** The row of a tree item by its exact label, waiting until it is there. `viewTitle` narrows the search to one view. */
  async treeItem(label: string, viewTitle?: string): Promise<Locator> {
    const scope = viewTitle ? await this.expandView(viewTitle) : this.page.locator('.sidebar');
    const row = scope.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
    await row.waitFor({ timeout: LONG });
    return row;
  }

  /** Expands a tree item (no-op when already expanded) and waits for it to show as expanded. */
  async expandTreeItem(label: string, viewTitle?: string): Promise<void> {
    const row = await this.treeItem(label, viewTitle);
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') !== 'false', await row.elementHandle(), { timeout: LONG });
  }

  /** Right-clicks a tree item and chooses `action` from its context menu (menus show command titles without the category). */
  async treeItemContextMenu(label: string, action: string, viewTitle?: string): Promise<void> {
    const row = await this.treeItem(label, viewTitle);
    await row.click({ button: 'right' });
    await this.chooseMenuItem(action);
  }

  /** Clicks an inline action (the icon shown on hover) of a tree item, by its title ("Delete Dataset"). */
  async treeItemInlineAction(label: string, actionTitle: string, viewTitle?: string): Promise<void> {
    const row = await this.treeItem(label, viewTitle);
    await row.hover();
    await row.locator(`.actions .action-label[aria-label^="${actionTitle}"]`).first().click();
  }

  /** Clicks an item of the open context menu by its label. */
  async chooseMenuItem(itemLabel: string): Promise<void> {
    const item = this.page.locator('.context-view .monaco-menu .action-item').filter({ has: this.page.locator('.action-label', { hasText: exactly(itemLabel) }) }).first();
    await item.waitFor({ timeout: LONG });
    // A click that lands while the menu is still settling is ignored by VS Code; then choose it with the keyboard.
    await item.click();
    const closed = await item.waitFor({ state: 'hidden', timeout: 1500 }).then(() => true, () => false);
    if (!closed) {
      await item.hover();
      await this.page.keyboard.press('Enter');
      await item.waitFor({ state: 'hidden', timeout: LONG });
    }
  }

  /** Opens the Explorer, expands the folders of `relPath` ("logs/single.txt" or "single.txt"), right-clicks the file and chooses `itemLabel`. */
  async explorerContextMenu(relPath: string, itemLabel: string): Promise<void> {
    const row = await this.explorerItem(relPath);
    await row.click({ button: 'right' });
    await this.chooseMenuItem(itemLabel);
  }

  /** The Explorer row of a workspace file or folder, revealing it (expanding its parent folders) first. */
  async explorerItem(relPath: string): Promise<Locator> {
    const explorer = this.page.locator('.explorer-folders-view');
    if (!(await explorer.isVisible())) await this.activityBarItem('Explorer').click();
    await explorer.waitFor({ timeout: LONG });
    const parts = relPath.split('/').filter(Boolean);
    let row: Locator | undefined;
    for (let i = 0; i < parts.length; i++) {
      row = explorer.locator(`.monaco-list-row[aria-level="${i + 1}"]`).filter({ has: this.page.locator('.label-name', { hasText: exactly(parts[i]) }) }).first();
      await row.waitFor({ timeout: LONG });
      if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    return row!;
  }

  /** Runs a command from the palette (F1) by its title as shown there, e.g. "SecML: Create Sample Workspace". */
  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('F1');
    await input.fill('>' + title);
    const row = this.quickInputRow(title);
    await row.waitFor({ timeout: LONG });
    await row.click();
  }

  /** Picks the item whose label is `text` in the open quick pick (typing it first to filter). */
  async answerQuickPick(text: string): Promise<void> {
    const input = await this.quickInput();
    await input.fill(text);
    const row = this.quickInputRow(text);
    await row.waitFor({ timeout: LONG });
    await row.click();
  }

  /** The labels of the items the open quick pick offers now. */
  async quickPickItems(): Promise<string[]> {
    await this.quickInput();
    const labels = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name');
    return (await labels.allTextContents()).map((s) => s.trim());
  }

  /** Types `text` into the open input box (replacing its value) and presses Enter. */
  async answerInputBox(text: string): Promise<void> {
    const input = await this.quickInput();
    await input.fill(text);
    await input.press('Enter');
  }

  /** Opens a workspace file in an editor via Quick Open (Ctrl+P). */
  async openFile(relPath: string): Promise<void> {
    const input = await this.openQuickInput('Control+P');
    await input.fill(relPath);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    await row.waitFor({ timeout: LONG });
    await input.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: path.basename(relPath) }).waitFor({ timeout: LONG });
  }

  /** Waits for a notification toast containing `text` and returns its message. */
  async waitForNotification(text: string | RegExp, timeout = LONG): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout });
    return ((await toast.locator('.notification-list-item-message').first().textContent()) ?? '').trim();
  }

  /** Clicks a button ("Show Log", "Open") of the notification containing `text`. */
  async clickNotificationButton(text: string | RegExp, button: string): Promise<void> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.locator('.monaco-button', { hasText: exactly(button) }).first().click();
  }

  /** Closes every notification toast (so a later waitForNotification sees only new ones). */
  async clearNotifications(): Promise<void> {
    const toasts = this.page.locator('.notifications-toasts .notification-toast');
    for (const t of await toasts.all()) {
      await t.hover().catch(() => {});
      await t.locator('.codicon-notifications-clear').first().click({ timeout: 2000 }).catch(() => {});
    }
  }

  /**
   * The content of a webview, two iframes deep (outer `iframe.webview`, inner `#active-frame`). With `tabTitle`, its editor
   * tab is clicked first; only the visible webview is used, so this stays unambiguous when several webviews exist.
   *   await expect: (await vs().webview('Metrics').locator('#summary').innerText())
   */
  async webview(tabTitle?: string): Promise<FrameLocator> {
    if (tabTitle) {
      const tab = this.page.locator('.tabs-container .tab', { hasText: tabTitle }).first();
      await tab.waitFor({ timeout: LONG });
      await tab.click();
    }
    const outer = this.page.locator('iframe.webview.ready:visible');
    await outer.first().waitFor({ timeout: LONG });
    const inner = this.page.frameLocator('iframe.webview.ready:visible').first().frameLocator('#active-frame');
    await inner.locator('body').waitFor({ timeout: LONG });
    return inner;
  }

  /** Text of the panel's active output/terminal view, e.g. after "SecML: Show Log". */
  async outputText(): Promise<string> {
    const lines = this.page.locator('.panel .monaco-editor .view-lines');
    await lines.first().waitFor({ timeout: LONG });
    return (await lines.first().innerText()).replace(/\u00a0/g, ' ');
  }

  /** Saves a full-page screenshot as `test-results/<name>.png` and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.\-/ ]+/g, '_').replace(/\s+/g, '-')}.png`);
    mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  /** For afterEach: on a failed test, saves `test-results/failures/<title>.png` and prints the log tails. */
  async captureFailure(test: Mocha.Runnable | undefined): Promise<void> {
    if (!test || test.state !== 'failed') return;
    const shot = await this.screenshot(`failures/${test.fullTitle()}`).catch((e) => `(no screenshot: ${(e as Error).message})`);
    console.log(`\n    failure screenshot: ${shot}\n${indent(this.server.logTail(30))}`);
    if (this.pageErrors.length) console.log(indent(['--- page errors ---', ...this.pageErrors.slice(-10)].join('\n')));
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => {});
    await this.server.stop();
  }

  /** The open quick input's text box (waits for it). */
  async quickInput(): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: LONG });
    return input;
  }

  private async openQuickInput(key: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    if (await this.page.locator('.context-view .monaco-menu').isVisible()) await this.page.keyboard.press('Escape');
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.keyboard.press(key);
      try {
        await input.waitFor({ state: 'visible', timeout: 5000 });
        return input;
      } catch {
        // Focus was somewhere that swallowed the key (a webview, a menu): give it back to the workbench and retry.
        await this.page.keyboard.press('Escape');
        await this.page.locator('.statusbar').click({ position: { x: 5, y: 5 } }).catch(() => {});
      }
    }
    await input.waitFor({ state: 'visible', timeout: LONG });
    return input;
  }

  private quickInputRow(label: string): Locator {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    return rows.filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
  }
}

function indent(s: string): string {
  return s.replace(/^/gm, '      ');
}

/** Starts code-server + Chromium for `opts` and opens the workspace. Prefer `useWorkbench` inside a describe block. */
export async function openWorkbench(ctx: Mocha.Context, opts: WorkbenchOptions): Promise<Workbench> {
  requireTool(ctx, 'VS Code (code-server + chromium)', () => missingVsCodeTools() === undefined, missingVsCodeTools() ?? '');
  const server = await startCodeServer({ settings: opts.settings, vsix: opts.vsix, env: opts.env, extensionFolders: opts.extraExtensions, label: 'secml-ui-' });
  let browser: BrowserContext | undefined;
  try {
    browser = await launchChromium(server.home);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const wb = new Workbench(page, browser, server, opts.workspace);
    await page.goto(server.url(opts.workspace, opts.vsix ? undefined : devPayload()));
    await wb.ready();
    return wb;
  } catch (e) {
    console.log(indent(server.logTail(30)));
    await browser?.close().catch(() => {});
    await server.stop();
    throw e;
  }
}

/**
 * Registers before/afterEach/after hooks in the current describe block: one VS Code for the whole block, a failure
 * screenshot + log tail for each failed test, teardown at the end. Returns a getter for the Workbench.
 * `opts` may be a function, evaluated in the before hook (e.g. to create the workspace folder first).
 */
export function useWorkbench(opts: WorkbenchOptions | (() => WorkbenchOptions | Promise<WorkbenchOptions>)): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(180_000);
    wb = await openWorkbench(this, typeof opts === 'function' ? await opts() : opts);
  });
  afterEach(async function () {
    await wb?.captureFailure(this.currentTest);
  });
  after(async function () {
    this.timeout(60_000);
    await wb?.close();
    wb = undefined;
  });
  return () => {
    if (!wb) throw new Error('the workbench is not open (did the before hook fail or skip?)');
    return wb;
  };
}

/**
 * A temporary folder (e.g. the workspace to open) for the current describe block: created in a before hook (registered
 * here, so before useWorkbench's when called first) and removed after the block. Nothing is created when a grep
 * leaves the block out. Fill it in a before hook or in useWorkbench's options function, not at describe time.
 */
export function tempFolder(prefix = 'secml-ui-'): string {
  const dir = path.join(os.tmpdir(), `${prefix}${process.pid}-${randomBytes(4).toString('hex')}`);
  before(() => mkdirSync(dir, { recursive: true }));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

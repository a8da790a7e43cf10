// UI (as a user would): open a .sql file, run a statement on DuckDB from its CodeLens over the real CloudTrail logs
// (../shared/datasets/cloudtrail-invictus-stratus), read the grid inside the results webview, sort it, filter it,
// check that an attacker-controlled value is shown as text (no element is created), that NULL and '' look different,
// and that 100,000 rows scroll with only a window of them in the DOM. Screenshots land in test-results/.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { requireDataset, SHARED_DATASETS } from '../../helpers/tools';
import { useWorkbench, type Workbench } from './workbench';

const LOGS = path.join(SHARED_DATASETS, 'cloudtrail-invictus-stratus', 'CloudTrail');
const LONG = 90_000;

const HUNT_SQL = `-- Event-name frequency
select eventname, count(*) as frequency
from cloudtrail
group by eventname
order by frequency desc, eventname;

-- Attacker-controlled text, NULL and empty string
select '<img src=x onerror=alert(1)>' as payload, null as nothing, '' as empty, 42 as answer;

-- Many rows
select range as i, 'row-' || range as label from range(100000);

-- Events to flatten
select eventtime, useridentity.arn as arn, eventname from cloudtrail order by eventtime, eventid;

-- Slow
select count(*) from range(100000000000) t(x) where x % 7 = 1;
`;

/** Counts from the raw JSON, independently of SQL. */
function expectedFrequencies(): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of readdirSync(LOGS)) for (const r of JSON.parse(readFileSync(path.join(LOGS, f), 'utf8')).Records) counts.set(r.eventName, (counts.get(r.eventName) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Clicks the n-th "Run Query (DuckDB)" CodeLens and waits for that run to finish (a new history entry, not running). */
async function runFromCodeLens(vs: Workbench, statementIndex: number): Promise<FrameLocator> {
  const panelOpen = (await vs.page.locator('.tabs-container .tab', { hasText: 'Query' }).count()) > 0;
  const before = panelOpen ? await (await vs.webview()).locator('.history .hitem').count() : 0;
  const lens = vs.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Query (DuckDB)' });
  await lens.nth(statementIndex).waitFor({ timeout: LONG });
  await lens.nth(statementIndex).click();
  const grid = await vs.webview();
  await grid.locator('.history .hitem').nth(before).waitFor({ state: 'attached', timeout: LONG });
  await grid.locator('.history .hitem.running').waitFor({ state: 'detached', timeout: LONG });
  return grid;
}

async function rowTexts(grid: FrameLocator, n: number): Promise<string[][]> {
  const rows = grid.locator('.grid-rows .grow');
  await rows.first().locator('.gcell:not(.loading)').nth(1).waitFor({ timeout: LONG });
  const out: string[][] = [];
  for (let i = 0; i < n; i++) out.push((await rows.nth(i).locator('.gcell').allTextContents()).slice(1));
  return out;
}

/** The toolbar never wraps: every visible control sits on the first control's row. */
async function assertToolbarOnOneRow(grid: FrameLocator): Promise<void> {
  const tops = await grid.locator('.toolbar').evaluate((t) =>
    [...t.children].filter((c) => (c as HTMLElement).offsetParent !== null).map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2)),
  );
  assert.ok(tops.length >= 5 && Math.max(...tops) - Math.min(...tops) <= 4, `toolbar controls on one row (centres ${tops.join(', ')})`);
}

describe('UI: query CloudTrail with DuckDB and read the results grid', function () {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'secml-ui-query-'));
  writeFileSync(path.join(workspace, 'hunt.sql'), HUNT_SQL);
  writeFileSync(path.join(workspace, 'snippets.sql'), '');
  after(() => rmSync(workspace, { recursive: true, force: true }));
  before(function () {
    requireDataset(this, LOGS);
  });

  const vs = useWorkbench(() => ({
    workspace,
    settings: { 'secml.query.engine': 'duckdb', 'secml.query.cloudTrailPaths': [LOGS], 'workbench.startupEditor': 'none' },
  }));

  it('runs a statement from its CodeLens and shows the rows in the grid', async function () {
    await vs().openFile('hunt.sql');
    const grid = await runFromCodeLens(vs(), 0);
    const headers = (await grid.locator('.grid-header .hcell .hlabel').allTextContents()).map((h) => h.trim());
    assert.deepEqual(headers, ['eventname', 'frequency']);
    const expected = expectedFrequencies();
    // The row count is in the summary line (once), the toolbar says only what is running.
    assert.match(await grid.locator('.summary').innerText(), new RegExp(`^${expected.length} rows · [\\d.]+ s · DuckDB$`));
    assert.equal(await grid.locator('.toolbar .status').isVisible(), false);
    const top = await rowTexts(grid, 5);
    assert.deepEqual(
      top,
      expected.slice(0, 5).map(([name, n]) => [name, String(n)]),
    );
    await vs().screenshot('query-results-duckdb');

    // Sort by frequency ascending from the header, then filter.
    await grid.locator('.grid-header .hcell .hlabel', { hasText: 'frequency' }).click();
    await grid.locator('.grid-header .hcell[aria-sort="ascending"]').waitFor({ timeout: LONG });
    const asc = await rowTexts(grid, 1);
    assert.equal(asc[0][1], '1');
    await grid.locator('input.filter').fill('createuser');
    await grid.locator('.summary', { hasText: new RegExp(`^1 row matching \\(of ${expected.length}\\) · `) }).waitFor({ timeout: LONG });
    assert.deepEqual(await rowTexts(grid, 1), [['CreateUser', '4']]);
    await assertToolbarOnOneRow(grid);
    await vs().screenshot('query-results-filtered');
  });

  it('shows attacker-controlled values as text, NULL distinct from the empty string', async function () {
    const grid = await runFromCodeLens(vs(), 1);
    const [row] = await rowTexts(grid, 1);
    assert.deepEqual(row, ['<img src=x onerror=alert(1)>', 'NULL', '', '42']);
    assert.equal(await grid.locator('img').count(), 0, 'the value created no element');
    const cells = grid.locator('.grid-rows .grow').first().locator('.gcell');
    assert.match((await cells.nth(2).getAttribute('class')) ?? '', /\bnull\b/);
    assert.doesNotMatch((await cells.nth(3).getAttribute('class')) ?? '', /\bnull\b/);
    await vs().screenshot('query-results-text-only');
  });

  it('scrolls 100,000 rows with only a window of them in the DOM', async function () {
    const grid = await runFromCodeLens(vs(), 2);
    await grid.locator('.summary', { hasText: /^100,000 rows · / }).waitFor({ timeout: LONG });
    const viewport = grid.locator('.grid-viewport');
    await viewport.evaluate((v) => {
      v.scrollTop = v.scrollHeight;
    });
    const lastRow = grid.locator('.grid-rows .grow', { hasText: 'row-99999' });
    await lastRow.locator('.gcell').nth(1).filter({ hasText: '99999' }).waitFor({ timeout: LONG });
    const inDom = await grid.locator('.grid-rows .grow').count();
    assert.ok(inDom < 200, `only a window of rows is rendered (${inDom})`);
    // The # gutter fits the last row number: "100000", not "1000…".
    const lastGutter = grid.locator('.grid-rows .grow', { hasText: 'row-99999' }).locator('.gcell.gutter');
    assert.equal(await lastGutter.innerText(), '100000');
    assert.ok(await lastGutter.evaluate((c) => c.scrollWidth <= c.clientWidth), 'the row number is not cut');
    await vs().screenshot('query-results-100k-scrolled');
  });

  it('offers "Flatten these events" for principal/time/event results, cancels a long query, and re-runs from the history', async function () {
    let grid = await runFromCodeLens(vs(), 3);
    await grid.locator('.summary', { hasText: /^2,900 rows · / }).waitFor({ timeout: LONG });
    await grid.locator('button', { hasText: 'Flatten these events' }).click();
    // The format and the session/time/event columns come from the query: the first question is the variants.
    await vs().page.locator('.quick-input-widget .quick-input-title', { hasText: 'variants' }).waitFor({ timeout: LONG });
    await vs().page.keyboard.press('Enter'); // `full`, pre-selected
    await vs().answerInputBox('query-events');
    const manifestFile = path.join(workspace, '.secml', 'datasets', 'query-events', 'manifest.json'); // one variant: no subfolder
    for (let i = 0; i < 300 && !existsSync(manifestFile); i++) await vs().page.waitForTimeout(100);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    // Every row of the result: 77 of the 2,900 events have no principal ARN (no session) and are skipped as such.
    assert.deepEqual([manifest.counts.events, manifest.counts.skippedRows], [2823, 77]);
    assert.equal(manifest.reader.format, 'csv');
    assert.deepEqual([manifest.reader.columns.session, manifest.reader.columns.event], ['arn', 'eventname']);

    const lens = vs().page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Query (DuckDB)' });
    await lens.nth(4).click();
    grid = await vs().webview();
    const cancel = grid.locator('button', { hasText: 'Cancel' });
    await cancel.waitFor({ state: 'visible', timeout: LONG });
    await cancel.click();
    await grid.locator('.summary', { hasText: 'Cancelled.' }).waitFor({ timeout: LONG });
    assert.equal(await cancel.isVisible(), false);

    await grid.locator('button', { hasText: 'History' }).click();
    const items = grid.locator('.history .hitem');
    await items.first().waitFor({ timeout: LONG });
    assert.ok((await items.count()) >= 5);
    assert.match(await items.first().innerText(), /cancelled/);
    // The grid keeps its width: the history lies over it (narrow panel) or beside it, never squeezes it to one column.
    const gridBox = (await grid.locator('.grid-viewport').boundingBox())!;
    const historyBox = (await grid.locator('.history').boundingBox())!;
    assert.ok(gridBox.width >= 2 * historyBox.width || gridBox.width >= 400, `grid ${gridBox.width}px beside history ${historyBox.width}px`);
    await vs().screenshot('query-results-history');
    const first = items.filter({ hasText: 'select eventname, count(*) as frequency' }).first();
    await first.locator('button', { hasText: 'Run again' }).click();
    await grid.locator('.summary', { hasText: /^260 rows · / }).waitFor({ timeout: LONG });
    assert.deepEqual((await grid.locator('.grid-header .hcell .hlabel').allTextContents()).map((h) => h.trim()), ['eventname', 'frequency']);
    assert.equal(await grid.locator('.history').isVisible(), false, 'Run again closes the history: the new result is in view');
    await vs().screenshot('query-results-history-rerun');

    // A new result from the editor closes the history too.
    await grid.locator('button', { hasText: 'History' }).click();
    await items.first().waitFor({ state: 'visible', timeout: LONG });
    grid = await runFromCodeLens(vs(), 1);
    await grid.locator('.summary', { hasText: /^1 row · / }).waitFor({ timeout: LONG });
    assert.equal(await grid.locator('.history').isVisible(), false, 'a new result closes the history');
  });

  it('inserts a hunting query from the snippet picker and runs it from the palette', async function () {
    await (await vs().explorerItem('snippets.sql')).click();
    await vs().page.locator('.tabs-container .tab.active', { hasText: 'snippets.sql' }).waitFor({ timeout: LONG });
    await vs().runCommand('SecML: Insert Hunting Query');
    await vs().answerQuickPick('Console logins without MFA');
    await vs().page.locator('.monaco-editor .view-lines', { hasText: 'MFAUsed' }).first().waitFor({ timeout: LONG });
    await vs().runCommand('SecML: Run Query');
    const grid = await vs().webview();
    await grid.locator('.summary', { hasText: /^1 row · / }).waitFor({ timeout: LONG });
    const [row] = await rowTexts(grid, 1);
    assert.match(row[1], /user\/stratus-red-team-nmfalu-gfjyeaypjt$/);
    await vs().screenshot('query-snippet-console-login-without-mfa');
  });
});

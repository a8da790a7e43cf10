// UI (as a user would): right-click the sample workspace's AWSLogs folder, "Find Unusual Principal/IP Pairs": the
// analytics panel ranks the intruder's address for ci-deploy first; then "Show Activity Over Time" from the palette
// charts the exfiltration hour at the top; after a window reload the panel comes back and "Run Again" shows the chart
// again. Screenshots: test-results/cloudtrail-pairs.png, cloudtrail-activity.png, cloudtrail-restored.png.
import * as assert from 'node:assert/strict';
import { writeSampleTrail } from '../../../src/core/sample/cloudtrail/sample-trail';
import { tempFolder, useWorkbench } from './workbench';

const LONG = 120_000;

describe('UI: CloudTrail analytics on the sample trail', function () {
  const workspace = tempFolder('secml-ui-analytics-');
  const vs = useWorkbench(async () => {
    await writeSampleTrail(workspace, 42);
    return { workspace, settings: { 'workbench.startupEditor': 'none' } };
  });

  it('Find Unusual Principal/IP Pairs from the Explorer: the intruder first', async function () {
    this.timeout(LONG * 2);
    await vs().explorerContextMenu('AWSLogs', 'Find Unusual Principal/IP Pairs');
    const page = await vs().webview('Unusual Pairs: AWSLogs');
    const first = page.locator('table.analytics tbody tr').first();
    await first.waitFor({ timeout: LONG });
    const cells = await first.locator('td').allInnerTexts();
    assert.match(cells[0], /:user\/ci-deploy$/);
    assert.equal(cells[1], '203.0.113.66');
    assert.equal(cells[3], 'new-network');
    assert.match(await page.locator('.summary').innerText(), /1 score above 0\.2/);
    assert.deepEqual(await first.locator('td').evaluateAll((tds) => tds.map((td) => td.className)), ['tail', 'tail', 'score', 'text', 'text', 'text', 'num', 'text', 'tail'], 'figures align right, only identifiers lose their beginning');
    assert.match(await page.locator('table.analytics thead').innerText(), /First seen \(UTC\)/);
    assert.ok(await page.locator('table.analytics').evaluate((t) => t.getBoundingClientRect().right <= document.documentElement.clientWidth), 'the pairs table fits the panel (its last column is not cut)');
    await vs().screenshot('cloudtrail-pairs');
  });

  it('Show Activity Over Time from the palette: the exfiltration hour tops the spikes, with its chart', async function () {
    this.timeout(LONG * 2);
    await vs().runCommand('SecML: Show Activity Over Time');
    const page = await vs().webview('Activity Over Time: AWSLogs');
    const first = page.locator('table.analytics').first().locator('tbody tr').first();
    await first.waitFor({ timeout: LONG });
    const cells = await first.locator('td').allInnerTexts();
    assert.match(cells[0], /:user\/ci-deploy$/);
    assert.equal(cells[1], 's3.amazonaws.com:GetObject');
    assert.equal(cells[4], '2024-05-14 14:00:00');
    assert.match(await page.locator('table.analytics').first().locator('thead').innerText(), /Bucket \(UTC\)[^]*Calls\/h[^]*Usual\/h[^]*Band\/h/);
    assert.equal(await first.locator('td:nth-child(4).series svg.spark rect.bar.above').count(), 1, 'the chart follows the score');
    assert.ok(await first.locator('svg.spark').evaluate((e) => e.getBoundingClientRect().right <= document.documentElement.clientWidth), 'the chart shows without scrolling sideways');
    await vs().screenshot('cloudtrail-activity');
  });

  it('after a window reload the panel comes back and Run Again analyses the same logs', async function () {
    this.timeout(LONG * 2);
    await vs().runCommand('Developer: Reload Window');
    await vs().page.waitForTimeout(1000);
    await vs().ready();
    const page = await vs().webview('Activity Over Time: AWSLogs');
    await page.locator('#empty-message').waitFor({ timeout: LONG });
    assert.match(await page.locator('#empty-message').innerText(), /not kept after a reload: run Activity Over Time again on AWSLogs/);
    await vs().screenshot('cloudtrail-restored');
    await page.locator('#rerun').click();
    const first = page.locator('table.analytics').first().locator('tbody tr').first();
    await first.waitFor({ timeout: LONG });
    assert.equal((await first.locator('td').allInnerTexts())[1], 's3.amazonaws.com:GetObject');
  });
});

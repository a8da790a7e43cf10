// UI (as a user would), the "done when": in a real VS Code, create the sample workspace, launch the sample
// experiment (six seed variants, local backend) from the spec's editor-title button, watch the runs progress in the
// Experiments view, open the comparison from the "finished" notification, read the figures inside the webview (every
// variant completed, the baseline row, the target row, an attacker-controlled description shown as text), screenshot.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useWorkbench, type TreeRow } from './workbench';

const EXPERIMENT = 'harvest-bag-of-events';
const VARIANTS = ['full', 'drop0.2', 'first5', 'first10', 'last5', 'last10'];
const XSS = '<img src=x onerror=alert(1)>';

describe('UI: launch the sample experiment and compare its runs', function () {
  this.timeout(900_000);
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'secml-ui-experiments-'));
  after(() => rmSync(workspace, { recursive: true, force: true }));
  const vs = useWorkbench({ workspace });

  it('creates the sample workspace', async function () {
    await vs().runCommand('SecML: Create Sample Workspace');
    await vs().answerQuickPick('This workspace folder');
    await vs().waitForNotification(/Sample workspace ready/, 240_000);
    // A hostile description: it must show as text in the comparison, never as markup.
    const specFile = path.join(workspace, 'sample.secml.json');
    const spec = JSON.parse(readFileSync(specFile, 'utf8'));
    assert.deepEqual(spec.variants, ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10']);
    spec.description = `Seed variants ${XSS}`;
    writeFileSync(specFile, JSON.stringify(spec, null, 2));
  });

  it('launches it from the spec editor and shows the runs progressing in the Experiments view', async function () {
    await vs().clearNotifications();
    await (await vs().explorerItem('sample.secml.json')).click();
    await vs().page.locator('.tabs-container .tab.active', { hasText: 'sample.secml.json' }).waitFor({ timeout: 60_000 });
    const launch = vs().page.locator('.editor-actions .action-label[aria-label*="Launch Experiment"]').first();
    await launch.waitFor({ timeout: 60_000 });
    await launch.click();
    // The launch reveals the Experiments view itself; open the sidebar only if it did not (clicking the icon of the
    // container already shown would close it).
    const sidebarTitle = vs().page.locator('.sidebar .composite.title h2', { hasText: /SecML Lab/i });
    if (!(await sidebarTitle.waitFor({ timeout: 15_000 }).then(() => true, () => false))) await vs().openSecmlSidebar();
    await vs().treeItem(EXPERIMENT, 'Experiments');
    // Watch the tree while the runs go: keep every description seen per variant.
    const seen = new Map<string, Set<string>>();
    let rows: TreeRow[] = [];
    let shot = false;
    for (let i = 0; i < 1800; i++) {
      rows = (await vs().treeRows('Experiments')).filter((r) => VARIANTS.includes(r.label));
      for (const r of rows) (seen.get(r.label) ?? seen.set(r.label, new Set()).get(r.label)!).add(r.description);
      if (!shot && rows.some((r) => /^training \d+\/\d+/.test(r.description))) {
        await vs().screenshot('experiments-running');
        shot = true;
      }
      if (rows.length === VARIANTS.length && rows.every((r) => /^\d+\.\d% |failed|stopped|interrupted/.test(r.description))) break;
      await vs().page.waitForTimeout(250);
    }
    assert.deepEqual(rows.map((r) => r.label), VARIANTS);
    for (const r of rows) assert.match(r.description, /^\d+\.\d% (✓ )?· PR \d\.\d{3}$/, `${r.label}: ${r.description}`);
    const progress = [...seen.values()].flatMap((s) => [...s]).filter((d) => /^(queued|flattening|starting|training|evaluating)/.test(d));
    assert.ok(progress.length > 0, `no live progress was seen in the tree: ${JSON.stringify([...seen.entries()].map(([k, v]) => [k, [...v]]))}`);
    console.log(`      progress seen in the tree: ${[...new Set(progress)].slice(0, 8).join(' | ')}`);
    await vs().screenshot('experiments-completed');
  });

  it('opens the comparison from the notification and shows every run, the baseline and the target', async function () {
    await vs().waitForNotification(/Experiment harvest-bag-of-events finished: 6 completed/, 120_000);
    await vs().clickNotificationButton(/Experiment harvest-bag-of-events finished/, 'Open Comparison');
    const web = await vs().webview(`Metrics: ${EXPERIMENT}`);
    await web.locator('table.comparison tbody tr').first().waitFor({ timeout: 60_000 });
    const variants = (await web.locator('table.comparison tbody th.variant').allInnerTexts()).map((t) => t.trim().split(/\s+/)[0]);
    assert.deepEqual(variants, VARIANTS);
    const statuses = (await web.locator('table.comparison tbody td.status').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(statuses, Array(VARIANTS.length).fill('completed'));
    // Figures: every run has a recall at FPR 5% and a PR AUC.
    const rows = await web.locator('table.comparison tbody tr').allInnerTexts();
    for (const r of rows) assert.match(r, /\d+\.\d%[\s\S]*0\.\d{3}/, r);
    const baseline = await web.locator('tr.baseline-row').innerText();
    assert.match(baseline, /Baseline \(all negative\)[\s\S]*flags nothing[\s\S]*0\.0%/);
    const target = await web.locator('tr.target-row').innerText();
    assert.match(target, /Target \(seed\)[\s\S]*recall ≥ 70% at FPR ≤ 5%[\s\S]*≥ 70\.0%/);
    // The hostile description is text.
    assert.equal((await web.locator('.description').innerText()).trim(), `Seed variants ${XSS}`);
    assert.equal(await web.locator('img').count(), 0);
    // The focused run's confusion matrix and the overlaid curves are drawn.
    await web.locator('table.confusion').waitFor({ timeout: 60_000 });
    await web.locator('#chart-roc path.series').first().waitFor({ timeout: 60_000 });
    assert.equal(await web.locator('#chart-roc path.series').count(), VARIANTS.length);
    const summary = await web.locator('p.summary').innerText();
    console.log(`      ${summary}`);
    await vs().screenshot('experiments-comparison');

    // It opens on the evaluation file (single.txt), as the CLI prints; the test split is one choice away.
    assert.equal(await web.locator('table.comparison[aria-label*="evaluation files"]').count(), 1, 'opens on the evaluation files');
    await web.locator('vscode-single-select').click();
    await web.locator('vscode-option', { hasText: 'Test split' }).click().catch(async () => {
      await web.locator('vscode-single-select').press('ArrowUp');
      await web.locator('vscode-single-select').press('Enter');
    });
    await web.locator('table.comparison[aria-label*="test split"]').waitFor({ timeout: 30_000 });
    await vs().screenshot('experiments-comparison-test-split');
  });

  it('exports the comparison as CSV and the charts as SVG and PNG', async function () {
    const web = await vs().webview(`Metrics: ${EXPERIMENT}`);
    await web.locator('#chart-pr').waitFor({ timeout: 60_000 });
    await vs().clearNotifications();
    await web.locator('vscode-button', { hasText: 'Export' }).click();
    const note = await vs().waitForNotification(/Exported \d+ file\(s\) to/);
    const folder = note.replace(/^Exported \d+ file\(s\) to /, '').trim();
    const files = readdirSync(folder).sort();
    assert.ok(files.includes('comparison-test.csv') && files.includes('roc.svg') && files.includes('roc.png') && files.includes('pr.svg'), files.join(', '));
    const csv = readFileSync(path.join(folder, 'comparison-test.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 1 + VARIANTS.length + 2, 'header, six runs, baseline, target');
    assert.match(csv.at(-2)!, /^baseline,all-negative,/);
    assert.match(csv.at(-1)!, /^target,/);
    assert.deepEqual([...readFileSync(path.join(folder, 'roc.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });

  for (const theme of ['Light Modern', 'Dark High Contrast']) {
    it(`stays readable in the ${theme} theme`, async function () {
      await vs().runCommand('Preferences: Color Theme');
      await vs().answerQuickPick(theme);
      const web = await vs().webview(`Metrics: ${EXPERIMENT}`);
      await web.locator('table.comparison').waitFor({ timeout: 60_000 });
      const colours = await web.locator('table.comparison tbody th.variant').first().evaluate((e) => [getComputedStyle(e).color, getComputedStyle(document.body).backgroundColor]);
      assert.notEqual(colours[0], colours[1], 'text and background differ');
      await vs().screenshot(`experiments-comparison-${theme.toLowerCase().replace(/\s+/g, '-')}`);
    });
  }

  it('restores the metrics panel, with its choices, after a window reload', async function () {
    await vs().runCommand('Developer: Reload Window');
    await vs().page.waitForTimeout(1000);
    await vs().ready();
    const web = await vs().webview(`Metrics: ${EXPERIMENT}`);
    await web.locator('table.comparison tbody tr').first().waitFor({ timeout: 120_000 });
    assert.equal(await web.locator('table.comparison tbody tr').count(), VARIANTS.length);
    assert.equal(await web.locator('table.comparison[aria-label*="test split"]').count(), 1, 'the test-split choice survived the reload');
  });
});

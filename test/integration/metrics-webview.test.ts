/**
 * The metrics page in a real browser (Debian chromium through playwright-core), under the same CSP the extension serves:
 * renders the comparison with baseline and target rows, shows attacker-controlled strings literally, sorts from the
 * keyboard, recomputes the confusion matrix from the slider, restores its UI state, exports SVG and PNG, and never
 * breaks the CSP.
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parsePageMessage, type ExperimentView, type HostToPage, type RunDetail, type RunView } from '../../webview/metrics/protocol';
import type { MetricsSummary } from '../../src/core/experiments/run-record';
import { useWebviewPage } from '../helpers/webview-page';
import { isSafeSvg } from '../../src/extension/panels/metrics-safe-svg';
const XSS = '<img src=x onerror=alert(1)>';

function summary(recallAtFpr5: number, tp: number): MetricsSummary {
  return { tp, fp: 3, tn: 397, fn: 20 - tp, precision: tp / (tp + 3), recall: tp / 20, f1: 0.8, fpr: 3 / 400, accuracy: 0.95, rocAuc: 0.97, prAuc: 0.88, recallAtFpr5, thresholdAtFpr5: 0.3, threshold: 0.5, positives: 20, negatives: 400 };
}

function run(variant: string, order: number, status: string, s?: MetricsSummary, error?: string): RunView {
  return { id: `20250301-142233-${variant}`, variant, variantSpec: variant, launchId: '20250301-142233', backend: 'local', status, trainingSeconds: 1.5 + order, test: s, error };
}

const EXPERIMENT: ExperimentView = {
  name: 'harvest-bag-of-events',
  description: `Sessions ${XSS} flattened`,
  target: { recall: 0.7, fpr: 0.05 },
  runs: [run('full', 0, 'completed', summary(0.85, 17)), run('first5', 1, 'completed', summary(0.55, 11)), run('last5', 2, 'failed', undefined, `row 7: bad event ${XSS}`), { ...run('last10', 3, 'running'), fraction: 0.4, phase: 'training' }],
  baseline: { test: { ...summary(0, 0), tp: 0, fp: 0, tn: 400, fn: 20, precision: 0, recall: 0, f1: 0, fpr: 0, accuracy: 400 / 420, rocAuc: null, prAuc: 0, recallAtFpr5: 0 } },
  evaluationFiles: ['single.txt'],
};

function detail(id: string): RunDetail {
  // A sweep from strict to loose: 21 points, tp 0..20, fp growing faster at the end.
  const points: [number, number, number][] = Array.from({ length: 21 }, (_, i) => [1 - i / 20, i, i < 15 ? i % 3 : (i - 14) * 40]);
  return { id, curves: { test: { positives: 20, negatives: 400, points } }, trainingCurve: { metrics: ['train-aucpr', 'validation-aucpr'], rounds: Array.from({ length: 10 }, (_, i) => [0.5 + i * 0.04, 0.45 + i * 0.035]), bestIteration: 8 } };
}

describe('metrics webview page (chromium)', function () {
  this.timeout(120_000);
  const harness = useWebviewPage('metrics');

  /** Opens the page as the extension serves it; returns the page, the messages it posted and any CSP violations. */
  const openPage = (state?: unknown) => harness.open({ state });
  const send = (page: Page, msg: HostToPage) => harness.send(page, msg);

  it('renders the comparison with baseline and target rows, and shows attacker-controlled text literally', async () => {
    const { page, posted, problems } = await openPage();
    for (let i = 0; i < 100 && posted.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(posted[0], { type: 'ready' });
    await send(page, { type: 'experiment', experiment: EXPERIMENT });
    await page.locator('table.comparison').waitFor();
    const rows = await page.locator('table.comparison tbody tr').allInnerTexts();
    await page.screenshot({ path: path.join(os.tmpdir(), 'secml-metrics-page.png'), fullPage: true });
    assert.equal(rows.length, 4);
    assert.match(await page.locator('tr.baseline-row').innerText(), /Baseline \(all negative\)/);
    assert.match(await page.locator('tr.target-row').innerText(), /Target \(seed\)[\s\S]*≥ 70\.0%/);
    assert.match(await page.locator('tr.meets-target').innerText(), /full[\s\S]*85\.0%[\s\S]*✓ met/);
    assert.equal(await page.locator('tr.meets-target').count(), 1);
    // It says which threshold the table's precision/recall/counts are at (the Score panel works at the FPR-5% one).
    assert.match(await page.locator('p.summary').innerText(), /Precision, recall, F1, TP, FP, TN and FN are at threshold 0\.50; Recall @ FPR 5% is at each model's threshold for FPR 5%/);
    // The hostile strings are text, never markup.
    assert.ok((await page.locator('.description').innerText()).includes(XSS));
    assert.equal(await page.locator('img').count(), 0);
    await page.locator('tr[data-run-id$="-last5"]').click();
    assert.ok((await page.locator('section.focus .error').innerText()).includes(XSS));
    assert.equal(await page.locator('img').count(), 0);
    // It asked for the curves of the runs it shows.
    const load = posted.find((m) => (m as { type: string }).type === 'loadDetails') as { runIds: string[] };
    assert.deepEqual(load.runIds.sort(), ['20250301-142233-first5', '20250301-142233-full']);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('opens on the evaluation files once runs have figures on them, unless the user chose a set', async () => {
    const scored = { ...EXPERIMENT, runs: EXPERIMENT.runs.map((r) => (r.test ? { ...r, evaluation: summary(0.9, 18) } : r)) };
    const fresh = await openPage();
    await send(fresh.page, { type: 'experiment', experiment: EXPERIMENT });
    await fresh.page.locator('table.comparison[aria-label*="test split"]').waitFor();
    await send(fresh.page, { type: 'experiment', experiment: scored });
    await fresh.page.locator('table.comparison[aria-label*="evaluation files"]').waitFor();
    assert.match(await fresh.page.locator('p.summary').innerText(), /met by full, first5/);
    await fresh.page.close();
    const chosen = await openPage({ set: 'test' });
    await send(chosen.page, { type: 'experiment', experiment: scored });
    await chosen.page.locator('table.comparison[aria-label*="test split"]').waitFor();
    await chosen.page.close();
  });

  it('sorts from the keyboard, recomputes the confusion matrix from the slider, draws the curves and keeps its state', async () => {
    const { page, problems } = await openPage();
    await send(page, { type: 'experiment', experiment: EXPERIMENT });
    await send(page, { type: 'details', details: [detail('20250301-142233-full'), detail('20250301-142233-first5')] });
    await page.locator('#chart-roc').waitFor();
    assert.equal(await page.locator('#chart-roc path.series').count(), 2);
    assert.equal(await page.locator('#chart-pr path.series').count(), 2);
    assert.match(await page.locator('#chart-roc').getAttribute('aria-label') ?? '', /Target: recall 70% at FPR 5%/);
    assert.equal(await page.locator('#chart-training-full path.series').count(), 2);
    // The training legend covers no point of the curves (they run corner to corner here: it goes mid-right or mid-left).
    const covered = await page.evaluate(`(() => {
      const svg = document.querySelector('#chart-training-full');
      const r = svg.querySelector('.legend-bg').getBBox();
      const pts = [...svg.querySelectorAll(':scope > path.series')].flatMap((p) => p.getAttribute('d').slice(1).split(/[ML]/).map((xy) => xy.split(',').map(Number)));
      return pts.filter(([x, y]) => x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height).length;
    })()`);
    assert.equal(covered, 0, 'no curve point under the training legend');

    // Sort by recall at FPR 5%, ascending then descending, with the keyboard.
    const sortButton = page.locator('button.sort', { hasText: 'Recall @ FPR 5%' });
    await sortButton.focus();
    await page.keyboard.press('Enter');
    let order = await page.locator('table.comparison tbody th.variant').allInnerTexts();
    assert.deepEqual(order.map((t) => t.split(/\s/)[0]), ['full', 'first5', 'last5', 'last10'], 'descending first, missing values last');
    await page.locator('button.sort', { hasText: 'Recall @ FPR 5%' }).focus();
    await page.keyboard.press('Enter');
    order = await page.locator('table.comparison tbody th.variant').allInnerTexts();
    assert.deepEqual(order.map((t) => t.split(/\s/)[0]), ['first5', 'full', 'last5', 'last10']);
    assert.equal(await page.locator('th[aria-sort="ascending"]').count(), 1);
    // The verdict sits right after the figure it judges (visible without scrolling sideways) and sorts by it, met runs first.
    const headers = (await page.locator('table.comparison thead button.sort').allInnerTexts()).map((t) => t.replace(/[▲▼]/g, '').trim());
    assert.equal(headers[headers.indexOf('Recall @ FPR 5%') + 1], 'Target');
    await page.locator('button.sort', { hasText: /^Target/ }).click();
    order = await page.locator('table.comparison tbody th.variant').allInnerTexts();
    assert.deepEqual(order.map((t) => t.split(/\s/)[0]), ['full', 'first5', 'last5', 'last10']);
    assert.match((await page.locator('table.comparison tbody tr').first().innerText()).replace(/\s+/g, ' '), /85\.0% ✓ met/);
    await page.locator('button.sort', { hasText: 'Recall @ FPR 5%' }).click();
    await page.locator('button.sort', { hasText: 'Recall @ FPR 5%' }).click();
    assert.equal(await page.locator('th[aria-sort="ascending"]').count(), 1);

    // The focused run (best recall at FPR 5%: full) shows its matrix at the run threshold 0.5 -> point 10: tp 10, fp 1.
    const cells = async () => (await page.locator('table.confusion .cm-count').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
    assert.deepEqual(await cells(), [10, 10, 1, 399]);
    const slider = page.locator('#threshold-slider');
    await slider.focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    assert.deepEqual(await cells(), [18, 2, 160, 240], 'point 18: tp 18, fp 160');
    assert.match(await page.locator('.readout').innerText(), /recall 90\.0%/);
    await page.locator('vscode-button', { hasText: 'FPR ≤ 5% point' }).click();
    assert.equal(await slider.inputValue(), '14');
    await page.screenshot({ path: path.join(os.tmpdir(), 'secml-metrics-page-curves.png'), fullPage: true });

    const state = await page.evaluate('window.__state');
    assert.equal((state as { sortDir: string }).sortDir, 'asc');
    assert.equal((state as { slider: Record<string, number> }).slider['20250301-142233-full/test'], 14);
    await page.close();

    // A new page with that state (a reload) comes back sorted the same way with the slider where it was.
    const again = await openPage(state);
    await send(again.page, { type: 'experiment', experiment: EXPERIMENT });
    await send(again.page, { type: 'details', details: [detail('20250301-142233-full'), detail('20250301-142233-first5')] });
    await again.page.locator('#threshold-slider').waitFor();
    order = await again.page.locator('table.comparison tbody th.variant').allInnerTexts();
    assert.deepEqual(order.map((t) => t.split(/\s/)[0]), ['first5', 'full', 'last5', 'last10']);
    assert.equal(await again.page.locator('#threshold-slider').inputValue(), '14');
    assert.deepEqual([...problems, ...again.problems], []);
    await again.page.close();
  });

  it('exports the charts as standalone SVG and PNG', async () => {
    const { page, posted, problems } = await openPage();
    await send(page, { type: 'experiment', experiment: EXPERIMENT });
    await send(page, { type: 'details', details: [detail('20250301-142233-full'), detail('20250301-142233-first5')] });
    await page.locator('#chart-pr').waitFor();
    await page.locator('vscode-button', { hasText: 'Export' }).click();
    for (let i = 0; i < 100 && !posted.some((m) => (m as { type: string }).type === 'export'); i++) await new Promise((r) => setTimeout(r, 50));
    const msg = posted.find((m) => (m as { type: string }).type === 'export') as { set: string; runIds: string[]; charts: { name: string; svg: string; png?: string }[] };
    assert.ok(msg, 'an export message was posted');
    assert.equal(msg.set, 'test');
    assert.deepEqual(msg.charts.map((c) => c.name).sort(), ['pr', 'roc', 'training-full']);
    for (const c of msg.charts) {
      assert.match(c.svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(c.svg, /stroke="rgb/, 'theme colours resolved into attributes');
      assert.ok(isSafeSvg(c.svg), `${c.name}: the host's SVG allowlist accepts a real exported chart`);
      assert.ok(c.png, `${c.name} has a PNG`);
      assert.deepEqual([...Buffer.from(c.png!, 'base64').subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    }
    assert.ok(parsePageMessage(msg), 'the host accepts what the page sends');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

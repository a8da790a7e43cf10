/**
 * The score results page in a real browser (Debian chromium through playwright-core), under the CSP the extension
 * serves: summary, warnings, threshold, confusion matrix and metrics, ranked sessions a page at a time with search and
 * "flagged only", and attacker-controlled session ids and event types shown literally (never markup).
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { parsePageMessage, type ScoreHostMessage, type ScoreView, type SessionRowView } from '../../webview/score/protocol';
import { useWebviewPage, type WebviewPage } from '../helpers/webview-page';
const XSS = '<img src=x onerror=alert(1)>';

const STATE: ScoreView = {
  title: 'single.txt',
  inputs: ['single.txt'],
  model: { kind: 'local', label: 'harvest / full', location: '/ws/.secml/experiments/harvest/run/model' },
  sessions: 9246,
  events: 81870,
  threshold: 0.212,
  modelThreshold: 0.212,
  thresholdSource: "the model's threshold at FPR 5% (validation set)",
  flagged: 263,
  unseen: { types: 1, events: 3, top: [[XSS, 3]], message: `3 events of 1 type the model never saw (${XSS} (3)) counted as __other__: the model cannot tell them apart` },
  skippedRows: 0,
  labelled: 9246,
  metrics: { threshold: 0.212, tp: 9, fp: 254, tn: 8982, fn: 1, accuracy: 0.9724, precision: 0.0342, recall: 0.9, f1: 0.0659, fpr: 0.0275, rocAuc: 0.9874, prAuc: 0.5009, recallAtFpr5: 0.9, thresholdAtFpr5: 0.339, positives: 10, negatives: 9236, baselineAccuracy: 0.9989 },
  scoresCsv: '/ws/single.txt.scores.csv',
  canOpenLines: true,
  seconds: 0.84,
  generation: 2,
  job: { inputs: ['/ws/single.txt'], model: 'local:/ws/.secml/experiments/harvest/run/model' },
};

function rowsOf(start: number, count: number, total: number): SessionRowView[] {
  return Array.from({ length: Math.min(count, total - start) }, (_, k) => {
    const rank = start + k + 1;
    return {
      rank,
      index: 1000 + rank,
      id: rank === 2 ? XSS : `7088${rank}`,
      probability: 1 - rank / 1000,
      flagged: rank <= 263,
      label: rank === 1 ? 1 : 0,
      events: 32,
      firstTime: Date.UTC(2019, 6, 7, 4, 48, 40),
      lastTime: Date.UTC(2019, 6, 7, 4, 50, 27),
      file: 'single.txt',
      line: 10 * rank,
      firstEvents: ['111', rank === 3 ? XSS : '119', '117', '119', '117'],
      lastEvents: ['201', '201', '215', '201', '112'],
      counts: [['201', 12], ['117', 6], [rank === 3 ? XSS : '119', 3]],
    };
  });
}

describe('score results page (chromium)', function () {
  this.timeout(120_000);
  const harness = useWebviewPage('score');
  const send = (page: Page, msg: ScoreHostMessage) => harness.send(page, msg);

  /** Opens the page with a host that answers getRows from `rowsOf`; checks every message the page sends. */
  async function openPage(): Promise<WebviewPage> {
    let problems: string[] = [];
    const opened = await harness.open({
      viewport: { width: 1400, height: 1000 },
      onPost: (m, page) => {
        const valid = parsePageMessage(m);
        if (!valid && m.type !== 'ready') problems.push(`invalid message ${JSON.stringify(m)}`);
        else if (valid?.type === 'getRows') {
          const total = valid.query.flaggedOnly ? 263 : valid.query.text ? 1 : 9246;
          const rows = valid.query.text ? rowsOf(1, 1, 2) : rowsOf(valid.start, valid.count, total);
          void send(page, { type: 'rows', generation: valid.generation, query: valid.query, start: valid.start, total, rows });
        }
      },
    });
    // Later invalid messages land in the page's own list of problems.
    opened.problems.push(...problems);
    problems = opened.problems;
    return opened;
  }

  it('shows the summary, metrics and ranked sessions; hostile ids and event types stay text', async () => {
    const { page, posted, problems } = await openPage();
    assert.deepEqual(posted[0], { type: 'ready' });
    await send(page, { type: 'state', state: STATE });
    await page.locator('table.sessions tbody tr').first().waitFor();
    assert.equal(await page.locator('h1').innerText(), 'Scores: single.txt');
    assert.equal(await page.locator('#flagged-count').innerText(), '263');
    assert.match(await page.locator('#scored-with').innerText(), /harvest \/ full \(local model\) · 9,246 sessions · 81,870 events/);
    assert.ok((await page.locator('.warning.unseen').innerText()).includes(XSS));
    const cells = (await page.locator('table.confusion .cm-count').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
    assert.deepEqual(cells, [9, 1, 254, 8982]);
    assert.match(await page.locator('table.metrics-table').innerText(), /Recall at FPR ≤ 5%\s+90\.0%[\s\S]*ROC AUC\s+0\.9874/);
    assert.equal(await page.locator('table.sessions tbody tr').count(), 50);
    assert.equal(await page.locator('table.sessions tbody tr.flagged').count(), 50);
    assert.equal(await page.locator('#rows-status').innerText(), '1–50 of 9,246 sessions');
    const second = page.locator('table.sessions tbody tr').nth(1);
    assert.equal(await second.locator('td.session button').innerText(), XSS);
    assert.ok((await page.locator('table.sessions tbody tr').nth(2).innerText()).includes(XSS));
    assert.equal(await page.locator('img').count(), 0);
    assert.match(await page.locator('table.sessions tbody tr').first().innerText(), /^1\s+0\.9990\s+flagged\s+70881\s+attacker\s+32\s+2019-07-07 04:48:40\s+107\.0 s\s+111 119 117 119 117 … 201 201 215 201 112\s+201 ×12 117 ×6/);
    await page.screenshot({ path: path.join(os.tmpdir(), 'secml-score-page.png'), fullPage: true });

    // Clicking a session asks the host to open its log line.
    await second.locator('td.session button').click();
    assert.deepEqual(posted.find((m) => m.type === 'openSession'), { type: 'openSession', index: 1002 });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('pages, searches, filters flagged, moves the threshold and exports', async () => {
    const { page, posted, problems } = await openPage();
    await send(page, { type: 'state', state: STATE });
    await page.locator('table.sessions tbody tr').first().waitFor();
    await page.locator('#next-page').click();
    await page.locator('#rows-status', { hasText: '51–100 of 9,246' }).waitFor();
    assert.equal(await page.locator('table.sessions tbody tr').first().locator('td').first().innerText(), '51');
    await page.locator('#flagged-only').click();
    await page.locator('#rows-status', { hasText: '1–50 of 263 flagged sessions' }).waitFor();
    await page.locator('#flagged-only').click();
    await page.locator('#search input').fill('img');
    await page.locator('#rows-status', { hasText: '1–1 of 1 sessions' }).waitFor();
    const getRows = posted.filter((m) => m.type === 'getRows').map((m) => m.query);
    assert.deepEqual(getRows.at(-1), { text: 'img', flaggedOnly: false });
    await page.locator('#threshold-value').fill('0.5');
    await page.locator('#threshold-value').press('Enter');
    await page.locator('#threshold-value').blur();
    for (let i = 0; i < 50 && !posted.some((m) => m.type === 'setThreshold'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(posted.find((m) => m.type === 'setThreshold'), { type: 'setThreshold', value: 0.5 });
    await page.locator('#export-csv').click();
    for (let i = 0; i < 50 && !posted.some((m) => m.type === 'exportCsv'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(posted.some((m) => m.type === 'exportCsv'));
    // The host's answer to a new threshold: a new generation, fewer flagged.
    await send(page, { type: 'state', state: { ...STATE, threshold: 0.5, flagged: 40, generation: 3, metrics: { ...STATE.metrics!, threshold: 0.5, tp: 5, fn: 5, fp: 35, tn: 9201 } } });
    await page.locator('#flagged-count', { hasText: '40' }).waitFor();
    assert.match(await page.locator('#threshold-source').innerText(), /^Moved from 0\.2120/);
    const state = (await page.evaluate('window.__state')) as { text: string; job: unknown };
    assert.equal(state.text, 'img');
    assert.deepEqual(state.job, STATE.job);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('after a reload without results, offers to score again', async () => {
    const { page, posted, problems } = await openPage();
    await send(page, { type: 'empty', message: 'Scores are not kept after a reload: score single.txt again with the same model.', canRescore: true });
    await page.locator('#rescore').click();
    for (let i = 0; i < 50 && !posted.some((m) => m.type === 'rescore'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(posted.some((m) => m.type === 'rescore'));
    assert.match(await page.locator('#empty-message').innerText(), /not kept after a reload/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultScoresPath, probabilityText, rankByScore, RankedSessions, scoresCsvText, scoreSummary, writeScoresCsv, type ScoreResult } from '../../../src/core/scoring';
import type { SessionSummary } from '../../../src/core/features/scoring-table';

const XSS = '<img src=x onerror=alert(1)>';

/** A score result by hand: sessions with ids, scores, labels and count rows over vocabulary a, b + __other__. */
function result(ids: string[], scores: number[], labels: number[] | null, threshold = 0.5): ScoreResult {
  const features = ['a', 'b', '__other__', '__duration_s__'];
  const rows = new Float32Array(ids.length * 4);
  ids.forEach((_, i) => rows.set([i % 3, 1, i === 1 ? 4 : 0, 60], i * 4));
  const sessions: SessionSummary[] = ids.map((id, i) => ({ id, events: 5 + i, file: '/logs/day.tsv', firstLine: 2 + i * 5, firstEvents: i === 2 ? [XSS, 'a'] : ['a', 'b'], lastEvents: ['b'], firstTime: 1_000_000 + i, lastTime: 1_060_000 + i, ...(labels && labels[i] >= 0 ? { label: labels[i] as 0 | 1 } : {}) }));
  const s = Float32Array.from(scores);
  return {
    inputs: ['/logs/day.tsv'],
    model: { kind: 'local', label: 'm', location: '/m' },
    info: { reader: { format: 'seed' }, vocabulary: ['a', 'b'], features },
    table: { features, rows, n: ids.length, labels: labels ? Int8Array.from(labels) : null, sessions, unseen: { zzz: 4 }, skipped: { count: 0, first: [] }, events: 30 },
    scores: s,
    order: rankByScore(s),
    threshold,
    thresholdSource: 'given',
    modelThreshold: threshold,
    flagged: scores.filter((p) => p >= threshold).length,
    labelled: labels ? labels.filter((l) => l >= 0).length : 0,
    metrics: null,
    seconds: { flatten: 0, score: 0, rank: 0, metrics: 0, total: 0 },
  };
}

describe('ranking sessions', () => {
  it('ranks highest first, ties in input order, NaN last', () => {
    assert.deepEqual(Array.from(rankByScore([0.2, 0.9, NaN, 0.9, 0, 1, 0.2])), [5, 1, 3, 0, 6, 4, 2]);
    assert.deepEqual(Array.from(rankByScore([])), []);
  });

  it('ranks the same way past two million sessions (where a radix sort takes over)', () => {
    const n = (1 << 21) + 10;
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) scores[i] = ((i * 7919) % 1000) / 1000;
    scores[n - 1] = NaN;
    const order = rankByScore(scores);
    assert.equal(order.length, n);
    assert.equal(order[n - 1], n - 1, 'NaN last');
    for (let k = 1; k < n - 1; k++) {
      const a = order[k - 1], b = order[k];
      assert.ok(scores[a] > scores[b] || (scores[a] === scores[b] && a < b), `rank ${k}: ${a} before ${b}`);
    }
  });

  it('agrees with a comparison sort on 100k random float32 scores', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const scores = Float32Array.from({ length: 100_000 }, () => Math.round(rnd() * 5000) / 5000);
    const expected = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
    assert.deepEqual(Array.from(rankByScore(scores)), expected);
  });
});

describe('the scores CSV', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'secml-scores-csv-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is <input>.scores.csv beside the input or in a chosen folder', () => {
    assert.equal(defaultScoresPath('/logs/single.txt'), '/logs/single.txt.scores.csv');
    assert.equal(defaultScoresPath('/logs/day/'), '/logs/day.scores.csv');
    assert.equal(defaultScoresPath('/logs/single.txt', '/out'), '/out/single.txt.scores.csv');
  });

  it('lists sessions in rank order with flagged and label, quoting hostile ids', () => {
    const r = result(['s1', 'a,"b"', '=HYPERLINK("x")', XSS], [0.1, 0.7, 0.5, 0.3], [0, 1, -1, 0]);
    assert.equal(scoresCsvText(r), ['session,probability,flagged,label', '"a,""b""",0.7,1,1', `"'=HYPERLINK(""x"")",0.5,1,`, `${XSS},0.3,0,0`, 's1,0.1,0,0', ''].join('\n'));
    const unlabelled = result(['x'], [0.25], null);
    assert.equal(scoresCsvText(unlabelled), 'session,probability,flagged\nx,0.25,0\n');
    assert.equal(scoresCsvText(result(['line\nbreak', '-1', '+1'], [0.3, 0.2, 0.1], null)), ['session,probability,flagged', '"line\nbreak",0.3,0', '-1,0.2,0', `"'+1",0.1,0`, ''].join('\n'));
    assert.equal(probabilityText(Math.fround(0.2119588851928711)), '0.21195889');
    assert.equal(Math.fround(Number(probabilityText(Math.fround(1 / 3)))), Math.fround(1 / 3));
  });

  it('never overwrites an existing file unless asked, and writes atomically', async () => {
    const r = result(['s1'], [0.9], null);
    const file = path.join(root, 'day.scores.csv');
    writeFileSync(file, 'keep me');
    await assert.rejects(writeScoresCsv(r, file), (e: { code: string; file: string }) => e.code === 'CONFLICT' && e.file === file);
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
    assert.deepEqual(await writeScoresCsv(r, file, { overwrite: true }), { file, rows: 1 });
    assert.equal(readFileSync(file, 'utf8'), 'session,probability,flagged\ns1,0.9,1\n');
  });
});

describe('RankedSessions (the panel\'s pages)', () => {
  const r = () => result(['alpha', 'beta', 'gamma', 'delta', 'eps'], [0.1, 0.9, 0.6, 0.4, 0.95], [0, 1, 0, 1, 1]);

  it('pages ranked rows with top event counts, time span and label', () => {
    const ranked = new RankedSessions(r());
    const all = { text: '', flaggedOnly: false };
    assert.equal(ranked.count(all), 5);
    const page = ranked.page(all, 0, 3);
    assert.deepEqual(page.map((p) => [p.rank, p.id, p.flagged]), [[1, 'eps', true], [2, 'beta', true], [3, 'gamma', true]]);
    const beta = page[1];
    assert.deepEqual(beta.counts, [['__other__', 4], ['a', 1], ['b', 1]]);
    assert.equal(beta.label, 1);
    assert.equal(beta.line, 7);
    assert.equal(beta.lastTime! - beta.firstTime!, 60_000);
    assert.deepEqual(ranked.page(all, 4, 10).map((p) => p.id), ['alpha']);
  });

  it('searches ids and event types, filters flagged, and follows the threshold', () => {
    const ranked = new RankedSessions(r());
    assert.deepEqual(ranked.page({ text: 'ELT', flaggedOnly: false }, 0, 10).map((p) => p.id), ['delta']);
    // An event type in the vocabulary: sessions with a count of it ("a" is 0 for indices 0 and 3).
    assert.deepEqual(ranked.page({ text: 'a', flaggedOnly: false }, 0, 10).map((p) => p.id), ['eps', 'beta', 'gamma', 'delta', 'alpha']);
    assert.deepEqual(ranked.page({ text: '__other', flaggedOnly: false }, 0, 10).map((p) => p.id), ['beta']);
    // An unseen type shows in the first/last events.
    assert.deepEqual(ranked.page({ text: 'onerror', flaggedOnly: false }, 0, 10).map((p) => p.id), ['gamma']);
    assert.equal(ranked.count({ text: '', flaggedOnly: true }), 3);
    ranked.setThreshold(0.92);
    assert.equal(ranked.flagged, 1);
    assert.deepEqual(ranked.page({ text: '', flaggedOnly: true }, 0, 10).map((p) => p.id), ['eps']);
    const m = ranked.result.metrics!;
    assert.deepEqual([m.tp, m.fp, m.tn, m.fn, m.threshold], [1, 0, 2, 2, 0.92]);
  });

  it('summarises for --json with the top sessions', () => {
    const s = scoreSummary(r(), 2);
    assert.deepEqual(s.top.map((t) => [t.rank, t.session, t.flagged, t.label]), [[1, 'eps', true, 1], [2, 'beta', true, 1]]);
    assert.equal(s.top[0].firstTime, new Date(1_000_004).toISOString());
    assert.deepEqual(s.unseenEventTypes, { types: 1, events: 4, counts: { zzz: 4 } });
    assert.equal(s.flagged, 3);
  });
});

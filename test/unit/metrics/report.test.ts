import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { computeMetrics, summaryOf } from '../../../src/core/metrics/report';
import { confusionAt, downsample } from '../../../src/core/metrics/curves';
import { groupByScore, nextUp, rocAuc, rocAucOfFloat32 } from '../../../src/core/metrics/score-groups';

interface Reference {
  name: string;
  labels: number[];
  scores: number[];
  threshold: number;
  tp: number; fp: number; tn: number; fn: number;
  accuracy: number; precision: number; recall: number; f1: number; fpr: number;
  rocAuc: number | null;
  prAuc: number;
  recallAtFpr5: number | null;
  thresholdAtFpr5: number | null;
}

// Values computed by scikit-learn 1.2.1 (make_sklearn_reference.py).
const cases: Reference[] = JSON.parse(readFileSync(path.join(__dirname, 'sklearn-reference.json'), 'utf8'));
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

function assertFinite(v: unknown, where = 'report'): void {
  if (typeof v === 'number') assert.ok(Number.isFinite(v), `${where} is ${v}`);
  else if (Array.isArray(v)) v.forEach((x, i) => assertFinite(x, `${where}[${i}]`));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) assertFinite(x, `${where}.${k}`);
}

describe('metrics/report: computeMetrics against scikit-learn', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = computeMetrics(c.labels, c.scores, { threshold: c.threshold });
      assert.deepEqual([r.tp, r.fp, r.tn, r.fn], [c.tp, c.fp, c.tn, c.fn]);
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'fpr', 'prAuc'] as const) close(r[k], c[k], k);
      if (c.rocAuc === null) assert.equal(r.rocAuc, null);
      else close(r.rocAuc!, c.rocAuc, 'rocAuc');
      if (c.recallAtFpr5 !== null) close(r.recallAtFpr5, c.recallAtFpr5, 'recallAtFpr5');
      if (c.thresholdAtFpr5 !== null) assert.equal(r.thresholdAtFpr5, c.thresholdAtFpr5);
      else if (c.recallAtFpr5 === 0) assert.equal(r.thresholdAtFpr5, nextUp(Math.max(...c.scores)), 'flags nothing');
      assertFinite(r);
      assert.deepEqual(r.baseline, {
        tp: 0, fp: 0, tn: c.tp + c.fp + c.tn + c.fn - (c.tp + c.fn), fn: c.tp + c.fn,
        accuracy: (c.fp + c.tn) / c.labels.length, precision: 0, recall: 0,
      });
    });
  }

  it('defines every value with no positives (the seed\'s held-out normal traffic)', () => {
    const r = computeMetrics([0, 0, 0, 0], [0.2, 0.7, 0.1, 0.7]);
    assert.equal(r.rocAuc, null);
    assert.equal(r.prAuc, 0);
    assert.equal(r.recall, 0);
    assert.equal(r.precision, 0);
    assert.equal(r.f1, 0);
    assert.equal(r.fpr, 0.5);
    assert.equal(r.recallAtFpr5, 0);
    assert.equal(r.thresholdAtFpr5, nextUp(0.7), 'flags nothing');
    assert.equal(r.baseline.accuracy, 1);
    assertFinite(r);
  });

  it('defines every value with no negatives: every threshold has FPR 0', () => {
    const r = computeMetrics([1, 1, 1], [0.2, 0.9, 0.4]);
    assert.equal(r.rocAuc, null);
    assert.equal(r.prAuc, 1);
    assert.equal(r.fpr, 0);
    assert.equal(r.recallAtFpr5, 1);
    assert.equal(r.thresholdAtFpr5, 0.2);
    assert.equal(r.baseline.accuracy, 0);
    assertFinite(r);
  });

  it('handles no rows at all', () => {
    const r = computeMetrics([], []);
    assert.deepEqual([r.tp, r.fp, r.tn, r.fn, r.accuracy, r.prAuc, r.recallAtFpr5], [0, 0, 0, 0, 0, 0, 0]);
    assert.equal(r.rocAuc, null);
    assertFinite(r);
    assert.doesNotThrow(() => JSON.stringify(r));
  });

  it('accepts typed arrays and rejects NaN scores', () => {
    const r = computeMetrics(new Float32Array([0, 1, 1, 0]), new Float32Array([0.1, 0.8, 0.6, 0.3]));
    assert.equal(r.rocAuc, 1);
    assert.throws(() => computeMetrics([0, 1], [0.2, NaN]), (e: any) => e.code === 'BAD_ARGUMENT' && /score 2 is NaN/.test(e.message));
  });

  it('float32 scores (radix-sorted) rank exactly like doubles, and the direct AUC equals the grouped one', () => {
    for (const c of cases) {
      const f32 = Float32Array.from(c.scores);
      const asDoubles = Array.from(f32);
      const a = groupByScore(c.labels, f32), b = groupByScore(c.labels, asDoubles);
      assert.deepEqual([Array.from(a.thresholds), Array.from(a.tp), Array.from(a.fp)], [Array.from(b.thresholds), Array.from(b.tp), Array.from(b.fp)], c.name);
      assert.equal(rocAucOfFloat32(c.labels, f32), rocAuc(b), c.name);
    }
    const negatives = Float32Array.from([-2, -0, 0, 1e-30, -1e30, 3]);
    assert.deepEqual(Array.from(groupByScore([1, 0, 1, 0, 1, 0], negatives).thresholds), [3, 1e-30, 0, -2, -1e30].map(Math.fround));
  });

  it('summaryOf drops only the curves', () => {
    const r = computeMetrics([0, 1], [0.2, 0.8]);
    const s = summaryOf(r);
    assert.equal('curves' in s, false);
    for (const k of ['tp', 'fp', 'tn', 'fn', 'accuracy', 'precision', 'recall', 'f1', 'fpr', 'rocAuc', 'prAuc', 'recallAtFpr5', 'thresholdAtFpr5', 'baseline']) assert.ok(k in s, k);
  });
});

describe('metrics/curves', () => {
  const big = cases.find((c) => c.name.startsWith('2000 rows'))!;
  const rare = cases.find((c) => c.name.startsWith('rare'))!;

  it('starts at the threshold that flags nothing and ends flagging everything', () => {
    const r = computeMetrics(big.labels, big.scores);
    const { roc, pr } = r.curves;
    assert.deepEqual(roc[0].slice(0, 2), [0, 0]);
    assert.deepEqual(roc[roc.length - 1].slice(0, 2), [1, 1]);
    assert.equal(pr[0][1], 1);
    assert.equal(pr[pr.length - 1][0], 1);
    for (let i = 1; i < roc.length; i++) {
      assert.ok(roc[i][2] < roc[i - 1][2], 'thresholds descend');
      assert.ok(roc[i][0] >= roc[i - 1][0] && roc[i][1] >= roc[i - 1][1], 'ROC is monotone');
    }
  });

  it('downsamples to at most ~200 points and keeps the points the report names', () => {
    const scores = rare.scores;
    const r = computeMetrics(rare.labels, scores);
    assert.ok(new Set(scores).size > 1000, 'the case has many distinct scores');
    assert.ok(r.curves.roc.length <= 202 && r.curves.pr.length <= 202, `${r.curves.roc.length} points`);
    assert.ok(r.curves.roc.length > 50);
    assert.ok(r.curves.roc.some((p) => p[2] === r.thresholdAtFpr5), 'the FPR 5% operating point is on the curve');
  });

  it('downsample keeps first and last and never exceeds the budget', () => {
    const pts: [number, number, number][] = Array.from({ length: 10000 }, (_, i) => [i / 9999, Math.sqrt(i / 9999), 1 - i / 9999]);
    const d = downsample(pts, 200);
    assert.ok(d.length <= 200);
    assert.equal(d[0], pts[0]);
    assert.equal(d[d.length - 1], pts[pts.length - 1]);
  });

  it('confusionAt reads the confusion matrix back from the curve, exactly at the report\'s thresholds', () => {
    for (const c of [big, rare]) {
      const r = computeMetrics(c.labels, c.scores);
      const at = confusionAt(r, r.threshold);
      assert.deepEqual([at.tp, at.fp, at.tn, at.fn], [r.tp, r.fp, r.tn, r.fn], c.name);
      const at5 = confusionAt(r, r.thresholdAtFpr5);
      assert.equal(at5.recall, r.recallAtFpr5);
      assert.ok(at5.fpr <= 0.05);
      // A point of the curve gives the matrix at its own threshold.
      const p = r.curves.roc[Math.floor(r.curves.roc.length / 2)];
      const direct = computeMetrics(c.labels, c.scores, { threshold: p[2] });
      const fromPoint = confusionAt(r, p);
      assert.deepEqual([fromPoint.tp, fromPoint.fp, fromPoint.tn, fromPoint.fn], [direct.tp, direct.fp, direct.tn, direct.fn]);
      assert.equal(fromPoint.threshold, p[2]);
    }
  });

  it('confusionAt above every score flags nothing', () => {
    const r = computeMetrics([0, 1, 1], [0.1, 0.5, 0.9]);
    const c = confusionAt(r, 2);
    assert.deepEqual([c.tp, c.fp, c.tn, c.fn], [0, 0, 1, 2]);
  });
});

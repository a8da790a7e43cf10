import * as assert from 'node:assert/strict';
import { metricsSummaryOf, type MetricsSummary } from '../../../src/core/experiments/run-record';
import { computeMetrics } from '../../../src/core/metrics/report';
import { metricsView } from '../../../src/extension/panels/score-view-data';
import { isMetricsSummary } from '../../../webview/shared/protocol';

describe('the metrics summary both panels send', () => {
  const report = computeMetrics([0, 0, 1, 1, 0], [0.1, 0.6, 0.8, 0.4, 0.2]);

  it('is exactly the MetricsSummary fields of a report, which the shared validator accepts', () => {
    const s = metricsSummaryOf(report);
    assert.deepEqual(Object.keys(s).sort(), ['accuracy', 'f1', 'fn', 'fp', 'fpr', 'negatives', 'positives', 'prAuc', 'precision', 'recall', 'recallAtFpr5', 'rocAuc', 'threshold', 'thresholdAtFpr5', 'tn', 'tp']);
    assert.equal(s.positives, 2);
    assert.equal(s.tp, 1);
    assert.ok(isMetricsSummary(s));
    const view = metricsView(report);
    assert.equal(view.baselineAccuracy, report.baseline.accuracy);
    assert.ok(!('curves' in view) && !('baseline' in view));
  });

  it('makes every figure finite (a record read back from JSON may hold null)', () => {
    const fromDisk = { ...metricsSummaryOf(report), rocAuc: Number.NaN, prAuc: null, thresholdAtFpr5: null, extra: '<b>' } as unknown as MetricsSummary;
    const s = metricsSummaryOf(fromDisk);
    assert.equal(s.rocAuc, null);
    assert.equal(s.prAuc, 0);
    assert.equal(s.thresholdAtFpr5, 1);
    assert.ok(!('extra' in s));
    assert.ok(isMetricsSummary(s));
  });

  it('rejects summaries with a missing, non-finite or non-number figure', () => {
    const s = metricsSummaryOf(report);
    assert.ok(isMetricsSummary({ ...s, rocAuc: null }));
    for (const bad of [{ ...s, tp: '1' }, { ...s, recall: Number.NaN }, { ...s, fpr: Infinity }, { ...s, rocAuc: undefined }, { ...s, positives: undefined }, [], null, 'x']) {
      assert.equal(isMetricsSummary(bad), false, JSON.stringify(bad));
    }
  });
});

import * as assert from 'node:assert/strict';
import { baselineOf, comparisonCsv, comparisonRows, defaultEvaluationSet, headlineMetrics, TARGET } from '../../../src/core/experiments/comparison';
import type { RunRecord } from '../../../src/core/experiments/run-record';
import { formatComparison } from '../../../src/cli/commands/experiment';
import { summary } from './fakes';

function record(variant: string, status: RunRecord['status'], recallAtFpr5?: number): RunRecord {
  const s = recallAtFpr5 === undefined ? undefined : summary(recallAtFpr5);
  return {
    schemaVersion: 1, id: `20250301-142233-${variant}`, experiment: 'x', launchId: '20250301-142233', order: 0, variant, variantSpec: variant, backend: 'local', status,
    createdAt: '', owner: { pid: 1, host: 'h' }, hyperparameters: {}, trainingSeconds: 2,
    summary: s ? { test: s, baseline: { test: { ...s, tp: 0, fp: 0, tn: 91, fn: 9, recall: 0, precision: 0, recallAtFpr5: 0 } } } : undefined,
    error: status === 'failed' ? { code: 'LOG_FORMAT', message: '=HYPERLINK("http://evil")' } : undefined,
  };
}

describe('experiments/comparison', () => {
  const runs = [record('full', 'completed', 0.82), record('first5', 'completed', 0.4), record('last5', 'failed')];

  it('marks the runs that meet the seed target and picks the baseline', () => {
    const rows = comparisonRows(runs, 'test');
    assert.deepEqual(rows.map((r) => r.meetsTarget), [true, false, false]);
    assert.equal(rows[2].error, '=HYPERLINK("http://evil")');
    assert.equal(baselineOf(runs, 'test')?.tn, 91);
    assert.equal(baselineOf(runs, 'evaluation'), undefined);
    assert.equal(TARGET.recall, 0.7);
  });

  it('writes CSV with the baseline and target rows, neutralising spreadsheet formulas', () => {
    const csv = comparisonCsv(comparisonRows(runs, 'test'), 'test', baselineOf(runs, 'test'));
    const lines = csv.trim().split('\n');
    assert.match(lines[0], /^run,variant,variant_spec,status,set,precision,recall,f1,roc_auc,pr_auc,recall_at_fpr5,fpr,tp,fp,tn,fn,threshold,threshold_at_fpr5,training_seconds,meets_target$/);
    assert.equal(lines.length, 6);
    assert.match(lines[1], /^20250301-142233-full,full,full,completed,test,0\.875,0\.778,.*,0\.82,.*,true$/);
    assert.match(lines[4], /^baseline,all-negative,/);
    assert.match(lines[5], /^target,Target \(seed\): recall >= 70% at FPR <= 5%,.*,0\.7,/);
    const withFormulaVariant = comparisonCsv([{ ...comparisonRows(runs, 'test')[0], variant: '=cmd|calc' }], 'test');
    assert.match(withFormulaVariant.split('\n')[1], /,"'=cmd\|calc",/);
  });

  it('prints an aligned text comparison for the CLI', () => {
    const text = formatComparison(comparisonRows(runs, 'test'), baselineOf(runs, 'test'), 'test');
    assert.match(text, /^Comparison on the test split:/);
    assert.match(text, /full\s+completed\s+87\.5%/);
    assert.match(text, /baseline \(all negative\)/);
    assert.match(text, /Target \(seed\): recall >= 70% at FPR <= 5%: met by full\./);
    assert.match(text, /Not completed:\n  last5: =HYPERLINK/);
  });

  it('shows the evaluation files unless told otherwise when the runs were scored on them, else the test split', () => {
    assert.equal(defaultEvaluationSet(runs), 'test');
    assert.equal(headlineMetrics(runs[0])?.set, 'test');
    assert.equal(headlineMetrics(runs[2]), undefined);
    const withEvaluation = { ...runs[0], summary: { ...runs[0].summary!, evaluation: summary(0.5) } };
    assert.equal(defaultEvaluationSet([runs[1], withEvaluation]), 'evaluation');
    assert.deepEqual(headlineMetrics(withEvaluation), { set: 'evaluation', metrics: withEvaluation.summary.evaluation });
    assert.equal(defaultEvaluationSet([]), 'test');
  });
});

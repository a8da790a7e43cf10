import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { SYSTEM_PYTHON, hasPythonModule, requireTool } from '../../helpers/tools';
import { sharedWorkspace } from './fixture';

interface Result {
  variant: string;
  recall_at_0_5: number;
  recall_at_5pct_fpr: number;
  aucpr: number;
  single_attackers: number;
  single_recall_at_5pct_fpr: number;
}

/** The generator's promise, checked with real XGBoost: learnable like the seed's data, not trivial, prefixes harder. */
describe('sample/difficulty (real XGBoost on the sample data)', function () {
  this.timeout(300_000);

  it("a bag-of-events GBDT reaches about the seed's level on full sessions; first:5 is clearly harder", async function () {
    requireTool(this, 'python3 with xgboost, pandas and scikit-learn', () => ['xgboost', 'pandas', 'sklearn'].every(hasPythonModule), 'apt-get install python3-xgboost python3-pandas python3-sklearn');
    const ws = await sharedWorkspace();
    const out = execFileSync(SYSTEM_PYTHON, [path.join(__dirname, 'gbdt_difficulty.py'), ws.outDir, 'full,first:5'], { encoding: 'utf8', timeout: 280_000 });
    const [full, first5] = out.trim().split('\n').map((l) => JSON.parse(l) as Result);
    console.log(`      full: recall ${full.recall_at_0_5.toFixed(2)} at 0.5, ${full.recall_at_5pct_fpr.toFixed(2)} at 5% FPR, AUC-PR ${full.aucpr.toFixed(3)}; first:5: ${first5.recall_at_5pct_fpr.toFixed(2)} at 5% FPR`);
    assert.ok(full.recall_at_5pct_fpr >= 0.8 && full.recall_at_5pct_fpr <= 0.99, `full recall at 5% FPR ${full.recall_at_5pct_fpr}`);
    assert.ok(full.recall_at_0_5 >= 0.65 && full.recall_at_0_5 <= 0.95, `full recall at 0.5 ${full.recall_at_0_5}`);
    assert.ok(full.aucpr < 0.99, `full AUC-PR ${full.aucpr}: too easy`);
    assert.ok(first5.recall_at_5pct_fpr <= full.recall_at_5pct_fpr - 0.1, `first:5 ${first5.recall_at_5pct_fpr} vs full ${full.recall_at_5pct_fpr}`);
    assert.ok(first5.recall_at_5pct_fpr >= 0.3, `first:5 ${first5.recall_at_5pct_fpr}: nothing left to learn`);
    assert.equal(full.single_attackers, 10);
    assert.ok(full.single_recall_at_5pct_fpr >= 0.4, `single.txt recall at 5% FPR ${full.single_recall_at_5pct_fpr}`);
  });
});

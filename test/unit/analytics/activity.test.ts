import * as assert from 'node:assert/strict';
import { activityCounts, eventDays, findSpikes, robustBand, spikeScore, type ActivityCount } from '../../../src/core/analytics/activity-over-time';
import { DuckDBEngine } from '../../../src/core/query/duckdb-engine';
import { INVICTUS, sampleTrail } from './trail-fixture';
import { requireDataset } from '../../helpers/tools';

describe('analytics: activity over time', () => {
  it('robust band: median + 3 robust deviations, with a Poisson floor for idle pairs', () => {
    // median 10, MAD 2 -> s = max(2.9652, sqrt(10)) = 3.1623
    const b = robustBand([8, 10, 12, 10, 9, 11, 10, 30]);
    assert.equal(b.median, 10);
    assert.ok(Math.abs(b.upper - (10 + 3 * Math.sqrt(10))) < 1e-9);
    assert.deepEqual(robustBand([0, 0, 0, 0]), { median: 0, upper: 3 });
    assert.equal(spikeScore(30, 15), 0.5);
    assert.equal(spikeScore(10, 15), 0);
  });

  it('flags buckets above the band, seasonal-naive against the same hours of earlier days', () => {
    const H = 3600;
    const b0 = Date.parse('2024-05-13T00:00:00Z') / 1000 / H;
    const counts: ActivityCount[] = [];
    // bob queries 9:00-17:00 (10 calls an hour) on both days; day 2 at 15:00 he makes 40.
    for (const day of [0, 1]) for (let h = 9; h < 17; h++) counts.push({ principal: 'bob', action: 'athena:GetQueryExecution', bucket: b0 + day * 24 + h, events: day === 1 && h === 15 ? 40 : 10 });
    const r = findSpikes(counts, { from: '2024-05-13T00:00:00Z', to: '2024-05-15T00:00:00Z', bucketSeconds: H }, { scoreFrom: '2024-05-14T00:00:00Z' });
    assert.equal(r.buckets, 48);
    assert.equal(r.scoreFrom, '2024-05-14T00:00:00.000Z');
    // Office hours are not spikes (the same hours of day 1 had them); 15:00 is: 40 against an upper edge of 10.
    assert.deepEqual(r.spikes.map((s) => [s.start, s.events, s.upper]), [['2024-05-14T15:00:00.000Z', 40, 10]]);
    assert.equal(r.spikes[0].score, 0.75);
    assert.equal(r.series[0].counts.length, 48);
  });

  it('on the sample trail (DuckDB): the exfiltration hour of GetObject by the leaked key is the top spike', async () => {
    const { awsLogs, summary } = await sampleTrail();
    const engine = await DuckDBEngine.open({ logs: [awsLogs], materialize: false });
    try {
      const days = await eventDays(engine);
      assert.deepEqual(days?.to, '2024-05-15T00:00:00.000Z');
      const range = { from: '2024-05-13T00:00:00Z', to: '2024-05-15T00:00:00Z', bucketSeconds: 3600 };
      const counts = await activityCounts(engine, range);
      assert.equal(counts.reduce((a, c) => a + c.events, 0) <= summary.events, true);
      const r = findSpikes(counts, range, { scoreFrom: '2024-05-14T00:00:00Z' });
      const top = r.spikes[0];
      assert.match(top.principal, /:user\/ci-deploy$/);
      assert.equal(top.action, 's3.amazonaws.com:GetObject');
      assert.equal(top.start, '2024-05-14T14:00:00.000Z');
      assert.ok(top.events > 200 && top.score > 0.95);
    } finally {
      await engine.dispose();
    }
  });

  it('principals match the CloudTrail reader (the real Stratus trail), and bad ranges are refused', async function () {
    requireDataset(this, INVICTUS);
    const engine = await DuckDBEngine.open({ logs: [INVICTUS], materialize: false });
    try {
      const counts = await activityCounts(engine, { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z', bucketSeconds: 3600 });
      assert.equal(counts.reduce((a, c) => a + c.events, 0), 2900);
      const principals = new Set(counts.map((c) => c.principal));
      assert.ok(principals.has('arn:aws:iam::123837392027:user/bert-jan'));
      assert.ok(principals.has('AWSService:rds.amazonaws.com'), [...principals].join(', '));
      await assert.rejects(activityCounts(engine, { from: '2023-07-11', to: '2023-07-10', bucketSeconds: 3600 }), /not a range/);
      await assert.rejects(activityCounts(engine, { from: '2020-01-01', to: '2023-07-10', bucketSeconds: 60 }), /more than 100,000 buckets/);
    } finally {
      await engine.dispose();
    }
  });
});

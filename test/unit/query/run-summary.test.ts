import * as assert from 'node:assert/strict';
import { athenaCostUsd } from '../../../src/core/query/engine';
import { describeStats } from '../../../src/core/query/run-summary';

describe('query/run-summary: the results panel summary line', () => {
  const duck = { engine: 'duckdb' as const, rows: 260, elapsedMs: 12 };
  it('counts rows, time and engine, and with a filter the matching rows of the whole', () => {
    assert.equal(describeStats(duck, false, 260), '260 rows · 0.01 s · DuckDB');
    assert.equal(describeStats(duck, false, 260, 1), '1 row matching (of 260) · 0.01 s · DuckDB');
    assert.equal(describeStats({ ...duck, rows: 300_000 }, true, 200_000, 5), '5 rows matching (of the first 200,000; more in Export CSV) · 0.01 s · DuckDB');
  });
  it('adds data scanned and the cost (with its 10 MB minimum) on Athena', () => {
    const stats = { engine: 'athena' as const, rows: 2, elapsedMs: 1500, bytesScanned: 2048, costUsd: athenaCostUsd(2048) };
    assert.equal(describeStats(stats, false, 2), '2 rows · 1.50 s · Athena · <0.1 MB scanned · ~$0.00005 (10 MB minimum)');
  });
});

import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/experiments/run-store';
import type { RunRecord } from '../../../src/core/experiments/run-record';
import { endpointScoringModel } from '../../../src/core/scoring/endpoint-model';
import { endpointRun, scoreLogs } from '../../../src/core/scoring';
import { createCompletedRun } from '../../helpers/score-runs';

const SMALL = path.resolve(__dirname, '../../fixtures/logs/seed-small.tsv');

describe('scoring through an endpoint (scripted InvokeEndpoint)', function () {
  this.timeout(60_000);
  let root: string;
  let run: RunRecord;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'secml-score-endpoint-'));
    run = await createCompletedRun(root, { experiment: 'harvest', inputs: [SMALL], backend: 'sagemaker' });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("finds the endpoint's run by its tags: vocabulary, column order and the run's threshold", async () => {
    const store = RunStore.forWorkspace(root);
    const r = await endpointRun(store, 'ep-1', { experiment: 'harvest', runId: run.id });
    const manifest = JSON.parse(readFileSync(path.join(store.runDir('harvest', run.id), 'dataset-manifest.json'), 'utf8'));
    assert.deepEqual(r.described.info.features, manifest.features);
    assert.deepEqual(r.described.info.vocabulary, manifest.vocabulary);
    assert.equal(r.threshold.value, 0.4);
    assert.match(r.threshold.source, /test set/);
  });

  it('says clearly when an endpoint has no known vocabulary', async () => {
    const store = RunStore.forWorkspace(root);
    await assert.rejects(endpointRun(store, 'ep-x', {}), (e: Error & { code: string }) => e.code === 'NOT_FOUND' && /^Endpoint ep-x has no known vocabulary: it carries no secml:experiment and secml:run tags/.test(e.message));
    await assert.rejects(endpointRun(store, 'ep-y', { experiment: 'harvest', runId: '20200101-000000-gone' }), (e: Error) => /ep-y has no known vocabulary: its run harvest\/20200101-000000-gone is not in this workspace's run store/.test(e.message));
  });

  it("sends every session as a CSV row in the model's column order, no label, in batches under the limit", async () => {
    const store = RunStore.forWorkspace(root);
    const r = await endpointRun(store, 'ep-1', { experiment: 'harvest', runId: run.id });
    const payloads: string[] = [];
    const model = endpointScoringModel(undefined, {
      endpointName: 'ep-1',
      info: r.described.info,
      threshold: r.threshold,
      maxBatchBytes: 4096,
      invoke: async (body) => {
        payloads.push(body);
        const n = body.trimEnd().split('\n').length;
        return Array.from({ length: n }, (_, i) => ((payloads.length * 7 + i) % 100) / 100).join('\n');
      },
    });
    const result = await scoreLogs([SMALL], model);
    assert.ok(payloads.length > 1, 'several batches');
    assert.ok(payloads.every((p) => Buffer.byteLength(p) <= 4096));
    const rows = payloads.join('').trimEnd().split('\n');
    assert.equal(rows.length, 300);
    const F = r.described.info.features.length;
    rows.forEach((line, i) => {
      const values = line.split(',');
      assert.equal(values.length, F, 'no label column');
      const expected = Array.from(result.table.rows.subarray(i * F, (i + 1) * F));
      assert.deepEqual(values.map((v) => Math.fround(Number(v))), expected);
    });
    assert.equal(result.model.kind, 'endpoint');
    assert.equal(result.model.location, 'endpoint ep-1');
    assert.equal(result.threshold, 0.4);
    assert.equal(result.flagged, Array.from(result.scores).filter((p) => p >= 0.4).length);
  });

  it('stops sending when cancelled', async () => {
    const store = RunStore.forWorkspace(root);
    const r = await endpointRun(store, 'ep-1', { experiment: 'harvest', runId: run.id });
    const controller = new AbortController();
    let calls = 0;
    const model = endpointScoringModel(undefined, {
      endpointName: 'ep-1',
      info: r.described.info,
      threshold: r.threshold,
      maxBatchBytes: 2048,
      concurrency: 1,
      invoke: async (body) => {
        calls++;
        controller.abort();
        return body.trimEnd().split('\n').map(() => '0.5').join('\n');
      },
    });
    await assert.rejects(scoreLogs([SMALL], model, {}, { signal: controller.signal }), (e: { code: string }) => e.code === 'CANCELLED');
    assert.equal(calls, 1);
  });
});

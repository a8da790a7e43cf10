import * as assert from 'node:assert/strict';
import { csvBatches, formatCsvValue, MAX_PAYLOAD_BYTES, parsePredictions, predictInBatches } from '../../../src/core/backends/sagemaker/invoke';

function matrix(n: number, F: number, f: (i: number, j: number) => number): Float32Array {
  const a = new Float32Array(n * F);
  for (let i = 0; i < n; i++) for (let j = 0; j < F; j++) a[i * F + j] = f(i, j);
  return a;
}

describe('sagemaker/invoke: scoring rows on an endpoint', () => {
  it('formats float32 values compactly; NaN is an empty (missing) field', () => {
    assert.equal(formatCsvValue(3), '3');
    assert.equal(formatCsvValue(Math.fround(0.1)), '0.1');
    assert.equal(formatCsvValue(Math.fround(1 / 3)), '0.33333334');
    assert.equal(Math.fround(Number(formatCsvValue(Math.fround(1 / 3)))), Math.fround(1 / 3), 'reads back as the same float32');
    assert.equal(formatCsvValue(NaN), '');
  });

  it('cuts batches under the byte limit, in row order, covering every row once', () => {
    const n = 1000;
    const rows = matrix(n, 5, (i, j) => i * 10 + j);
    const batches = [...csvBatches(rows, n, 5, 4096)];
    assert.ok(batches.length > 1);
    let next = 0;
    for (const b of batches) {
      assert.ok(Buffer.byteLength(b.body) <= 4096);
      assert.equal(b.start, next);
      const lines = b.body.trimEnd().split('\n');
      assert.equal(lines.length, b.count);
      assert.equal(lines[0], [0, 1, 2, 3, 4].map((j) => b.start * 10 + j).join(','));
      next += b.count;
    }
    assert.equal(next, n);
    assert.throws(() => [...csvBatches(rows, n, 5, MAX_PAYLOAD_BYTES + 1)], /payload limit/);
    assert.throws(() => [...csvBatches(matrix(1, 3000, () => 123456), 1, 3000, 1000)], /Row 1 alone/);
  });

  it('parses one probability per row, newline- or comma-separated or JSON, and rejects a wrong count', () => {
    assert.deepEqual([...parsePredictions('0.5\n0.25\n', 2, 'ep')], [0.5, 0.25]);
    assert.deepEqual([...parsePredictions('0.5,0.25', 2, 'ep')], [0.5, 0.25]);
    assert.deepEqual([...parsePredictions('{"predictions":[{"score":0.5},{"score":0.25}]}', 2, 'ep')], [0.5, 0.25]);
    assert.throws(() => parsePredictions('0.5\n', 2, 'endpoint e, rows 1-2'), /endpoint e, rows 1-2: expected 2 predictions, got 1/);
    assert.throws(() => parsePredictions('0.5\nabc\n', 2, 'ep'), /prediction 2 is "NaN"/);
    assert.throws(() => parsePredictions('1.5\n', 1, 'ep'), /not a probability/);
  });

  it('sends batches in parallel up to the bound and puts each answer back at its rows', async () => {
    const n = 500;
    const F = 3;
    const rows = matrix(n, F, (i, j) => (j === 0 ? i : 7));
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const invoke = async (body: string) => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 5));
      inFlight--;
      // The "model": probability = first column / 1000; answers arrive out of order.
      return body.trimEnd().split('\n').map((l) => Number(l.split(',')[0]) / 1000).join('\n');
    };
    const out = await predictInBatches(invoke, rows, n, F, { maxBatchBytes: 512, concurrency: 3 });
    assert.ok(calls > 3);
    assert.ok(maxInFlight <= 3 && maxInFlight >= 2, `max in flight ${maxInFlight}`);
    for (let i = 0; i < n; i++) assert.equal(out[i], Math.fround(i / 1000));
  });

  it('stops sending after the first failure', async () => {
    let calls = 0;
    const invoke = async () => {
      calls++;
      throw new Error('boom');
    };
    await assert.rejects(predictInBatches(invoke, matrix(100, 2, () => 1), 100, 2, { maxBatchBytes: 40, concurrency: 2 }), /boom/);
    assert.ok(calls <= 2, `calls ${calls}`);
  });

  it('checks the row matrix size', async () => {
    await assert.rejects(predictInBatches(async () => '', new Float32Array(5), 2, 3), /Expected 2 x 3 = 6 values, got 5/);
  });
});

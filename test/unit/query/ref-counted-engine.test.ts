/**
 * RefCountedEngine: retiring an engine (the extension does when a log file changes) keeps it alive until the last query,
 * result and export using it end, then disposes it once.
 */
import * as assert from 'node:assert/strict';
import type { ExportSummary, QueryEngine, QueryExecution, QueryRequest } from '../../../src/core/query/engine';
import { RefCountedEngine } from '../../../src/core/query/ref-counted-engine';

/** An engine that fails like DuckDB once disposed ("instance closed"), with hooks to hold a run or an export open. */
class FakeEngine implements QueryEngine {
  readonly name = 'duckdb' as const;
  disposals = 0;
  runGate: Promise<void> = Promise.resolve();
  exportGate: Promise<void> = Promise.resolve();
  private check(): void {
    if (this.disposals) throw new Error('Failed to connect: instance closed');
  }
  async run(_request: QueryRequest): Promise<QueryExecution> {
    this.check();
    await this.runGate;
    this.check();
    const engine = this;
    return {
      columns: [{ name: 'x', type: 'INTEGER' }],
      async *pages() {
        yield { columns: [{ name: 'x', type: 'INTEGER' }], rows: [[1]] };
      },
      stats: () => ({ engine: 'duckdb', rows: 1, elapsedMs: 0 }),
      async exportCsv(file: string): Promise<ExportSummary> {
        engine.check();
        await engine.exportGate;
        engine.check();
        return { file, bytes: 4, rows: 1 };
      },
      async close() {},
    };
  }
  async dispose(): Promise<void> {
    this.disposals++;
  }
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('RefCountedEngine: an engine retired while results use it', () => {
  it('disposes at once when nothing uses it', async () => {
    const inner = new FakeEngine();
    const engine = new RefCountedEngine(inner);
    await engine.dispose();
    assert.equal(inner.disposals, 1);
    assert.ok(engine.closed);
  });

  it('an open result still exports after retirement; the engine is disposed when the result closes', async () => {
    const inner = new FakeEngine();
    const engine = new RefCountedEngine(inner);
    const result = await engine.run({ sql: 'select 1' });
    await engine.dispose();
    assert.equal(inner.disposals, 0);
    assert.deepEqual(await result.exportCsv('/tmp/out.csv'), { file: '/tmp/out.csv', bytes: 4, rows: 1 });
    await result.close();
    await result.close();
    assert.equal(inner.disposals, 1);
  });

  it('an export in flight when its result closes finishes before the engine is disposed', async () => {
    const inner = new FakeEngine();
    const engine = new RefCountedEngine(inner);
    const result = await engine.run({ sql: 'select 1' });
    const g = gate();
    inner.exportGate = g.promise;
    const exporting = result.exportCsv('/tmp/out.csv');
    await engine.dispose();
    await result.close();
    assert.equal(inner.disposals, 0);
    g.open();
    assert.equal((await exporting).rows, 1);
    assert.equal(inner.disposals, 1);
  });

  it('a query running at retirement returns a usable result; the last of several results disposes', async () => {
    const inner = new FakeEngine();
    const engine = new RefCountedEngine(inner);
    const first = await engine.run({ sql: 'select 1' });
    const g = gate();
    inner.runGate = g.promise;
    const running = engine.run({ sql: 'select 2' });
    await engine.dispose();
    g.open();
    const second = await running;
    await first.close();
    assert.equal(inner.disposals, 0);
    assert.equal((await second.exportCsv('/tmp/b.csv')).rows, 1);
    await second.close();
    assert.equal(inner.disposals, 1);
  });

  it('a failed query does not keep the engine alive', async () => {
    const inner = new FakeEngine();
    inner.run = async () => {
      throw new Error('Parser Error');
    };
    const engine = new RefCountedEngine(inner);
    await assert.rejects(engine.run({ sql: 'selec' }), /Parser Error/);
    await engine.dispose();
    assert.equal(inner.disposals, 1);
  });
});

/**
 * A query engine that can be replaced while results still use it. The extension reopens DuckDB when a log file changes,
 * but the results panel may still hold a result of the old instance (Export CSV and "Flatten these events" read it
 * again). So `dispose()` only retires the engine: the inner engine is disposed once nothing uses it any more, that is
 * when every query running on it has returned, every result it gave has closed, and every export has finished.
 */
import type { WorkOptions } from '../progress';
import type { ExportOptions, ExportSummary, QueryEngine, QueryExecution, QueryPage, QueryRequest, QueryStats } from './engine';

export class RefCountedEngine implements QueryEngine {
  private users = 0;
  private retired = false;
  private disposal: Promise<void> | undefined;

  constructor(readonly inner: QueryEngine) {}

  get name() {
    return this.inner.name;
  }

  /** True once the inner engine has been disposed (retired and no longer used). */
  get closed(): boolean {
    return this.disposal !== undefined;
  }

  /** @internal Counts one more user of the inner engine. */
  acquire(): void {
    this.users++;
  }

  /** @internal One user is done; the last one after retirement disposes the inner engine. */
  release(): Promise<void> {
    this.users--;
    return this.disposeIfUnused();
  }

  private disposeIfUnused(): Promise<void> {
    if (this.retired && this.users <= 0 && !this.disposal) this.disposal = this.inner.dispose();
    return this.disposal ?? Promise.resolve();
  }

  async run(request: QueryRequest, options?: WorkOptions): Promise<QueryExecution> {
    this.acquire();
    try {
      return new RefCountedExecution(await this.inner.run(request, options), this);
    } finally {
      await this.release();
    }
  }

  /** Retires the engine: disposed now if nothing uses it, else when the last result or export using it ends. */
  dispose(): Promise<void> {
    this.retired = true;
    return this.disposeIfUnused();
  }
}

class RefCountedExecution implements QueryExecution {
  private closed = false;

  constructor(
    private readonly inner: QueryExecution,
    private readonly engine: RefCountedEngine,
  ) {
    engine.acquire();
  }

  get columns() {
    return this.inner.columns;
  }

  pages(options?: { pageSize?: number } & WorkOptions): AsyncIterable<QueryPage> {
    return this.inner.pages(options);
  }

  stats(): QueryStats {
    return this.inner.stats();
  }

  async exportCsv(file: string, options?: ExportOptions): Promise<ExportSummary> {
    this.engine.acquire();
    try {
      return await this.inner.exportCsv(file, options);
    } finally {
      await this.engine.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.inner.close();
    } finally {
      await this.engine.release();
    }
  }
}

/**
 * The query results panel (host side): runs a query on the chosen engine, holds the rows it loads (up to a limit) in a
 * ResultTable, and serves the page windows of the sorted/filtered view as it scrolls. Cancel aborts the query on the
 * engine (Athena: StopQueryExecution); Export CSV writes the whole result (Athena: the CSV it wrote to S3); "Flatten
 * these events" exports the result and hands it to the flattening command with a column mapping. Query history (last
 * 100) lives in the workspace state; results are not kept across reloads.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Services } from '../services';
import { PanelHost, registerPanelSerializer } from './panel-host';
import { isCancellation, isSecmlError, SecmlError, userMessage } from '../../core/errors';
import type { WorkOptions } from '../../core/progress';
import type { QueryEngine, QueryEngineName, QueryExecution, QueryParam, QueryStats, QueryValue } from '../../core/query/engine';
import { ResultTable, valueText } from '../../core/query/result-table';
import { describeStats } from '../../core/query/run-summary';
import { flattenMapping, type FlattenMapping } from '../../core/query/flatten-mapping';
import { MAX_WINDOW, parsePageMessage, type HistoryEntry, type QueryHostMessage, type QueryPageMessage, type ResultState } from '../../../webview/query/protocol';
import { showInfo } from '../notify';

export const QUERY_VIEW_TYPE = 'secml.query';
/** Rows the grid holds, and cells (rows x columns: `select *` rows are wide); Export CSV writes the rest. */
export const GRID_ROW_LIMIT = 200_000;
export const GRID_CELL_LIMIT = 3_000_000;
const HISTORY_KEY = 'secml.query.history';
const HISTORY_LIMIT = 100;

export interface QueryJob {
  sql: string;
  params: QueryParam[];
  engine: QueryEngineName;
  /** The statement's place in a file: errors point there, the history shows it. */
  source?: { file: string; line: number; column: number };
  title: string;
}

/** What the panel needs from the query feature: an open engine of the given kind. */
export interface QueryEngineProvider {
  engine(name: QueryEngineName, work: WorkOptions): Promise<QueryEngine>;
}

/** What "Run Query" returns (automation, tests): the shape of the result, its first rows, or the error. */
export interface QueryPanelResult {
  columns: string[];
  rows: number;
  firstRows: QueryValue[][];
  error?: { message: string; file?: string; line?: number };
  running: boolean;
  summary?: string;
}

interface StoredHistoryEntry extends HistoryEntry {
  params: QueryParam[];
  title?: string;
  file?: string;
  line?: number;
  column?: number;
}

export class QueryPanel extends PanelHost<QueryPageMessage, QueryHostMessage> {
  private static current: QueryPanel | undefined;

  private generation = 1;
  private table: ResultTable | undefined;
  private execution: QueryExecution | undefined;
  private job: QueryJob | undefined;
  private running = false;
  private progressText: string | undefined;
  /** A note instead of the stats (cancelled, reloaded). */
  private summary: string | undefined;
  private stats: QueryStats | undefined;
  private error: ResultState['error'];
  private truncated = false;
  private controller: AbortController | undefined;
  private mapping: FlattenMapping | undefined;
  private lastPost = 0;

  private constructor(
    services: Services,
    panel: vscode.WebviewPanel,
    private readonly engines: QueryEngineProvider,
  ) {
    super(services, panel, { viewType: QUERY_VIEW_TYPE, script: 'query' });
    this.track(
      panel.onDidDispose(() => {
        if (QueryPanel.current === this) QueryPanel.current = undefined;
        this.controller?.abort();
        void this.execution?.close();
      }),
    );
  }

  /** The results panel, created beside the editor on first use. */
  static show(services: Services, engines: QueryEngineProvider): QueryPanel {
    if (QueryPanel.current) {
      QueryPanel.current.panel.reveal(QueryPanel.current.panel.viewColumn, true);
      return QueryPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(QUERY_VIEW_TYPE, 'Query Results', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
    QueryPanel.current = new QueryPanel(services, panel, engines);
    return QueryPanel.current;
  }

  static get active(): QueryPanel | undefined {
    return QueryPanel.current;
  }

  static registerSerializer(services: Services, engines: QueryEngineProvider): void {
    registerPanelSerializer(services, QUERY_VIEW_TYPE, (panel) => {
      const p = new QueryPanel(services, panel, engines);
      p.summary = 'Results are not kept after a reload: run the query again, or pick it from the history.';
      QueryPanel.current?.dispose();
      QueryPanel.current = p;
    });
  }

  // ---- history ----

  private history(): StoredHistoryEntry[] {
    return this.services.context.workspaceState.get<StoredHistoryEntry[]>(HISTORY_KEY, []);
  }

  /** Adds a new entry on top, or updates an existing one where it is (a run finishing after a newer one started). */
  private async saveHistory(entry: StoredHistoryEntry): Promise<void> {
    const history = this.history();
    const at = history.findIndex((h) => h.id === entry.id);
    const next = at >= 0 ? history.map((h, i) => (i === at ? entry : h)) : [entry, ...history];
    await this.services.context.workspaceState.update(HISTORY_KEY, next.slice(0, HISTORY_LIMIT));
  }

  // ---- running ----

  /**
   * Runs a query; resolves when its rows are loaded (or it failed or was cancelled: shown in the panel). A run replaced
   * by a newer one is cancelled: its history entry says so, and it leaves the panel (the newer run's) alone.
   */
  /** Runs `job` in the panel; resolves true when this run is still the panel's result, false when a newer run replaced it. */
  async run(job: QueryJob): Promise<boolean> {
    this.controller?.abort();
    await this.execution?.close();
    const controller = new AbortController();
    this.controller = controller;
    this.execution = undefined;
    this.table = undefined;
    this.job = job;
    this.error = undefined;
    this.summary = undefined;
    this.stats = undefined;
    this.truncated = false;
    this.mapping = undefined;
    this.running = true;
    this.progressText = job.engine === 'athena' ? 'Submitting to Athena…' : 'Running…';
    this.generation++;
    this.panel.title = job.title;
    const entry: StoredHistoryEntry = {
      id: randomUUID(),
      at: Date.now(),
      engine: job.engine,
      sql: job.sql,
      params: job.params,
      title: job.title,
      source: job.source ? `${path.basename(job.source.file)}:${job.source.line}` : undefined,
      file: job.source?.file,
      line: job.source?.line,
      column: job.source?.column,
      status: 'running',
    };
    await this.saveHistory(entry);
    this.postState(true);

    const work: WorkOptions = {
      signal: controller.signal,
      logger: this.services.logger,
      onProgress: (p) => {
        if (p.message) this.progressText = p.message;
        this.postState();
      },
    };
    const superseded = () => this.controller !== controller;
    let current = false;
    try {
      const engine = await this.engines.engine(job.engine, work);
      const execution = await engine.run({ sql: job.sql, params: job.params, source: job.source }, work);
      if (controller.signal.aborted) {
        await execution.close();
        throw new vscode.CancellationError();
      }
      this.execution = execution;
      const table = new ResultTable(execution.columns);
      this.table = table;
      const rowLimit = Math.max(1000, Math.min(GRID_ROW_LIMIT, Math.floor(GRID_CELL_LIMIT / Math.max(1, execution.columns.length))));
      this.mapping = flattenMapping(execution.columns.map((c) => c.name));
      this.progressText = 'Loading rows…';
      for await (const page of execution.pages(work)) {
        const room = rowLimit - table.loaded;
        if (page.rows.length >= room) {
          table.append(page.rows.slice(0, room));
          this.truncated = page.rows.length > room || undefined !== (await this.hasMorePages(execution, work));
          break;
        }
        table.append(page.rows);
        this.generation++;
        this.postState();
      }
      if (superseded()) throw new vscode.CancellationError();
      const stats = execution.stats();
      this.stats = stats;
      entry.status = 'succeeded';
      entry.rows = stats.rows;
      entry.elapsedMs = stats.elapsedMs;
    } catch (e) {
      if (isCancellation(e) || e instanceof vscode.CancellationError || controller.signal.aborted) {
        entry.status = 'cancelled';
        if (!superseded()) this.summary = 'Cancelled.';
      } else if (superseded()) {
        entry.status = 'failed';
      } else {
        entry.status = 'failed';
        this.error = { message: userMessage(e).replace(/^[^:]+:\d+: /, ''), file: isSecmlError(e) ? e.file : undefined, line: isSecmlError(e) ? e.line : undefined };
        this.services.logger.error(`Query failed: ${userMessage(e)}`);
        // Missing or expired credentials: the notification offers "Configure AWS" as well.
        if (isSecmlError(e) && e.code === 'AWS_AUTH') void this.services.showError(e);
      }
    } finally {
      current = !superseded();
      if (current) {
        this.running = false;
        this.progressText = undefined;
        this.controller = undefined;
        this.generation++;
      }
      await this.saveHistory(entry);
      this.postState(true);
    }
    return current;
  }

  /** After the grid is full: is there at least one more row? (decides the "more in Export CSV" note) */
  private async hasMorePages(execution: QueryExecution, work: WorkOptions): Promise<true | undefined> {
    for await (const page of execution.pages(work)) if (page.rows.length) return true;
    return undefined;
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** What the current result looks like (for the in-host tests and commands). */
  get result(): QueryPanelResult {
    return {
      columns: this.table?.columns.map((c) => c.name) ?? [],
      rows: this.table?.loaded ?? 0,
      firstRows: this.table?.window(0, 100).rows ?? [],
      error: this.error,
      running: this.running,
      summary: this.summaryLine(),
    };
  }

  private summaryLine(): string | undefined {
    if (!this.stats || !this.table) return this.summary;
    return describeStats(this.stats, this.truncated, this.table.loaded, this.table.filterText ? this.table.size : undefined);
  }

  // ---- page ----

  private state(): ResultState {
    const history = this.history().map(({ params: _p, file: _f, line: _l, column: _c, title: _t, ...h }) => h);
    return {
      type: 'state',
      generation: this.generation,
      title: this.job?.title ?? 'Query Results',
      engine: this.job?.engine,
      running: this.running,
      progress: this.progressText,
      columns: this.table?.columns ?? [],
      total: this.table?.size ?? 0,
      loaded: this.table?.loaded ?? 0,
      truncated: this.truncated,
      sort: this.table?.sortState,
      filter: this.table?.filterText ?? '',
      summary: this.summaryLine(),
      error: this.error,
      canFlatten: Boolean(this.mapping && this.execution && !this.running),
      canExport: Boolean(this.execution && !this.running),
      history,
    };
  }

  /** Posts the state; while rows stream in, at most a few times a second. */
  private postState(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastPost < 250) return;
    this.lastPost = now;
    this.post(this.state());
  }

  protected snapshot(): QueryHostMessage[] {
    return [this.state()];
  }

  protected validate(raw: unknown): QueryPageMessage | undefined {
    return parsePageMessage(raw);
  }

  protected async onMessage(msg: QueryPageMessage): Promise<void> {
    switch (msg.type) {
      case 'getRows': {
        if (msg.generation !== this.generation || !this.table) return;
        const w = this.table.window(msg.start, Math.min(msg.count, MAX_WINDOW));
        this.post({ type: 'rows', generation: this.generation, start: w.start, rows: w.rows });
        return;
      }
      case 'sort':
        if (!this.table) return;
        this.table.setSort(msg.direction === 'none' ? undefined : msg.column, msg.direction === 'none' ? undefined : msg.direction);
        this.generation++;
        this.postState(true);
        return;
      case 'filter':
        if (!this.table) return;
        this.table.setFilter(msg.text);
        this.generation++;
        this.postState(true);
        return;
      case 'copy': {
        const row = this.table?.row(msg.row);
        if (!row || !this.table) return;
        const text =
          msg.what === 'cell'
            ? valueText(row[msg.column] ?? null)
            : JSON.stringify(Object.fromEntries(this.table.columns.map((c, i) => [c.name, row[i] ?? null])));
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(msg.what === 'cell' ? 'Copied the cell' : 'Copied the row as JSON', 2000);
        return;
      }
      case 'cancel':
        this.cancel();
        return;
      case 'exportCsv':
        await this.exportCsv();
        return;
      case 'flatten':
        await this.flatten();
        return;
      case 'rerun': {
        const h = this.history().find((x) => x.id === msg.id);
        if (!h) return;
        await this.run({
          sql: h.sql,
          params: h.params,
          engine: h.engine,
          source: h.file ? { file: h.file, line: h.line ?? 1, column: h.column ?? 1 } : undefined,
          title: h.title ?? (h.source ? `Query: ${h.source}` : 'Query Results'),
        });
        return;
      }
      case 'openSource': {
        const file = this.error?.file ?? this.job?.source?.file;
        if (!file) return;
        const line = Math.max(0, (this.error?.line ?? this.job?.source?.line ?? 1) - 1);
        const doc = await vscode.workspace.openTextDocument(file);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0) });
        return;
      }
    }
  }

  // ---- export and flatten ----

  /**
   * Exports the whole result to `file` (the engine writes it atomically): spreadsheet-safe (formula-like text cells get
   * a leading apostrophe) unless `spreadsheetSafe` is false, as for flattening, which needs the values as they are.
   */
  async exportTo(file: string, spreadsheetSafe = true): Promise<number | undefined> {
    const execution = this.execution;
    if (!execution) throw new SecmlError('NOT_FOUND', 'Run a query first: there is no result to export.');
    const summary = await this.services.withProgress('Exporting query results', (signal, onProgress) =>
      execution.exportCsv(file, { signal, onProgress, logger: this.services.logger, spreadsheetSafe }),
    );
    return summary?.rows;
  }

  private async exportCsv(): Promise<void> {
    const root = this.services.workspaceRoot();
    const target = await vscode.window.showSaveDialog({
      defaultUri: root ? vscode.Uri.file(path.join(root, 'query-results.csv')) : undefined,
      filters: { CSV: ['csv'] },
      saveLabel: 'Export CSV',
    });
    if (!target) return;
    const rows = await this.exportTo(target.fsPath);
    if (rows === undefined && !this.execution) return;
    const pick = await showInfo(`Exported ${rows?.toLocaleString('en-US') ?? 'all'} rows to ${target.fsPath}.`, 'Open');
    if (pick === 'Open') await vscode.window.showTextDocument(target);
  }

  private async flatten(): Promise<void> {
    if (!this.mapping || !this.execution) return;
    const dir = path.join(this.services.secmlDir(), 'query-exports');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(dir, `events-${stamp}.csv`);
    const rows = await this.exportTo(file, false);
    if (rows === undefined) return;
    this.services.logger.info(`Flatten these events: ${rows} rows in ${file}, session=${this.mapping.session}, time=${this.mapping.time}, event=${this.mapping.event}`);
    // (clicked, selected, answers): the format and columns are known; no attacker-only log to add for query results.
    await vscode.commands.executeCommand('secml.flattenLogs', vscode.Uri.file(file), undefined, { format: 'csv', columns: this.mapping, augment: null });
  }
}

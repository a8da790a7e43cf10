/**
 * The query engines behind "Run Query": which one the settings choose (secml.query.engine: auto = DuckDB with the local
 * backend, Athena with SageMaker), and one open engine of each kind, reopened when what it depends on changes (the
 * CloudTrail paths, files appearing in them, the AWS connection, the Athena settings). DuckDB and the AWS SDK load
 * only when a query first needs them.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Services } from '../services';
import type { WorkOptions } from '../../core/progress';
import type { QueryEngine, QueryEngineName } from '../../core/query/engine';
import type { EngineSettings } from '../../core/query/open-engine';
import { cloudTrailSources } from '../../core/query/cloudtrail-files';
import type { QueryEngineProvider } from '../panels/query-panel';
import { AwsContext } from '../aws-context';
import { RefCountedEngine } from '../../core/query/ref-counted-engine';

type OpenEngine = typeof import('../../core/query/open-engine');

const ATHENA_TABLE_KEY = 'secml.query.athenaTable';

export class QueryEngines implements QueryEngineProvider, vscode.Disposable {
  readonly aws: AwsContext;
  private duckdb: { key: string; engine: Promise<RefCountedEngine> } | undefined;
  private athena: { key: string; engine: QueryEngine } | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the engine choice or its data source changes (the status bar listens). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: Services) {
    this.aws = new AwsContext(services);
    services.track(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('secml.query') || e.affectsConfiguration('secml.backend') || e.affectsConfiguration('secml.athena') || e.affectsConfiguration('secml.aws')) {
          this.changed.fire();
        }
      }),
    );
  }

  /** The engine "Run Query" uses now. */
  current(): QueryEngineName {
    const s = this.services.settings();
    if (s.query.engine === 'duckdb' || s.query.engine === 'athena') return s.query.engine;
    return s.backend === 'sagemaker' ? 'athena' : 'duckdb';
  }

  /** The table name Athena queries use (remembered from "Create CloudTrail Table" and the snippet picker). */
  athenaTable(): string {
    return this.services.context.workspaceState.get<string>(ATHENA_TABLE_KEY, 'cloudtrail_logs');
  }

  async setAthenaTable(name: string): Promise<void> {
    await this.services.context.workspaceState.update(ATHENA_TABLE_KEY, name);
    this.invalidateDuckDB();
  }

  /** CloudTrail files/folders for DuckDB: the setting (relative paths from the workspace), else AWSLogs folders found. */
  cloudTrailPaths(): Promise<string[]> {
    return cloudTrailSources(this.services.settings().query.cloudTrailPaths, this.services.workspaceRoot());
  }

  private invalidateDuckDB(): void {
    const old = this.duckdb;
    this.duckdb = undefined;
    this.watcher?.dispose();
    this.watcher = undefined;
    void old?.engine.then((e) => e.dispose()).catch(() => {});
  }

  private watch(paths: string[]): void {
    this.watcher?.dispose();
    const root = this.services.workspaceRoot();
    if (!root) return;
    // New or changed log files under the workspace make the next query reload the view.
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '**/*.{json,gz,jsonl,ndjson}'));
    const inLogs = (uri: vscode.Uri) => paths.some((p) => uri.fsPath === p || uri.fsPath.startsWith(p + path.sep));
    const onChange = (uri: vscode.Uri) => {
      if (inLogs(uri)) this.invalidateDuckDB();
    };
    this.watcher.onDidCreate(onChange);
    this.watcher.onDidChange(onChange);
    this.watcher.onDidDelete(onChange);
  }

  private openEngine(): OpenEngine {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../core/query/open-engine') as OpenEngine;
  }

  async engine(name: QueryEngineName, work: WorkOptions): Promise<QueryEngine> {
    return name === 'athena' ? this.athenaEngine() : this.duckdbEngine(work);
  }

  private async duckdbEngine(work: WorkOptions): Promise<QueryEngine> {
    const logs = await this.cloudTrailPaths();
    const aliases = [...new Set(['cloudtrail_logs', this.athenaTable()])];
    const key = JSON.stringify([logs, aliases]);
    if (this.duckdb?.key !== key) {
      this.invalidateDuckDB();
      const settings: EngineSettings = {
        engine: 'duckdb',
        logs,
        tableAliases: aliases,
        materialize: 'auto',
        missingLogsHint: 'No CloudTrail logs were found: set secml.query.cloudTrailPaths to your CloudTrail files or folders, or put an AWSLogs folder in the workspace.',
      };
      if (logs.length) work.onProgress?.({ message: `Reading CloudTrail logs in ${logs.map((p) => path.basename(p)).join(', ')}…` });
      // Reopened when logs change while the panel may still export a result of this one: disposed when that closes.
      const engine = this.openEngine().openQueryEngine(settings, work).then((e) => new RefCountedEngine(e));
      this.duckdb = { key, engine };
      engine.catch(() => {
        if (this.duckdb?.engine === engine) this.duckdb = undefined;
      });
      this.watch(logs);
    }
    const engine = await this.duckdb.engine;
    const loaded = (engine.inner as { logs?: { files: number; events?: number } }).logs;
    if (loaded) this.services.logger.info(`DuckDB: cloudtrail view over ${loaded.files} file(s)${loaded.events !== undefined ? `, ${loaded.events} events in memory` : ''}`);
    return engine;
  }

  /** secml.athena.outputLocation, else athena-results/ under secml.aws.bucket and prefix, else the workgroup's own. */
  athenaOutputLocation(): string | undefined {
    const s = this.services.settings();
    if (s.athena.outputLocation) return s.athena.outputLocation;
    if (!s.aws.bucket) return undefined;
    const prefix = s.aws.prefix.replace(/^\/+|\/+$/g, '');
    return `s3://${s.aws.bucket}/${prefix ? prefix + '/' : ''}athena-results/`;
  }

  private athenaEngine(): QueryEngine {
    const a = this.services.settings().athena;
    const outputLocation = this.athenaOutputLocation();
    const key = JSON.stringify([this.aws.describe(), a.workgroup, outputLocation, a.database]);
    if (this.athena?.key !== key) {
      const { AthenaEngine } = require('../../core/query/athena-engine') as typeof import('../../core/query/athena-engine');
      this.athena = { key, engine: new AthenaEngine({ session: this.aws.session(), workgroup: a.workgroup, outputLocation, database: a.database || undefined }) };
    }
    return this.athena.engine;
  }

  /** Short text for the status bar tooltip. */
  async describe(): Promise<string> {
    if (this.current() === 'athena') {
      const a = this.services.settings().athena;
      return `Athena (${this.aws.describe()}), workgroup ${a.workgroup}, database ${a.database}`;
    }
    const paths = await this.cloudTrailPaths();
    return paths.length ? `DuckDB over ${paths.join(', ')}` : 'DuckDB (no CloudTrail logs found yet: set secml.query.cloudTrailPaths)';
  }

  dispose(): void {
    this.invalidateDuckDB();
    this.aws.dispose();
    this.changed.dispose();
  }
}

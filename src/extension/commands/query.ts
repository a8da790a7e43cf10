/**
 * Querying CloudTrail from SQL files: "Run Query" (CodeLens above each statement, the editor title, the palette) runs
 * the statement under the cursor or the selection on the chosen engine and shows the results panel; a status-bar item
 * shows and switches the engine; "Insert Hunting Query" picks from the snippet library; "Create CloudTrail Table"
 * writes Athena DDL (query-table-wizard.ts). `?` placeholders are asked for and bound as parameters.
 */
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Services } from '../services';
import { SecmlError } from '../../core/errors';
import type { QueryEngineName, QueryParam } from '../../core/query/engine';
import { HUNTING_QUERIES, renderHuntingQuery } from '../../core/query/hunting-queries';
import { parseParam } from '../../core/query/params';
import { countPlaceholders, leadingComment, splitStatements, statementAt, type SqlStatement } from '../../core/query/statements';
import { QueryPanel, type QueryPanelResult } from '../panels/query-panel';
import { QueryEngines } from './query-engines';
import { registerCreateCloudTrailTable } from './query-table-wizard';

const ENGINE_LABEL: Record<QueryEngineName, string> = { duckdb: 'DuckDB', athena: 'Athena' };
const PARAMS_KEY = 'secml.query.params';

export interface RunQueryOptions {
  /** Offset of a statement in the document (CodeLens). */
  offset?: number;
  /** Run on this engine instead of the chosen one. */
  engine?: QueryEngineName;
  /** Values for the `?` placeholders, as typed (skips the prompts; used by tests and automation). */
  params?: string[];
}

/** Parameter names and examples from a snippet's "-- Parameters (asked when you run it): a (hint, e.g. x); ..." line. */
function documentedParams(text: string): { name: string; hint: string; example?: string }[] {
  const m = /--\s*Parameters \(asked when you run it\):\s*(.*)/.exec(text);
  if (!m) return [];
  return m[1].split(/;\s*/).map((p) => {
    const d = /^(.*?) \((.*?)(?:, e\.g\. (.*))?\)$/.exec(p.trim());
    return d ? { name: d[1], hint: d[2], example: d[3] } : { name: p.trim(), hint: '' };
  });
}

async function askParams(services: Services, statement: SqlStatement): Promise<QueryParam[] | undefined> {
  const n = countPlaceholders(statement.text);
  if (n === 0) return [];
  const key = createHash('sha1').update(statement.text).digest('hex');
  const remembered = services.context.workspaceState.get<Record<string, string[]>>(PARAMS_KEY, {});
  const docs = documentedParams(statement.text);
  const typed: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = docs[i];
    const value = await vscode.window.showInputBox({
      title: `Query parameter ${i + 1} of ${n}${d ? `: ${d.name}` : ''}`,
      prompt: `${d?.hint ? d.hint + '. ' : ''}Bound to the ${i + 1}. ? as text; write num:10 for a number, bool:true, or null: for NULL.`,
      value: remembered[key]?.[i] ?? d?.example ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseParam(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (value === undefined) return undefined;
    typed.push(value);
  }
  await services.context.workspaceState.update(PARAMS_KEY, { ...remembered, [key]: typed });
  return typed.map(parseParam);
}

/** The statements a run means: the selection's, else the one at the offset or cursor; positions are in the document. */
function statementsToRun(doc: vscode.TextDocument, editor: vscode.TextEditor | undefined, offset: number | undefined): SqlStatement[] {
  const text = doc.getText();
  if (offset === undefined && editor && editor.document === doc && !editor.selection.isEmpty) {
    const base = doc.offsetAt(editor.selection.start);
    const basePos = editor.selection.start;
    return splitStatements(doc.getText(editor.selection)).map((s) => ({
      ...s,
      start: s.start + base,
      end: s.end + base,
      line: s.line + basePos.line,
      column: s.line === 1 ? s.column + basePos.character : s.column,
      endLine: s.endLine + basePos.line,
    }));
  }
  const at = offset ?? (editor && editor.document === doc ? doc.offsetAt(editor.selection.active) : 0);
  const s = statementAt(text, at);
  return s ? [s] : [];
}

export function registerQuery(services: Services): void {
  const engines = new QueryEngines(services);
  services.track(engines);
  QueryPanel.registerSerializer(services, engines);
  const diagnostics = vscode.languages.createDiagnosticCollection('secml-query');
  services.track(diagnostics);

  // ---- Run Query ----
  services.registerCommand('secml.runQuery', async (arg?: unknown, options: RunQueryOptions = {}) => {
    const uri = arg instanceof vscode.Uri ? arg : undefined;
    const editor = uri ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString()) : vscode.window.activeTextEditor;
    const doc = uri ? (editor?.document ?? (await vscode.workspace.openTextDocument(uri))) : editor?.document;
    if (!doc) throw new SecmlError('BAD_ARGUMENT', 'Open a .sql file and put the cursor in a statement (or select SQL) to run it.');
    const statements = statementsToRun(doc, editor, options.offset);
    if (!statements.length) throw new SecmlError('BAD_ARGUMENT', `${path.basename(doc.fileName)} has no SQL statement at the cursor.`);
    const engine = options.engine ?? engines.current();
    const file = doc.isUntitled ? undefined : doc.uri.fsPath;
    diagnostics.delete(doc.uri);
    let result: QueryPanelResult | undefined;
    for (const statement of statements) {
      const params = options.params ? options.params.splice(0, countPlaceholders(statement.text)).map(parseParam) : await askParams(services, statement);
      if (params === undefined) return;
      const panel = QueryPanel.show(services, engines);
      const what = leadingComment(statement.text.split('\n', 1)[0]);
      // A newer run (another CodeLens click) replaced this one: its result and errors belong to that run, not here.
      const current = await panel.run({
        sql: statement.text,
        params,
        engine,
        source: file ? { file, line: statement.line, column: statement.column } : undefined,
        title: what ? `Query: ${what.slice(0, 60)}` : `Query: ${path.basename(doc.fileName)}:${statement.line}`,
      });
      if (!current) return undefined;
      result = panel.result;
      const error = result.error;
      if (error) {
        const line = Math.max(0, (error.file === file && error.line ? error.line : statement.line) - 1);
        diagnostics.set(doc.uri, [new vscode.Diagnostic(doc.lineAt(Math.min(line, doc.lineCount - 1)).range, error.message, vscode.DiagnosticSeverity.Error)]);
        break;
      }
    }
    return result;
  });

  // Not in the palette: the whole current result to a CSV file, for automation and tests ("Export CSV" in the panel asks where).
  services.registerCommand('secml.query.exportResult', async (file: string) => {
    const panel = QueryPanel.active;
    if (typeof file !== 'string' || !file) throw new SecmlError('BAD_ARGUMENT', 'secml.query.exportResult needs the path of the CSV file to write.');
    if (!panel) throw new SecmlError('NOT_FOUND', 'Run a query first: there is no result to export.');
    return panel.exportTo(file);
  });

  services.track(
    vscode.languages.registerCodeLensProvider(
      { language: 'sql' },
      {
        onDidChangeCodeLenses: engines.onDidChange,
        provideCodeLenses(doc) {
          const current = engines.current();
          const other: QueryEngineName = current === 'duckdb' ? 'athena' : 'duckdb';
          return splitStatements(doc.getText()).flatMap((s) => {
            const range = new vscode.Range(s.line - 1, 0, s.line - 1, 0);
            return [
              new vscode.CodeLens(range, { title: `$(play) Run Query (${ENGINE_LABEL[current]})`, command: 'secml.runQuery', arguments: [doc.uri, { offset: s.start }], tooltip: 'Run this statement and show the results' }),
              new vscode.CodeLens(range, { title: `Run on ${ENGINE_LABEL[other]}`, command: 'secml.runQuery', arguments: [doc.uri, { offset: s.start, engine: other }] }),
            ];
          });
        },
      },
    ),
  );

  // ---- engine status bar and switch ----
  const status = vscode.window.createStatusBarItem('secml.queryEngine', vscode.StatusBarAlignment.Right, 100);
  status.name = 'SecML Query Engine';
  status.command = 'secml.selectQueryEngine';
  services.track(status);
  const refreshStatus = async () => {
    const engine = engines.current();
    status.text = engine === 'athena' ? '$(cloud) Athena' : '$(database) DuckDB';
    status.tooltip = `SecML query engine: ${await engines.describe()}. Click to switch.`;
    if (vscode.window.activeTextEditor?.document.languageId === 'sql') status.show();
    else status.hide();
  };
  services.track(engines.onDidChange(() => void refreshStatus()));
  services.track(vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()));
  void refreshStatus();

  services.registerCommand('secml.selectQueryEngine', async () => {
    const s = services.settings();
    const items: (vscode.QuickPickItem & { value: 'auto' | QueryEngineName })[] = [
      { label: '$(database) DuckDB', value: 'duckdb', description: 'local CloudTrail files, no AWS account', detail: (await engines.cloudTrailPaths()).join(', ') || 'set secml.query.cloudTrailPaths or add an AWSLogs folder' },
      { label: '$(cloud) Athena', value: 'athena', description: engines.aws.describe(), detail: `workgroup ${s.athena.workgroup}, database ${s.athena.database}` },
      { label: 'Automatic', value: 'auto', description: 'DuckDB with the local backend, Athena with SageMaker' },
    ];
    for (const i of items) if (i.value === s.query.engine) i.description = `${i.description ?? ''} (current)`;
    const pick = await vscode.window.showQuickPick(items, { title: 'SecML: query engine for Run Query' });
    if (!pick) return;
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('secml').update('query.engine', pick.value, target);
  });

  // ---- snippets ----
  services.registerCommand('secml.insertHuntingQuery', async () => {
    const pick = await vscode.window.showQuickPick(
      HUNTING_QUERIES.map((q) => ({ label: q.title, description: [q.seed ? 'seed' : '', ...(q.attack ?? [])].filter(Boolean).join(' '), detail: q.description, q })),
      { title: 'SecML: insert a hunting query', matchOnDetail: true },
    );
    if (!pick) return;
    const table = engines.current() === 'athena' ? engines.athenaTable() : 'cloudtrail';
    const text = renderHuntingQuery(pick.q, table);
    let editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'sql') {
      const doc = await vscode.workspace.openTextDocument({ language: 'sql', content: '' });
      editor = await vscode.window.showTextDocument(doc);
    }
    // Inside a statement, the snippet goes after it (never into the middle of someone's SQL).
    const doc = editor.document;
    const cursor = doc.offsetAt(editor.selection.active);
    const around = statementAt(doc.getText(), cursor);
    let at = cursor;
    if (around && cursor > around.start && cursor < around.end) {
      at = around.end;
      if (doc.getText().charAt(at) === ';') at++;
    }
    const pos = doc.positionAt(at);
    const prefix = pos.character > 0 ? '\n\n' : pos.line > 0 && doc.lineAt(pos.line - 1).text.trim() ? '\n' : '';
    await editor.insertSnippet(new vscode.SnippetString().appendText(prefix + text), pos);
  });

  registerCreateCloudTrailTable(services, engines);
}

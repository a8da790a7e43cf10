/**
 * Engine errors -> a QUERY SecmlError that keeps the engine's own message and points at the failing line of the user's
 * file. Athena reports `line 3:14: ...` (1-based line and column within the statement), DuckDB `LINE 3: ...` plus a
 * caret line; both count from the first line of the text that was sent, so the file line is `source.line + line - 1`.
 */
import { SecmlError } from '../errors';
import type { QueryEngineName, QueryRequest } from './engine';

export interface StatementPosition {
  line: number;
  column?: number;
}

/** The 1-based line (and column when given) an engine message names within the statement, if any. */
export function positionInMessage(message: string): StatementPosition | undefined {
  const athena = /\bline (\d+):(\d+)/.exec(message);
  if (athena) return { line: Number(athena[1]), column: Number(athena[2]) };
  const duck = /\bLINE (\d+):/.exec(message);
  if (duck) {
    // DuckDB prints the source line after "LINE n: " and a caret under the failing character on the next line.
    const m = /\bLINE \d+: (.*)\n( *)\^/.exec(message);
    const column = m ? m[2].length - (/\bLINE \d+: /.exec(message)![0].length) + 1 : undefined;
    return { line: Number(duck[1]), column: column !== undefined && column > 0 ? column : undefined };
  }
  return undefined;
}

/** DuckDB's message without the echoed source and caret lines (the location moves to file:line). */
function conciseMessage(engine: QueryEngineName, message: string): string {
  if (engine !== 'duckdb') return message.trim();
  return message
    .replace(/\n*LINE \d+: .*(\n *\^)?/s, '')
    .trim();
}

/** Maps a position inside the statement to the user's file. */
export function fileLineOf(request: QueryRequest, pos: StatementPosition | undefined): number | undefined {
  if (!pos) return request.source?.line;
  const base = request.source?.line ?? 1;
  return base + pos.line - 1;
}

/** The QUERY error a user sees: `file:line: <engine message>`; `details` keeps the statement-relative position. */
export function queryError(engine: QueryEngineName, rawMessage: string, request: QueryRequest, cause?: unknown): SecmlError {
  rawMessage = rawMessage.replace(/^Failed to (extract|prepare) statements?: /, '');
  const pos = positionInMessage(rawMessage);
  const line = request.source?.file ? fileLineOf(request, pos) : pos?.line;
  let column = pos?.column;
  if (column !== undefined && pos?.line === 1 && request.source?.column) column += request.source.column - 1;
  const label = engine === 'duckdb' ? 'DuckDB' : 'Athena';
  // With a file, the location moves to `file:line:`; without one (inline SQL), DuckDB's echoed line and caret stay.
  const message = request.source?.file ? conciseMessage(engine, rawMessage) : rawMessage.trim();
  return new SecmlError('QUERY', `${label}: ${message}`, {
    file: request.source?.file,
    line,
    cause,
    details: { engine, statementLine: pos?.line, column },
  });
}

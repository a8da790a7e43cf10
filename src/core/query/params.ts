/**
 * Values for `?` placeholders. A user types them as text (`--param`, an input box); they are bound by the engine
 * (DuckDB prepared statements, Athena ExecutionParameters), never spliced into the SQL.
 *
 * Typed text: a plain value is a string (account ids, usernames, dates are strings in CloudTrail tables);
 * `num:10` is a number, `bool:true` a boolean, `null:` SQL NULL, and `str:...` forces a string that itself starts with
 * one of these prefixes.
 */
import { SecmlError } from '../errors';
import type { QueryParam } from './engine';

export function parseParam(text: string): QueryParam {
  const m = /^(num|bool|null|str):(.*)$/s.exec(text);
  if (!m) return text;
  const [, kind, rest] = m;
  switch (kind) {
    case 'str':
      return rest;
    case 'null':
      if (rest !== '') throw new SecmlError('BAD_ARGUMENT', `Parameter "${text}": write null: with nothing after it for SQL NULL.`);
      return null;
    case 'bool':
      if (rest !== 'true' && rest !== 'false') throw new SecmlError('BAD_ARGUMENT', `Parameter "${text}": bool: takes true or false.`);
      return rest === 'true';
    default: {
      const n = Number(rest);
      if (rest.trim() === '' || !Number.isFinite(n)) throw new SecmlError('BAD_ARGUMENT', `Parameter "${text}": num: takes a number, e.g. num:10.`);
      return n;
    }
  }
}

/**
 * Athena's ExecutionParameters are SQL literals: a string must be quoted (`'CreateUser'`), with embedded quotes doubled,
 * so a value can never close the literal and add SQL of its own.
 */
export function athenaLiteral(value: QueryParam): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SecmlError('BAD_ARGUMENT', `Parameter ${value} is not a finite number.`);
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/** Checks that the statement has as many `?` as values were given, naming both counts. */
export function checkParamCount(placeholders: number, params: readonly QueryParam[]): void {
  if (placeholders === params.length) return;
  throw new SecmlError(
    'BAD_ARGUMENT',
    `The statement has ${placeholders} ? placeholder${placeholders === 1 ? '' : 's'} but ${params.length} parameter value${params.length === 1 ? ' was' : 's were'} given.`,
  );
}

/**
 * Reading Athena's results: GetQueryResults rows -> typed values (a Datum without VarCharValue is NULL, distinct from
 * ''), and Athena's own result CSV in S3 parsed with csv-parse (never split on commas: values hold commas, quotes and
 * line breaks). In that CSV every value is quoted and NULL is an empty unquoted field, so the parser's `quoting` flag
 * is what tells NULL from ''.
 */
import { parse } from 'csv-parse';
import type { ColumnInfo, Row } from '@aws-sdk/client-athena';
import { SecmlError } from '../errors';
import type { QueryColumn, QueryValue } from './engine';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const FLOAT_TYPES = new Set(['double', 'float', 'real']);

export function athenaColumns(info: ColumnInfo[] | undefined): QueryColumn[] {
  return (info ?? []).map((c, i) => ({ name: c.Label ?? c.Name ?? `_col${i}`, type: c.Type ?? 'varchar' }));
}

/** One Athena text value -> a typed value: integers within 2^53 and floats become numbers, booleans booleans. */
export function athenaValue(text: string | undefined | null, type: string): QueryValue {
  if (text === undefined || text === null) return null;
  const t = type.toLowerCase();
  if (INTEGER_TYPES.has(t)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  if (FLOAT_TYPES.has(t)) {
    const n = Number(text);
    return Number.isNaN(n) && text !== 'NaN' ? text : n;
  }
  if (t === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

export function athenaRow(row: Row, columns: QueryColumn[]): QueryValue[] {
  const data = row.Data ?? [];
  return columns.map((c, i) => athenaValue(data[i]?.VarCharValue, c.type));
}

/** For SELECT (DML) results, the first row of the first page repeats the column labels. */
export function isHeaderRow(row: Row | undefined, columns: QueryColumn[]): boolean {
  if (!row?.Data || row.Data.length !== columns.length) return false;
  return row.Data.every((d, i) => d.VarCharValue === columns[i].name);
}

/**
 * Rows of an Athena result CSV (header first), NULL as null. Yields batches of rows as they are parsed from the stream.
 */
export async function* parseAthenaCsv(input: AsyncIterable<Uint8Array | string>, source: string, batchSize = 1000): AsyncGenerator<(string | null)[][]> {
  const parser = parse({
    bom: true,
    relax_column_count: false,
    cast: (value, ctx) => (value === '' && !ctx.quoting ? null : value),
  });
  const feed = (async () => {
    try {
      for await (const chunk of input) if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
      parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  let batch: (string | null)[][] = [];
  try {
    for await (const record of parser as AsyncIterable<(string | null)[]>) {
      batch.push(record);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new SecmlError('QUERY', `Athena's result CSV could not be parsed: ${err.message}`, { file: source, line: err.lines, cause: e });
  }
  await feed;
  if (batch.length) yield batch;
}

/** s3://bucket/key -> { bucket, key }. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new SecmlError('BAD_ARGUMENT', `"${uri}" is not an S3 object URI (s3://bucket/key).`);
  return { bucket: m[1], key: m[2] };
}

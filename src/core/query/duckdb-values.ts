/**
 * DuckDB values -> the JSON-friendly values of a QueryPage: DuckDB's JSON conversion (dates and timestamps as text,
 * structs as objects, lists as arrays), except that 64-bit integers within 2^53 become numbers (counts are numbers,
 * not "1000"), and only larger ones stay strings so no digit is lost.
 */
import type { DuckDBValueConverter } from '@duckdb/node-api';
import type { QueryValue } from './engine';

type DuckDBModule = typeof import('@duckdb/node-api');

export function makeValueConverter(duckdb: DuckDBModule): DuckDBValueConverter<QueryValue> {
  const { DuckDBTypeId, JsonDuckDBValueConverter } = duckdb;
  const wide = new Set<number>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);
  const convert: DuckDBValueConverter<QueryValue> = (value, type, _self) => {
    if (value === null || value === undefined) return null;
    if (wide.has(type.typeId)) {
      const n = Number(value as bigint);
      return Number.isSafeInteger(n) ? n : String(value);
    }
    return JsonDuckDBValueConverter(value, type, convert as never) as QueryValue;
  };
  return convert;
}

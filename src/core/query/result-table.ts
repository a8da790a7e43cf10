/**
 * A query result held for the results grid: rows arrive page by page, and the grid asks for windows of the sorted,
 * filtered view. Only windows ever leave the host (the webview never holds the whole result). Sorting is stable,
 * numbers compare as numbers, NULL sorts last in both directions; the filter is a case-insensitive substring match
 * over every cell's text.
 */
import type { QueryColumn, QueryValue } from './engine';

export type SortDirection = 'asc' | 'desc';

export interface TableWindow {
  /** Position of the first row in the current (sorted, filtered) view. */
  start: number;
  rows: QueryValue[][];
}

/** The text a cell shows and is searched and copied by (NULL has none of its own: see `isNull`). */
export function valueText(v: QueryValue): string {
  if (v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function compare(a: QueryValue, b: QueryValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'string' ? a : valueText(a);
  const y = typeof b === 'string' ? b : valueText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export class ResultTable {
  private readonly rows: QueryValue[][] = [];
  /** Row indexes of the current view, or undefined for "all rows in arrival order". */
  private view: number[] | undefined;
  private sort: { column: number; direction: SortDirection } | undefined;
  private filter = '';
  private lowered: (string | undefined)[] = [];

  constructor(readonly columns: QueryColumn[]) {}

  /** Rows held (before filtering). */
  get loaded(): number {
    return this.rows.length;
  }

  /** Rows in the current view. */
  get size(): number {
    return this.view ? this.view.length : this.rows.length;
  }

  get sortState(): { column: number; direction: SortDirection } | undefined {
    return this.sort;
  }

  get filterText(): string {
    return this.filter;
  }

  append(rows: QueryValue[][]): void {
    for (const r of rows) this.rows.push(r);
    if (this.sort || this.filter) this.rebuild();
  }

  setSort(column: number | undefined, direction: SortDirection = 'asc'): void {
    this.sort = column === undefined || column < 0 || column >= this.columns.length ? undefined : { column, direction };
    this.rebuild();
  }

  setFilter(text: string): void {
    this.filter = text.trim().toLowerCase();
    this.rebuild();
  }

  private rowText(i: number): string {
    let t = this.lowered[i];
    if (t === undefined) {
      t = this.rows[i].map((v) => (v === null ? '' : valueText(v))).join('\u0001').toLowerCase();
      this.lowered[i] = t;
    }
    return t;
  }

  private rebuild(): void {
    if (!this.sort && !this.filter) {
      this.view = undefined;
      return;
    }
    let idx: number[] = [];
    if (this.filter) {
      for (let i = 0; i < this.rows.length; i++) if (this.rowText(i).includes(this.filter)) idx.push(i);
    } else {
      idx = Array.from({ length: this.rows.length }, (_, i) => i);
    }
    if (this.sort) {
      const { column, direction } = this.sort;
      const sign = direction === 'asc' ? 1 : -1;
      const rows = this.rows;
      idx.sort((i, j) => {
        const a = rows[i][column];
        const b = rows[j][column];
        if (a === null || b === null) return a === b ? i - j : a === null ? 1 : -1; // NULL last either way
        return sign * compare(a, b) || i - j;
      });
    }
    this.view = idx;
  }

  /** The row at a view position. */
  row(position: number): QueryValue[] | undefined {
    const i = this.view ? this.view[position] : position;
    return i === undefined ? undefined : this.rows[i];
  }

  window(start: number, count: number): TableWindow {
    const from = Math.max(0, Math.min(start, this.size));
    const to = Math.min(this.size, from + Math.max(0, count));
    const rows: QueryValue[][] = [];
    for (let p = from; p < to; p++) rows.push(this.row(p)!);
    return { start: from, rows };
  }

  /** Rows of the current view, in view order (e.g. to copy or hand on). */
  *viewRows(): Iterable<QueryValue[]> {
    for (let p = 0; p < this.size; p++) yield this.row(p)!;
  }
}

/**
 * A virtualised results grid: only the rows in view (plus a margin) exist in the DOM, fetched from the host in blocks
 * as the grid scrolls, so 100k+ rows scroll smoothly while the page never holds the whole result. Every value is
 * inserted as text (log data is attacker-controlled); NULL shows as an italic NULL, an empty string as an empty cell.
 * Click a header to sort (ascending, descending, off), drag its right edge to resize, click a cell to select it.
 */
import { el, replaceChildren } from '../shared/dom';
import type { CellValue, GridColumn } from './protocol';

export const ROW_HEIGHT = 22;
export const BLOCK = 200;
const MAX_BLOCKS = 60;
const OVERSCAN = 12;
const MAX_CELL_TEXT = 2000;

/** The # column fits the largest row number (monospace digits, ~9px at editor sizes, plus padding): "100000" is never cut. */
export function gutterWidth(rowCount: number): number {
  const digits = String(Math.max(1, Math.floor(rowCount))).length;
  return Math.max(40, 16 + digits * 9);
}
export interface GridCallbacks {
  requestRows(generation: number, start: number, count: number): void;
  sort(column: number, direction: 'asc' | 'desc' | 'none'): void;
  selectionChanged(selection: { row: number; column: number } | undefined): void;
  widthsChanged(widths: Record<string, number>): void;
  copy(what: 'cell' | 'row', row: number, column: number): void;
}

export function cellDisplay(v: CellValue | undefined): { text: string; title: string; cls: string } {
  if (v === null || v === undefined) return { text: 'NULL', title: 'SQL NULL', cls: 'gcell null' };
  const full = typeof v === 'object' ? JSON.stringify(v) : String(v);
  const text = full.length > MAX_CELL_TEXT ? full.slice(0, MAX_CELL_TEXT) + '…' : full;
  return { text, title: full.slice(0, 4000), cls: typeof v === 'number' ? 'gcell num' : typeof v === 'object' ? 'gcell nested' : 'gcell' };
}

function defaultWidth(c: GridColumn): number {
  const t = c.type.toLowerCase();
  const base = /int|double|float|decimal|real|bool/.test(t) ? 100 : /struct|map|\[\]|array|json/.test(t) ? 320 : 200;
  return Math.max(base, Math.min(400, c.name.length * 8 + 40));
}

export class Grid {
  readonly viewport: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private columns: GridColumn[] = [];
  private widths: number[] = [];
  private total = 0;
  private generation = 0;
  private sort: { column: number; direction: 'asc' | 'desc' } | undefined;
  private blocks = new Map<number, CellValue[][]>();
  private pending = new Set<number>();
  private rowEls: HTMLDivElement[] = [];
  private frame = 0;
  private gutter = gutterWidth(0);
  selection: { row: number; column: number } | undefined;

  constructor(
    host: HTMLElement,
    private readonly callbacks: GridCallbacks,
    private savedWidths: Record<string, number> = {},
  ) {
    this.header = el('div', { class: 'grid-header', role: 'row' });
    this.layer = el('div', { class: 'grid-rows', role: 'rowgroup' });
    this.sizer = el('div', { class: 'grid-sizer' }, this.layer);
    this.viewport = el('div', { class: 'grid-viewport', tabindex: 0, role: 'grid', 'aria-label': 'Query results' }, this.header, this.sizer);
    host.appendChild(this.viewport);
    this.viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** New data shape from the host. A new generation drops every cached row. */
  setData(columns: GridColumn[], total: number, generation: number, sort: { column: number; direction: 'asc' | 'desc' } | undefined): void {
    const columnsChanged = columns.length !== this.columns.length || columns.some((c, i) => c.name !== this.columns[i]?.name || c.type !== this.columns[i]?.type);
    if (generation !== this.generation) {
      this.blocks.clear();
      this.pending.clear();
      this.generation = generation;
    }
    this.total = total;
    this.sort = sort;
    const gutter = gutterWidth(total);
    if (gutter !== this.gutter) {
      this.gutter = gutter;
      for (const r of this.rowEls) (r.children[0] as HTMLElement).style.width = `${gutter}px`;
    }
    if (columnsChanged) {
      this.columns = columns;
      this.widths = columns.map((c) => this.savedWidths[c.name] ?? defaultWidth(c));
      this.selection = undefined;
      this.callbacks.selectionChanged(undefined);
      this.viewport.scrollTop = 0;
      for (const r of this.rowEls) r.remove();
      this.rowEls = [];
    }
    if (this.selection && this.selection.row >= total) {
      this.selection = undefined;
      this.callbacks.selectionChanged(undefined);
    }
    this.renderHeader();
    this.sizer.style.height = `${total * ROW_HEIGHT}px`;
    this.sizer.style.width = `${this.contentWidth()}px`;
    this.render();
  }

  receiveRows(generation: number, start: number, rows: CellValue[][]): void {
    if (generation !== this.generation) return;
    const block = Math.floor(start / BLOCK);
    this.pending.delete(block);
    this.blocks.set(block, rows);
    if (this.blocks.size > MAX_BLOCKS) {
      const centre = Math.floor(this.viewport.scrollTop / ROW_HEIGHT / BLOCK);
      const far = [...this.blocks.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
      for (const b of far.slice(0, this.blocks.size - MAX_BLOCKS)) this.blocks.delete(b);
    }
    this.render();
  }

  private contentWidth(): number {
    return this.gutter + this.widths.reduce((a, b) => a + b, 0);
  }

  private renderHeader(): void {
    const cells = this.columns.map((c, i) => {
      const indicator = this.sort?.column === i ? (this.sort.direction === 'asc' ? ' ▲' : ' ▼') : '';
      const handle = el('div', { class: 'resize', title: 'Drag to resize' });
      handle.addEventListener('mousedown', (e) => this.startResize(e, i));
      const label = el('span', { class: 'hlabel' }, c.name, indicator);
      const cell = el('div', { class: 'hcell', role: 'columnheader', title: `${c.name} (${c.type}): click to sort`, 'aria-sort': this.sort?.column === i ? (this.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none' }, label, handle);
      cell.style.width = `${this.widths[i]}px`;
      label.addEventListener('click', () => {
        const dir = this.sort?.column !== i ? 'asc' : this.sort.direction === 'asc' ? 'desc' : 'none';
        this.callbacks.sort(i, dir);
      });
      return cell;
    });
    const gutter = el('div', { class: 'hcell gutter' }, '#');
    gutter.style.width = `${this.gutter}px`;
    replaceChildren(this.header, gutter, ...cells);
    this.header.style.width = `${this.contentWidth()}px`;
  }

  private startResize(e: MouseEvent, column: number): void {
    e.preventDefault();
    e.stopPropagation();
    const x0 = e.clientX;
    const w0 = this.widths[column];
    const move = (ev: MouseEvent) => {
      this.widths[column] = Math.max(40, Math.round(w0 + ev.clientX - x0));
      (this.header.children[column + 1] as HTMLElement).style.width = `${this.widths[column]}px`;
      this.header.style.width = `${this.contentWidth()}px`;
      this.sizer.style.width = `${this.contentWidth()}px`;
      for (const r of this.rowEls) (r.children[column + 1] as HTMLElement).style.width = `${this.widths[column]}px`;
    };
    const up = () => {
      document.removeEventListener('mousemove', move);
      document.removeEventListener('mouseup', up);
      this.savedWidths = { ...this.savedWidths, [this.columns[column].name]: this.widths[column] };
      this.callbacks.widthsChanged(this.savedWidths);
    };
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private rowElement(): HTMLDivElement {
    const row = el('div', { class: 'grow', role: 'row' });
    const gutter = el('div', { class: 'gcell gutter' });
    gutter.style.width = `${this.gutter}px`;
    row.appendChild(gutter);
    this.columns.forEach((_, i) => {
      const cell = el('div', { class: 'gcell', role: 'gridcell' });
      cell.style.width = `${this.widths[i]}px`;
      cell.dataset.col = String(i);
      row.appendChild(cell);
    });
    row.addEventListener('click', (e) => {
      const target = (e.target as HTMLElement).closest('.gcell') as HTMLElement | null;
      const col = target?.dataset.col;
      const r = Number(row.dataset.row);
      if (col === undefined || !Number.isInteger(r)) return;
      this.select({ row: r, column: Number(col) });
    });
    return row;
  }

  private render(): void {
    const height = this.viewport.clientHeight || 400;
    const headerH = this.header.offsetHeight || ROW_HEIGHT;
    const first = Math.max(0, Math.floor(Math.max(0, this.viewport.scrollTop) / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((this.viewport.scrollTop + height - headerH) / ROW_HEIGHT) + OVERSCAN);
    const count = Math.max(0, last - first);
    while (this.rowEls.length < count) this.layer.appendChild((this.rowEls[this.rowEls.length] = this.rowElement()));
    while (this.rowEls.length > count) this.rowEls.pop()!.remove();
    this.layer.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    for (let k = 0; k < count; k++) {
      const p = first + k;
      const rowEl = this.rowEls[k];
      rowEl.dataset.row = String(p);
      rowEl.setAttribute('aria-rowindex', String(p + 1));
      rowEl.classList.toggle('selected', this.selection?.row === p);
      const data = this.blocks.get(Math.floor(p / BLOCK))?.[p % BLOCK];
      (rowEl.children[0] as HTMLElement).textContent = String(p + 1);
      for (let i = 0; i < this.columns.length; i++) {
        const cell = rowEl.children[i + 1] as HTMLElement;
        if (!data) {
          cell.textContent = '';
          cell.className = 'gcell loading';
          cell.removeAttribute('title');
          continue;
        }
        const d = cellDisplay(data[i]);
        cell.textContent = d.text;
        cell.className = d.cls + (this.selection?.row === p && this.selection.column === i ? ' sel' : '');
        cell.title = d.title;
      }
    }
    // Ask for the blocks in view that are neither cached nor on their way.
    for (let b = Math.floor(first / BLOCK); b <= Math.floor(Math.max(first, last - 1) / BLOCK) && b * BLOCK < this.total; b++) {
      if (this.blocks.has(b) || this.pending.has(b)) continue;
      this.pending.add(b);
      this.callbacks.requestRows(this.generation, b * BLOCK, Math.min(BLOCK, this.total - b * BLOCK));
    }
  }

  select(sel: { row: number; column: number } | undefined): void {
    this.selection = sel;
    this.callbacks.selectionChanged(sel);
    if (sel) {
      const top = sel.row * ROW_HEIGHT;
      const headerH = this.header.offsetHeight || ROW_HEIGHT;
      if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
      else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight - headerH) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight + headerH;
    }
    this.render();
  }

  private onKey(e: KeyboardEvent): void {
    const s = this.selection;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 'c' && s) {
      e.preventDefault();
      this.callbacks.copy(e.shiftKey ? 'row' : 'cell', s.row, s.column);
      return;
    }
    if (!s || !this.total) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, [number, number]> = { ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], PageDown: [page, 0], PageUp: [-page, 0] };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    this.select({ row: Math.max(0, Math.min(this.total - 1, s.row + m[0])), column: Math.max(0, Math.min(this.columns.length - 1, s.column + m[1])) });
  }
}

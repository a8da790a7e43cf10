/** Plain-text tables for CLI listings: a header row, columns padded to their widest cell, no trailing spaces. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : (c ?? '').padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `2025-01-02 03:04` (UTC) or empty. */
export function shortTime(d: Date | undefined): string {
  return d ? d.toISOString().slice(0, 16).replace('T', ' ') : '';
}

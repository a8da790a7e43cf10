/**
 * Malformed input policy in one place: strict mode throws `file:line: what is wrong` at the first bad row; lenient mode
 * (the UI's default) skips the row, counts it, and keeps the first few for the summary.
 */
import { LogFormatError } from '../errors';
import type { SkippedRow } from './log-event';

export class RowIssues {
  count = 0;
  readonly first: SkippedRow[] = [];

  constructor(
    readonly strict: boolean,
    private readonly keep = 10,
  ) {}

  /** Reports a bad row: throws in strict mode, otherwise counts it. */
  skip(file: string, line: number, reason: string): void {
    if (this.strict) throw new LogFormatError(reason, file, line);
    this.count++;
    if (this.first.length < this.keep) this.first.push({ file, line, reason });
  }

  summary(): { count: number; first: SkippedRow[] } {
    return { count: this.count, first: this.first.slice() };
  }
}

/** Shortens attacker-controlled text quoted in an error message (one line, bounded length). */
export function quote(text: string, max = 40): string {
  const oneLine = text.replace(/[\r\n\t\u0000-\u001f]/g, ' ');
  return JSON.stringify(oneLine.length > max ? oneLine.slice(0, max) + '...' : oneLine);
}

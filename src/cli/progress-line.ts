/** A progress line on stderr, redrawn in place on a terminal; nothing when stderr is not one (or with --json). */
import type { CliIO } from './command';
import type { ProgressEvent } from '../core/progress';
import { printable } from '../core/printable';

export interface ProgressLine {
  update: (p: ProgressEvent) => void;
  /** Clears the line (call once the work ends, whether it succeeded or not). */
  done: () => void;
}

export function progressLine(io: CliIO, json: boolean): ProgressLine {
  if (!io.isTTY || json) return { update: () => {}, done: () => {} };
  let shown = false;
  return {
    update: (p) => {
      const rate = p.rate ? `, ${Math.round(p.rate).toLocaleString('en-US')} ${p.unit ?? 'events'}/s` : '';
      const pct = p.fraction !== undefined ? `${Math.round(p.fraction * 100)}% ` : '';
      io.err(`\r\x1b[K${pct}${printable(p.message ?? '')}${rate}`.replace(/\n$/, '') + '\x1b[0K');
      shown = true;
    },
    done: () => {
      if (shown) io.err('\r\x1b[K');
    },
  };
}

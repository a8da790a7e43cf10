/**
 * Text from logs and file names (attacker-controlled) made safe to print on a terminal: control characters that could
 * drive it (C0 escapes such as ESC and BEL, CR, DEL, C1 such as CSI U+009B), line/paragraph separators and the bidi
 * embedding/override/isolate characters that reorder what a reader sees (U+202A-202E, U+2066-2069) are shown as \uXXXX.
 */

export interface PrintableOptions {
  /** Longest result; longer text is cut with an ellipsis (default: no limit). */
  max?: number;
  /** Keep line feeds and tabs (multi-line messages); by default they are escaped too (one-line table cells). */
  lines?: boolean;
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with terminal-driving characters shown as \uXXXX, cut to `max` (a number is the same as `{ max }`). */
export function printable(text: string, options: number | PrintableOptions = {}): string {
  const { max = Infinity, lines = false } = typeof options === 'number' ? { max: options } : options;
  const safe = text.replace(lines ? UNSAFE_KEEP_LINES : UNSAFE, escape);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/** Label cells to 1 (bad), 0 (good) or -1 (unknown, an empty cell); anything else is not a label. */
import type { Label } from './log-event';

const WORDS: Record<string, Label> = {
  '0': 0,
  '1': 1,
  true: 1,
  false: 0,
  yes: 1,
  no: 0,
  bad: 1,
  good: 0,
  malicious: 1,
  benign: 0,
  anomaly: 1,
  normal: 0,
  attack: 1,
};

/** Returns the label, or undefined when the text is not one (the caller reports the row). */
export function parseLabel(text: string): Label | undefined {
  if (text.length === 1) {
    const c = text.charCodeAt(0);
    if (c === 48) return 0;
    if (c === 49) return 1;
  }
  const t = text.trim().toLowerCase();
  if (t === '') return -1;
  const w = WORDS[t];
  if (w !== undefined) return w;
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    if (n === 0) return 0;
    if (n === 1) return 1;
  }
  return undefined;
}

export const LABEL_HINT = 'expected 0 or 1 (or true/false, normal/anomaly), or an empty cell for unknown';

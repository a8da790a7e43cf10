/**
 * Variants: how much of each session a dataset keeps. `full`, `first:N`, `last:N`, `middle:N`, `drop:P` (drop a
 * seeded fraction P of each session's events), optionally with `min:N` (keep only sessions with at least N events in
 * full), e.g. `first:5,min:5`. Names are folder-safe: `full`, `first5`, `drop0.2`, `first5_min5`, `full_min3`.
 * The name form is accepted as a spec too (`first5_min5`).
 */
import { SecmlError } from '../errors';

export type Truncation = { kind: 'full' } | { kind: 'first' | 'last' | 'middle'; n: number } | { kind: 'drop'; p: number };

export interface VariantSpec {
  /** Canonical spec, e.g. `first:5,min:5`. */
  spec: string;
  /** Folder-safe name, e.g. `first5_min5`. */
  name: string;
  take: Truncation;
  /** Keep only sessions with at least this many events (before truncation). */
  min?: number;
}

/** The six variants of the seed's experiment. */
export const SEED_VARIANTS = ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10'];

function bad(spec: string, why: string): SecmlError {
  return new SecmlError('BAD_ARGUMENT', `Variant "${spec}": ${why}. Use full, first:N, last:N, middle:N, drop:P or min:N, combined with commas (first:5,min:5).`);
}

function count(spec: string, what: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1e9) throw bad(spec, `${what} needs a whole number of events of at least 1, got "${text}"`);
  return Number(text);
}

export function parseVariant(input: string): VariantSpec {
  const spec = input.trim();
  if (!spec) throw bad(input, 'empty');
  let take: Truncation | undefined;
  let min: number | undefined;
  const parts = spec.includes(',') || spec.includes(':') ? spec.split(',') : spec.split('_');
  for (const raw of parts) {
    const part = raw.trim().toLowerCase();
    const m = /^(full|first|last|middle|drop|min)(?::?\s*([0-9.]+))?$/.exec(part);
    if (!m) throw bad(spec, `"${raw.trim()}" is not a variant`);
    const [, kind, arg] = m;
    if (kind === 'min') {
      if (min !== undefined) throw bad(spec, 'min is given twice');
      if (arg === undefined) throw bad(spec, 'min needs a number (min:5)');
      min = count(spec, 'min', arg);
      continue;
    }
    if (take) throw bad(spec, `only one of full, first, last, middle, drop may be given (found ${take.kind} and ${kind})`);
    if (kind === 'full') {
      if (arg !== undefined) throw bad(spec, 'full takes no number');
      take = { kind: 'full' };
    } else if (kind === 'drop') {
      const p = arg === undefined ? NaN : Number(arg);
      if (!(p >= 0 && p < 1) || !/^\d*\.?\d+$/.test(arg ?? '')) throw bad(spec, `drop needs a fraction from 0 up to (not including) 1, got "${arg ?? ''}"`);
      take = { kind: 'drop', p };
    } else {
      if (arg === undefined) throw bad(spec, `${kind} needs a number of events (${kind}:5)`);
      take = { kind: kind as 'first' | 'last' | 'middle', n: count(spec, kind, arg) };
    }
  }
  take ??= { kind: 'full' };
  const t = take.kind === 'full' ? 'full' : take.kind === 'drop' ? `drop:${take.p}` : `${take.kind}:${take.n}`;
  const tName = t.replace(':', '');
  return { spec: min !== undefined ? `${t},min:${min}` : t, name: min !== undefined ? `${tName}_min${min}` : tName, take, min };
}

/** Folder-safe name of a variant spec: `first:5,min:5` -> `first5_min5`. */
export function variantName(spec: string): string {
  return parseVariant(spec).name;
}

/** Parses several specs; duplicates (same canonical spec) are an error. */
export function parseVariants(specs: string[]): VariantSpec[] {
  const list = (specs.length ? specs : ['full']).map(parseVariant);
  const seen = new Set<string>();
  for (const v of list) {
    if (seen.has(v.name)) throw new SecmlError('BAD_ARGUMENT', `Variant "${v.spec}" is given twice.`);
    seen.add(v.name);
  }
  return list;
}

/** True when choosing a session's events needs its length first (a second pass over the input). */
export function needsSessionLength(t: Truncation): boolean {
  return t.kind === 'last' || t.kind === 'middle' || t.kind === 'drop';
}

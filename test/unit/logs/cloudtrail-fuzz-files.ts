/**
 * Random CloudTrail files for the reader's property tests, written by their own serializer (random escapes, random
 * white space, awkward strings) so that the bytes are not what JSON.stringify would write; each record's place in
 * the file (byte range, line) is tracked while writing, and its expected event is computed from an independent
 * JSON.parse of each part of the file.
 */
import type { Random } from '../../../src/core/sample/prng';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A record's expected event and where its bytes are. */
export interface PlacedRecord {
  principal: string;
  type: string;
  time: number;
  line: number;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  eventTime: string;
  /** Byte range in the file: the record's own bytes in a delivery object, its whole line (with its "\n") in JSON lines. */
  start: number;
  end: number;
}

export interface FuzzFile {
  layout: Layout;
  bytes: Buffer;
  records: PlacedRecord[];
  /** Byte ranges of the file's JSON texts (each delivery object, each line's JSON): a cut inside one breaks the file. */
  units: { start: number; end: number }[];
}

export const LAYOUTS = ['delivery-pretty', 'delivery-one-line', 'delivery-concatenated', 'json-lines', 'json-lines-of-records-objects'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** Pieces of awkward strings: JSON's structural characters, escapes, backslash runs, multi-byte and 4-byte UTF-8. */
const PIECES = ['a', 'Z', '0', ' ', '{', '}', '[', ']', '"', '\\', '\\\\\\', ',', ':', '/', 'é', '日本', '🙂', '\u2028', '\u2029', '\n', '\r\n', '\t', '\u0000', '\u001f', '\ud800', '\udfff', '\ufeff', '\\"', '"}]', '\\u0041', '{"Records":['];
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

export function awkward(r: Random, maxPieces = 8): string {
  let s = '';
  for (let n = r.int(maxPieces + 1); n > 0; n--) s += r.chance(0.1) ? 'x'.repeat(r.int(80)) : r.pick(PIECES);
  return s;
}

function uEscape(r: Random, unit: number): string {
  const hex = unit.toString(16).padStart(4, '0');
  return '\\u' + (r.chance(0.5) ? hex : hex.toUpperCase());
}

/** A JSON string literal: each character raw or escaped at random (lone surrogates always escaped). */
export function encodeString(r: Random, s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const esc = r.chance(0.15);
    if (ch === '"') out += esc ? uEscape(r, 34) : '\\"';
    else if (ch === '\\') out += esc ? uEscape(r, 92) : '\\\\';
    else if (cp < 0x20) out += SHORT_ESCAPES[ch] && !esc ? SHORT_ESCAPES[ch] : uEscape(r, cp);
    else if (ch === '/') out += esc ? '\\/' : '/';
    else if (cp >= 0xd800 && cp <= 0xdfff) out += uEscape(r, cp);
    else if (esc) out += cp > 0xffff ? uEscape(r, ch.charCodeAt(0)) + uEscape(r, ch.charCodeAt(1)) : uEscape(r, cp);
    else out += ch;
  }
  return out + '"';
}

/** JSON text of `v` with `ws()` between tokens. */
export function serialize(r: Random, v: Json, ws: () => string): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return encodeString(r, v);
  const [open, close, items] = Array.isArray(v)
    ? ['[', ']', v.map((x) => serialize(r, x, ws))]
    : ['{', '}', Object.entries(v).map(([k, x]) => `${encodeString(r, k)}${ws()}:${ws()}${serialize(r, x, ws)}`)];
  return items.length === 0 ? open + ws() + close : open + ws() + items.join(`${ws()},${ws()}`) + ws() + close;
}

function randomValue(r: Random, depth: number): Json {
  const k = r.int(depth > 0 ? 7 : 5);
  if (k === 0) return null;
  if (k === 1) return r.chance(0.5);
  if (k === 2) return r.pick([0, -1.5, 1e21, 123456789, 3.14e-10, -0]);
  if (k <= 4) return awkward(r);
  if (k === 5) return Array.from({ length: r.int(4) }, () => randomValue(r, depth - 1));
  const o: Record<string, Json> = {};
  for (let n = r.int(4); n > 0; n--) o[awkward(r, 3)] = randomValue(r, depth - 1);
  return o;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A valid record, unique by its eventName (`Call<i>...`). */
export function randomRecord(r: Random, i: number): Record<string, Json> {
  const who = r.int(3);
  const userIdentity: Record<string, Json> = { type: r.pick(['IAMUser', 'AssumedRole', awkward(r, 2)]) };
  if (who === 0) userIdentity.arn = `arn:aws:iam::1:user/${awkward(r)}`;
  if (who <= 1) userIdentity.principalId = `AIDA${awkward(r)}`;
  if (who === 2) Object.assign(userIdentity, { arn: '', accessKeyId: `AKIA${awkward(r)}` });
  const time = `20${pad(r.range(10, 29))}-${pad(r.range(1, 12))}-${pad(r.range(1, 28))}T${pad(r.int(24))}:${pad(r.int(60))}:${pad(r.int(60))}${r.chance(0.3) ? '.' + pad(r.int(1000), 3) : ''}Z`;
  const fields: [string, Json][] = [
    ['eventVersion', '1.08'],
    ['userIdentity', userIdentity],
    ['eventTime', time],
    ['eventSource', `${awkward(r, 3)}.amazonaws.com`],
    ['eventName', `Call${i}${awkward(r)}`],
    ['requestParameters', randomValue(r, 4)],
  ];
  for (const k of ['sourceIPAddress', 'userAgent', 'errorCode']) if (r.chance(0.7)) fields.push([k, awkward(r)]);
  for (let j = fields.length - 1; j > 0; j--) {
    const s = r.int(j + 1);
    [fields[j], fields[s]] = [fields[s], fields[j]];
  }
  return Object.fromEntries(fields);
}

/** The event a record must become (CloudTrail's principal order: arn, principalId, accessKeyId). */
function expectedEvent(o: Record<string, unknown>): Omit<PlacedRecord, 'line' | 'start' | 'end'> {
  const u = o.userIdentity as Record<string, unknown>;
  const principal = [u.arn, u.principalId, u.accessKeyId].find((v) => typeof v === 'string' && v.length > 0) as string;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    principal,
    type: `${o.eventSource as string}:${o.eventName as string}`,
    time: Date.parse(o.eventTime as string),
    sourceIPAddress: text(o.sourceIPAddress),
    userAgent: text(o.userAgent),
    errorCode: text(o.errorCode),
    eventTime: o.eventTime as string,
  };
}

/** The file being written: its text, byte count and line, and where each record went. */
class Writer {
  readonly parts: string[] = [];
  bytes = 0;
  line = 1;
  readonly placed: { line: number; start: number; end: number }[] = [];
  put(s: string): void {
    this.parts.push(s);
    this.bytes += Buffer.byteLength(s);
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) this.line++;
  }
  /** A record's text; `line` and `start`/`end` given for JSON lines (the whole line). */
  record(text: string, where?: { line: number; start: number }): void {
    const line = where?.line ?? this.line;
    const start = where?.start ?? this.bytes;
    this.put(text);
    this.placed.push({ line, start, end: this.bytes });
  }
}

function whiteSpace(r: Random, pretty: boolean): () => string {
  const choices = pretty ? ['', ' ', '\n', '\r\n', '\n    ', '\t', '\n\n'] : ['', '', '', ' ', '\t', '  '];
  return () => r.pick(choices);
}

/**
 * A random valid file of `layout` with `count` (at least 1) records, and the events it must give,
 * checked against JSON.parse of each part (each delivery object, each line).
 */
export function randomFile(r: Random, layout: Layout, count: number): FuzzFile {
  const recs = Array.from({ length: count }, (_, i) => randomRecord(r, i));
  const w = new Writer();
  /** Each independently parseable part's text and the records it holds. */
  const parts: { text: string; records: number }[] = [];
  const units: { start: number; end: number }[] = [];
  if (r.chance(0.2)) w.put('\ufeff');
  if (layout.startsWith('delivery')) {
    const pretty = layout !== 'delivery-one-line';
    const ws = whiteSpace(r, pretty);
    w.put(r.pick(['', ' ', '\n', '\r\n\t']));
    const groups = layout === 'delivery-concatenated' ? splitInto(r, recs, r.range(1, 3)) : [recs];
    for (const group of groups) {
      const from = w.parts.length;
      const unitStart = w.bytes;
      w.put(`{${ws()}"Records"${ws()}:${ws()}[${ws()}`);
      group.forEach((rec, k) => {
        if (k > 0) w.put(`${ws()},${ws()}`);
        w.record(serialize(r, rec, ws));
      });
      w.put(`${ws()}]`);
      if (r.chance(0.2)) w.put(`${ws()},${ws()}${encodeString(r, 'note')}${ws()}:${ws()}${serialize(r, randomValue(r, 3), ws)}`);
      w.put(`${ws()}}`);
      units.push({ start: unitStart, end: w.bytes });
      parts.push({ text: w.parts.slice(from).join(''), records: group.length });
      w.put(pretty ? r.pick(['', '\n', '\r\n', ' \n\n']) : '');
    }
  } else {
    const ws = whiteSpace(r, false);
    const eol = r.pick(['\n', '\r\n']);
    const groups = layout === 'json-lines' ? recs.map((x) => [x]) : splitInto(r, recs, r.range(1, count));
    groups.forEach((group, g) => {
      if (r.chance(0.2)) w.put(r.pick(['', ' ', '\t', ' \r']) + eol);
      const where = { line: w.line, start: w.bytes };
      const asObject = layout !== 'json-lines' && (group.length !== 1 || r.chance(0.5));
      const text = asObject ? `{${ws()}"Records"${ws()}:${ws()}[${group.map((x) => serialize(r, x, ws)).join(`${ws()},${ws()}`)}]${ws()}}` : serialize(r, group[0], ws);
      const last = g === groups.length - 1;
      const lead = r.pick(['', ' ']);
      const line = lead + text + r.pick(['', ' ', '\t']) + (last && r.chance(0.5) ? '' : eol);
      units.push({ start: w.bytes + lead.length, end: w.bytes + lead.length + Buffer.byteLength(text) });
      parts.push({ text: line, records: group.length });
      // Each record of the line gets the line's range (its end is known once the line is written).
      w.put(line);
      for (let k = 0; k < group.length; k++) w.placed.push({ ...where, end: /\n$/.test(line) ? w.bytes : Infinity });
    });
  }
  const parsed: Record<string, unknown>[] = [];
  for (const p of parts) {
    const v = JSON.parse(p.text.replace(/^\ufeff/, '')) as Record<string, unknown>;
    const got = Array.isArray(v.Records) ? (v.Records as Record<string, unknown>[]) : [v];
    if (got.length !== p.records) throw new Error('generator: a part does not hold its records');
    parsed.push(...got);
  }
  const records = parsed.map((o, i) => ({ ...expectedEvent(o), ...w.placed[i] }));
  return { layout, bytes: Buffer.from(w.parts.join('')), records, units };
}

/** `items` in `n` consecutive non-empty groups (fewer when there are fewer items). */
function splitInto<T>(r: Random, items: T[], n: number): T[][] {
  const groups: T[][] = [];
  let rest = items.slice();
  for (let g = Math.min(n, items.length); g > 1; g--) {
    const take = r.range(1, rest.length - g + 1);
    groups.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  if (rest.length > 0 || groups.length === 0) groups.push(rest);
  return groups;
}

/**
 * Property tests of the streaming CloudTrail reader, deterministic (a seeded generator, a fixed number of cases):
 * random valid files read at random read sizes give exactly the records of an independent JSON.parse, and random
 * corruptions of them never crash, hang, drop records silently or invent any. Set CT_FUZZ_SEED to explore other seeds.
 */
import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { isSecmlError } from '../../../src/core/errors';
import { batchEvent, RowIssues } from '../../../src/core/logs';
import { ByteWindow } from '../../../src/core/logs/byte-window';
import { readCloudTrailFile } from '../../../src/core/logs/cloudtrail-reader';
import { Random } from '../../../src/core/sample/prng';
import { LAYOUTS, randomFile, type FuzzFile, type PlacedRecord } from './cloudtrail-fuzz-files';
import { TempDir } from './log-files';

const SEED = Number(process.env.CT_FUZZ_SEED ?? 20240611);

type Ev = Omit<PlacedRecord, 'start' | 'end'>;
interface Outcome {
  events: Ev[];
  issues: RowIssues;
  error?: unknown;
}

function eventOf(rec: PlacedRecord): Ev {
  const { start: _start, end: _end, ...e } = rec;
  return e;
}

/** Reads made by the current read: each reads at least one byte or ends the file, so more than bytes + a few is a loop. */
let fills = 0;
let fillBudget = Infinity;

async function read(file: string, strict: boolean, windowBytes: number | undefined, bytes: number, maxRecordBytes?: number): Promise<Outcome> {
  const issues = new RowIssues(strict);
  const events: Ev[] = [];
  fills = 0;
  fillBudget = bytes + 16;
  try {
    for await (const b of readCloudTrailFile(file, { issues, windowBytes }, maxRecordBytes)) {
      for (let i = 0; i < b.length; i++) {
        const e = batchEvent(b, i);
        events.push({ principal: e.session, type: e.type, time: e.time, line: e.line, sourceIPAddress: e.sourceIPAddress, userAgent: e.userAgent, errorCode: e.errorCode, eventTime: e.eventTime! });
      }
    }
  } catch (error) {
    return { events, issues, error };
  }
  return { events, issues };
}

const same = (a: Ev, b: Ev): boolean =>
  a.principal === b.principal && a.type === b.type && a.time === b.time && a.line === b.line && a.sourceIPAddress === b.sourceIPAddress && a.userAgent === b.userAgent && a.errorCode === b.errorCode && a.eventTime === b.eventTime;

/** Mostly tiny read sizes (every split of a record, string, escape and character), sometimes larger ones. */
const windowSize = (r: Random): number | undefined => (r.chance(0.75) ? r.range(1, 48) : r.pick([64, 100, 257, 1000, 4096, undefined]));

const lineCount = (b: Buffer): number => {
  let n = 1;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
};

/** A byte that matters to a JSON scanner more often than not. */
function nastyByte(r: Random): number {
  const k = r.int(4);
  if (k <= 1) return r.pick([...Buffer.from('{}[]",:\\\n\r \t0')]);
  return k === 2 ? 0x80 + r.int(128) : r.int(256);
}

const INSERTS = ['[', ']', '{', '}', '[[[', ']]]}}}', '"', '\\', ',', '\n', '\r', '{"Records":[', '\u0000', '\ufeff', '\xff'];

interface Damage {
  kind: string;
  /** Original bytes [at, at + removed) became `inserted`. */
  at: number;
  removed: number;
  inserted: Buffer;
}

function randomDamage(r: Random, len: number): Damage {
  const kind = r.pick(['truncate', 'flip', 'insert', 'delete', 'bracket']);
  const at = kind === 'insert' || kind === 'bracket' ? r.int(len + 1) : r.int(len);
  if (kind === 'truncate') return { kind, at, removed: len - at, inserted: Buffer.alloc(0) };
  if (kind === 'flip') return { kind, at, removed: 1, inserted: Buffer.from([nastyByte(r)]) };
  if (kind === 'delete') return { kind, at, removed: r.range(1, Math.min(16, len - at)), inserted: Buffer.alloc(0) };
  if (kind === 'insert') return { kind, at, removed: 0, inserted: Buffer.from(Array.from({ length: r.range(1, 4) }, () => nastyByte(r))) };
  const text = r.pick(INSERTS);
  return { kind, at, removed: 0, inserted: text === '\xff' ? Buffer.from([0xff]) : Buffer.from(text) };
}

const applyDamage = (b: Buffer, d: Damage): Buffer => Buffer.concat([b.subarray(0, d.at), d.inserted, b.subarray(d.at + d.removed)]);

/** The damaged file does not start like CloudTrail JSON (the reader refuses it whole, in lenient mode too). */
function startsBadly(b: Buffer): boolean {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return true;
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 32 || b[i] === 9 || b[i] === 10 || b[i] === 13)) i++;
  return i < b.length && b[i] !== 123 && b[i] !== 91;
}

/**
 * Strict mode fails exactly where lenient mode reports its first issue (same line, same reason), and succeeds with
 * the same events when lenient mode reports none; only typed errors escape.
 */
function assertStrictAgrees(lenient: Outcome, strict: Outcome, where: string): void {
  if (lenient.error !== undefined) {
    assert.ok(isSecmlError(strict.error), `${where}: strict threw ${String(strict.error)}`);
    assert.equal((strict.error as Error).message, (lenient.error as Error).message, where);
    return;
  }
  if (lenient.issues.count === 0) {
    assert.equal(strict.error, undefined, `${where}: strict threw ${String(strict.error)} where lenient saw no issue`);
    assert.deepEqual(strict.events, lenient.events, where);
    return;
  }
  const e = strict.error as { code?: string; line?: number; message?: string };
  assert.ok(isSecmlError(e), `${where}: strict threw ${String(e)}`);
  const first = lenient.issues.first[0];
  assert.deepEqual([e.code, e.line, e.message], ['LOG_FORMAT', first.line, first.reason], where);
}

describe('CloudTrail reader: property tests (seeded)', function () {
  let dir: TempDir;
  const realFill = ByteWindow.prototype.fill;
  before(() => {
    ByteWindow.prototype.fill = function (this: ByteWindow, keepFrom: number) {
      if (++fills > fillBudget) throw new Error(`the reader does not progress: ${fills} reads of a ${fillBudget - 16}-byte file`);
      return realFill.call(this, keepFrom);
    };
  });
  after(() => {
    ByteWindow.prototype.fill = realFill;
  });
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  it('valid files of every layout (gzipped or not), read at random sizes, give exactly the records an independent parse finds', async () => {
    const r = new Random(SEED, 'valid');
    for (let c = 0; c < 300; c++) {
      const f = randomFile(r, LAYOUTS[c % LAYOUTS.length], r.range(1, 6));
      const gz = r.chance(0.25);
      const file = dir.write(gz ? 'ct.json.gz' : 'ct.json', gz ? gzipSync(f.bytes) : f.bytes);
      const windowBytes = windowSize(r);
      const strict = r.chance(0.3);
      const where = `seed ${SEED} case ${c} (${f.layout}, read size ${windowBytes ?? 'default'}${strict ? ', strict' : ''}${gz ? ', gzip' : ''})`;
      const got = await read(file, strict, windowBytes, f.bytes.length);
      assert.equal(got.error, undefined, `${where}: ${String(got.error)}`);
      assert.deepEqual(got.issues.first, [], where);
      assert.deepEqual(got.events, f.records.map(eventOf), where);
    }
  });

  it('corrupted files (cut, flipped, inserted, deleted bytes, stray brackets) never crash, hang, drop records silently or invent any', async () => {
    const r = new Random(SEED, 'corrupt');
    for (let c = 0; c < 1500; c++) {
      const f = randomFile(r, LAYOUTS[c % LAYOUTS.length], r.range(1, 5));
      const d = randomDamage(r, f.bytes.length);
      const bytes = applyDamage(f.bytes, d);
      const gz = r.chance(0.15);
      const file = dir.write('bad.json', gz ? gzipSync(bytes) : bytes);
      const windowBytes = windowSize(r);
      // Sometimes a record limit some records exceed: they are skipped without being kept, the rest read on.
      const limit = r.chance(0.2) ? r.range(100, 1500) : undefined;
      const where = `seed ${SEED} case ${c} (${f.layout}, ${d.kind} at ${d.at} of ${f.bytes.length}, read size ${windowBytes ?? 'default'}${gz ? ', gzip' : ''}${limit ? `, record limit ${limit}` : ''})`;
      const lenient = await read(file, false, windowBytes, bytes.length, limit);
      const strict = await read(file, true, windowBytes, bytes.length, limit);
      if (lenient.error !== undefined) {
        // Only a file that no longer starts like CloudTrail is refused whole.
        const e = lenient.error as Error;
        assert.ok(isSecmlError(lenient.error) && /not a CloudTrail file|UTF-16/.test(e.message) && startsBadly(bytes), `${where}: ${e.stack ?? String(e)}`);
        assertStrictAgrees(lenient, strict, where);
        continue;
      }
      assertStrictAgrees(lenient, strict, where);
      checkLenient(f, d, bytes, lenient, where, limit);
    }
  });

  it('a .gz cut anywhere gives the records before the cut, exactly, and reports the cut at line 1', async () => {
    const r = new Random(SEED, 'gzip');
    for (let c = 0; c < 120; c++) {
      const f = randomFile(r, LAYOUTS[c % LAYOUTS.length], r.range(1, 12));
      const z = gzipSync(f.bytes);
      const cut = r.range(2, z.length - 1);
      const file = dir.write('cut.json.gz', z.subarray(0, cut));
      const windowBytes = windowSize(r);
      const where = `seed ${SEED} case ${c} (${f.layout}, .gz cut at ${cut} of ${z.length}, read size ${windowBytes ?? 'default'})`;
      const lenient = await read(file, false, windowBytes, f.bytes.length);
      assert.equal(lenient.error, undefined, `${where}: ${String(lenient.error)}`);
      assert.deepEqual(lenient.events, f.records.slice(0, lenient.events.length).map(eventOf), where);
      assert.ok(lenient.issues.first.some((i) => i.line === 1 && /^(gzip data is truncated|corrupt gzip data)/.test(i.reason)), `${where}: ${JSON.stringify(lenient.issues.first)}`);
      assertStrictAgrees(lenient, await read(file, true, windowBytes, f.bytes.length), where);
    }
  });
});

/**
 * What lenient mode must give for a damaged file:
 * - every record that ended before the damage, first, exactly (the reader streams: bytes after it cannot change it),
 *   unless it is over the record limit;
 * - events in line order, on lines the file has; issues on lines the file has;
 * - every other event is an original record (then on its true line, if the damage did not touch it), or comes from
 *   a record the damage touched: no more such events than touched records;
 * - a record the damage did not touch is either read or an issue is reported (nothing disappears silently), and in
 *   JSON lines damaged within one line, it is read;
 * - a cut inside a JSON text is reported.
 */
function checkLenient(f: FuzzFile, d: Damage, bytes: Buffer, got: Outcome, where: string, limit = Infinity): void {
  const { events, issues } = got;
  const lines = lineCount(bytes);
  const shift = d.inserted.length - d.removed;
  const touched = (rec: PlacedRecord) => rec.start <= d.at + d.removed && d.at <= rec.end;
  const lineIn = (rec: PlacedRecord) => lineCount(bytes.subarray(0, rec.start < d.at ? rec.start : rec.start + shift));

  // Those over the record limit (their line's length, in JSON lines) may be skipped: it is reported.
  let j = 0;
  for (const rec of f.records.filter((x) => x.end <= d.at)) {
    if (j < events.length && same(events[j], eventOf(rec))) j++;
    else assert.ok(rec.end - rec.start > limit, `${where}: record ${f.records.indexOf(rec)}, before the damage, is not read first and in order`);
  }

  for (let i = 0; i < events.length; i++) {
    assert.ok(events[i].line >= 1 && events[i].line <= lines && (i === 0 || events[i].line >= events[i - 1].line), `${where}: event ${i} on line ${events[i].line} of ${lines}`);
  }
  for (const s of issues.first) assert.ok(s.line >= 1 && s.line <= lines, `${where}: issue on line ${s.line} of ${lines}: ${s.reason}`);

  const byType = new Map(f.records.map((rec, k) => [rec.type, k]));
  const seen = new Set<number>();
  let foreign = 0;
  for (const e of events) {
    const k = byType.get(e.type);
    const rec = k === undefined ? undefined : f.records[k];
    if (rec === undefined || !same(e, { ...eventOf(rec), line: e.line })) {
      foreign++;
      continue;
    }
    assert.ok(!seen.has(k!), `${where}: record ${k} read twice`);
    seen.add(k!);
    if (!touched(rec)) assert.equal(e.line, lineIn(rec), `${where}: record ${k} (untouched) on the wrong line`);
  }
  const touchedCount = f.records.filter(touched).length;
  assert.ok(foreign <= touchedCount, `${where}: ${foreign} events that are no record of the file (${touchedCount} records damaged)`);

  const lost = f.records.findIndex((rec, k) => !seen.has(k) && !touched(rec));
  if (lost >= 0) assert.ok(issues.count > 0, `${where}: record ${lost} (untouched) is missing and no issue is reported`);
  // JSON lines resynchronise at the next line: damage inside one line (after the first, which decides the layout)
  // loses that line's record at most.
  const oneLine = !d.inserted.includes(10) && !f.bytes.subarray(d.at, d.at + d.removed).includes(10) && d.kind !== 'truncate';
  if (f.layout === 'json-lines' && oneLine && d.at > f.units[0].end) {
    const dropped = f.records.findIndex((rec, k) => !seen.has(k) && !touched(rec) && rec.end - rec.start <= limit);
    assert.equal(dropped, -1, `${where}: record ${dropped} (untouched, within the record limit) is missing`);
  }

  if (d.kind === 'truncate' && f.units.some((u) => u.start < d.at && d.at < u.end)) {
    assert.ok(issues.count > 0, `${where}: cut inside a JSON text, yet no issue`);
  }
}

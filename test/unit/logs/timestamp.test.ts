import { strict as assert } from 'node:assert';
import { parseTimestamp } from '../../../src/core/logs';
import { parseTimestampBytes, seedDateTimeBytes } from '../../../src/core/logs/timestamp';

describe('parseTimestamp', () => {
  const utc = (s: string) => Date.parse(s);
  it('reads ISO forms as UTC, with fractions and offsets', () => {
    assert.equal(parseTimestamp('2019-07-17 02:54:00'), utc('2019-07-17T02:54:00Z'));
    assert.equal(parseTimestamp('2023-07-10T11:42:18Z'), utc('2023-07-10T11:42:18Z'));
    assert.equal(parseTimestamp('2023-07-10T11:42:18.125Z'), utc('2023-07-10T11:42:18.125Z'));
    assert.equal(parseTimestamp('2023-07-10T11:42:18.1+02:00'), utc('2023-07-10T09:42:18.100Z'));
    assert.equal(parseTimestamp('2023-07-10T11:42:18-0530'), utc('2023-07-10T17:12:18Z'));
    assert.equal(parseTimestamp('2023-07-10 11:42'), utc('2023-07-10T11:42:00Z'));
    assert.equal(parseTimestamp('2024-02-29'), utc('2024-02-29T00:00:00Z'));
    assert.equal(parseTimestamp('  2019-07-17 02:54:00 '), utc('2019-07-17T02:54:00Z'));
  });
  it('reads MM/DD/YYYY and epoch seconds or milliseconds', () => {
    assert.equal(parseTimestamp('07/17/2019 02:54:00'), utc('2019-07-17T02:54:00Z'));
    assert.equal(parseTimestamp('1563332040'), utc('2019-07-17T02:54:00Z'));
    assert.equal(parseTimestamp('1563332040000'), utc('2019-07-17T02:54:00Z'));
    assert.equal(parseTimestamp('1563332040.5'), utc('2019-07-17T02:54:00.500Z'));
  });
  it('parses a range of a longer string without slicing', () => {
    const line = '17\t2019-07-17 02:54:00\tx';
    assert.equal(parseTimestamp(line, 3, 22), utc('2019-07-17T02:54:00Z'));
  });
  it('returns NaN for what is not a time', () => {
    for (const s of ['', 'yesterday', '2019-13-01 00:00:00', '2019-02-30', '2019-07-17 25:00:00', '2019-07-17X02:54', '2019-07-17 02:54:00 nonsense']) {
      assert.ok(Number.isNaN(parseTimestamp(s)), s);
    }
  });
  it('agrees with Date.parse on many generated times', () => {
    let x = 7;
    for (let i = 0; i < 2000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const ms = Math.floor((x / 4294967296) * 4e12) - 1e12;
      const iso = new Date(ms).toISOString();
      assert.equal(parseTimestamp(iso), ms, iso);
      assert.equal(parseTimestamp(iso.replace('T', ' ').replace('Z', '')), ms, iso);
    }
  });
});

describe('seedDateTimeBytes (the fast path for the seed\'s times)', () => {
  it('reads a time as parseTimestampBytes does, or gives NaN, whatever byte is at any position', () => {
    for (const base of ['2019-07-17 02:54:00.123', '2019-07-17T23:59:59', '2020-02-29 00:00:00.000']) {
      const long = base.length === 23;
      const b = Buffer.from(base);
      const expected = parseTimestampBytes(b, 0, b.length);
      assert.equal(seedDateTimeBytes(b, 0, long), expected);
      let agreed = 0;
      for (let at = 0; at < b.length; at++) {
        for (let v = 0; v < 256; v++) {
          const c = Buffer.from(b);
          c[at] = v;
          const fast = seedDateTimeBytes(c, 0, long);
          if (fast === fast) {
            assert.equal(fast, parseTimestampBytes(c, 0, c.length), `${JSON.stringify(c.toString('latin1'))}`);
            agreed++;
          }
        }
      }
      // Digits at each digit position read (10 each), separators as written (' ' or 'T' at 10).
      assert.ok(agreed > 100, `only ${agreed} variants read`);
    }
    assert.ok(Number.isNaN(seedDateTimeBytes(Buffer.from('2019-02-29 00:00:00'), 0, false)));
    assert.ok(Number.isNaN(seedDateTimeBytes(Buffer.from('2019-07-17 24:00:00'), 0, false)));
  });
});

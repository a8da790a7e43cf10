import { strict as assert } from 'node:assert';
import { parseTimestamp } from '../../../src/core/logs';

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

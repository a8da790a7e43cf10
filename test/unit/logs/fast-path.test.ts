import { strict as assert } from 'node:assert';
import { readAll, SEED_HEADER, TempDir } from './log-files';

/**
 * The delimited reader takes most lines through a fast path and hands any other line to the general one; these
 * lines sit on the boundary between the two, and every row must come out as the general path spells it.
 */
describe('delimited reader: fast path and general path agree', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  const t = (s: string) => Date.parse(s.replace(' ', 'T') + (/[Z+]/.test(s) ? '' : 'Z'));

  it('reads every shape of good line, with its line number', async () => {
    const lines = [
      SEED_HEADER,
      '1\t2019-07-01 08:00:00.123\tc\tg\tp\t111\t0',
      '1\t2019-07-01 08:00:01\tc\tg\tp\t112\t1\r',
      '2\t2019-07-01T08:00:02Z\tc\tg\tp\t113\t0',
      '2\t2019-07-01 08:00:03.5\tcust one\tg\tp\t114\t1',
      '3\t07/01/2019 08:00:04\tc\tg\tp\t115\t',
      '3\t2019-07-01 08:00:05.123\t"quoted, cust"\tg\tp\t116\tbad',
      '4\t 2019-07-01 08:00:06 \tc\tg\tp\t117\t 1 ',
      '5\t2019-07-01 08:00:07.000\tc\tg\tp\t118\t0',
    ];
    const f = dir.write('a.txt', lines.join('\n'));
    const { events, issues } = await readAll([f], { format: 'seed' });
    assert.equal(issues.count, 0);
    assert.deepEqual(
      events.map((e) => [e.session, e.type, e.time, e.label, e.line]),
      [
        ['1', '111', t('2019-07-01 08:00:00.123'), 0, 2],
        ['1', '112', t('2019-07-01 08:00:01'), 1, 3],
        ['2', '113', t('2019-07-01 08:00:02Z'), 0, 4],
        ['2', '114', t('2019-07-01 08:00:03.500'), 1, 5],
        ['3', '115', t('2019-07-01 08:00:04'), -1, 6],
        ['3', '116', t('2019-07-01 08:00:05.123'), 1, 7],
        ['4', '117', t('2019-07-01 08:00:06'), 1, 8],
        ['5', '118', t('2019-07-01 08:00:07'), 0, 9],
      ],
    );
  });

  it('skips the same bad lines, wherever a read of the file ends', async () => {
    // Over 1 MB, so that lines straddle the reader's buffer boundaries.
    const rows = [SEED_HEADER];
    const expected: [string, string, number][] = [];
    for (let i = 0, bytes = 0; bytes < 1.3e6; i++, bytes += rows[rows.length - 1].length + 2) {
      const line = i + 2;
      if (i % 997 === 5) rows.push(`${i}\t2019-07-01 08:00:00\tc\tg\t${i}\t0`);
      else if (i % 991 === 7) rows.push(`${i}\t2019-13-01 08:00:00.000\tc\tg\tp\t${i}\t0`);
      else {
        rows.push(`s${i % 50}\t2019-07-01 08:${String(i % 60).padStart(2, '0')}:00.250\tcustomer-${i}\tgroup\tprofile\tE${i % 37}\t${i % 2}`);
        expected.push([`s${i % 50}`, `E${i % 37}`, line]);
      }
    }
    const f = dir.write('big.txt', rows.join('\r\n') + '\r\n');
    const { events, issues } = await readAll([f], { format: 'seed' });
    assert.deepEqual(
      events.map((e) => [e.session, e.type, e.line]),
      expected,
    );
    assert.equal(issues.count, rows.length - 1 - expected.length);
    assert.match(issues.first[0].reason, /expected 7 tab-separated fields, found 6/);
  });

  it('reads a column mapped to two roles as each', async () => {
    const f = dir.write('m.csv', 'when,what\n2019-07-01 08:00:00,login\n2019-07-01 08:00:00,logout\n');
    const { events } = await readAll([f], { format: 'csv', columns: { session: 'when', event: 'what', time: 'when' } });
    assert.deepEqual(
      events.map((e) => [e.session, e.type, e.time]),
      [
        ['2019-07-01 08:00:00', 'login', t('2019-07-01 08:00:00')],
        ['2019-07-01 08:00:00', 'logout', t('2019-07-01 08:00:00')],
      ],
    );
  });
});

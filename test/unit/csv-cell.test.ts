import * as assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { csvCell, csvValue } from '../../src/core/csv-cell';
import { putTextCell, maxTextCellBytes } from '../../src/core/features/csv-bytes';

/** What a spreadsheet sees in the first cell of a one-cell CSV line. */
function readBack(cell: string): string {
  return (parse(cell + '\n', { relax_column_count: true }) as string[][])[0][0];
}

describe('csv-cell: the one CSV escaper', () => {
  it('neutralises text a spreadsheet would run as a formula, quoting it', () => {
    assert.equal(csvCell(`=cmd|' /C calc'!A0`), `"'=cmd|' /C calc'!A0"`);
    assert.equal(csvCell('+1'), `"'+1"`);
    assert.equal(csvCell('@SUM(1)'), `"'@SUM(1)"`);
    assert.equal(csvCell('-2+3+cmd|x'), `"'-2+3+cmd|x"`);
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('\t=1'), `"'\t=1"`);
    assert.equal(csvCell('\r=1'), `"'\r=1"`);
    assert.equal(csvCell('-'), `"'-"`);
  });

  it('leaves a negative number a number', () => {
    assert.equal(csvCell('-5'), '-5');
    assert.equal(csvCell('-0.25'), '-0.25');
    assert.equal(csvCell('-1e-7'), '-1e-7');
    assert.equal(csvValue(-5), '-5');
  });

  it('quotes commas, quotes and line breaks per RFC 4180 and reads back unchanged', () => {
    for (const s of ['a,b', 'say "hi"', 'line\nbreak', 'cr\rlf\r\n', 'plain', 'évènement', '']) {
      const cell = csvCell(s);
      if (/[",\r\n]/.test(s)) assert.match(cell, /^".*"$/s);
      assert.equal(s === '' ? cell : readBack(cell), s);
    }
    assert.equal(csvCell('a,"b"'), '"a,""b"""');
    assert.equal(readBack(csvCell('=1,"2"\n')), `'=1,"2"\n`);
  });

  it('writes values of any type', () => {
    assert.deepEqual([1.5, true, null, undefined, Number.NaN, Infinity, '=x'].map(csvValue), ['1.5', 'true', '', '', '', '', `"'=x"`]);
  });

  it('is what the byte writer of sessions.csv writes', () => {
    for (const s of ['s1', '-5', '+1', '=cmd', '\tx', 'a,b', 'x"y', 'ü@', '@x']) {
      const out = Buffer.alloc(maxTextCellBytes(s));
      const end = putTextCell(out, 0, s);
      assert.equal(out.subarray(0, end).toString('utf8'), csvCell(s), s);
    }
  });
});

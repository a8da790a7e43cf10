/**
 * The spreadsheet-safe pass over an engine's CSV: formula cells get the shared escaper's apostrophe; every other byte is
 * kept (quoting style, NULL vs "", CRLF), whatever the chunk boundaries.
 */
import * as assert from 'node:assert/strict';
import { SpreadsheetSafeCsv, spreadsheetSafeCsv } from '../../../src/core/query/spreadsheet-safe-csv';

describe('spreadsheet-safe CSV export', () => {
  const input = 'a,b,c\r\n=1+1,-5,"=HYPERLINK(""http://x"",""y"")"\r\n"@x","x,=y",\n+1 555,"\tTAB",""\n"-3.5e2",ünïcode=,"\r=cr"\n-x';
  const expected = `a,b,c\r\n"'=1+1",-5,"'=HYPERLINK(""http://x"",""y"")"\r\n"'@x","x,=y",\n"'+1 555","'\tTAB",""\n"-3.5e2",ünïcode=,"'\r=cr"\n"'-x"`;

  it('guards formula cells only, keeping every other byte', () => {
    assert.equal(spreadsheetSafeCsv(input), expected);
    assert.equal(spreadsheetSafeCsv('x\n'), 'x\n');
    assert.equal(spreadsheetSafeCsv(''), '');
  });

  it('gives the same output whatever the chunk boundaries (one byte at a time, split UTF-8)', () => {
    const bytes = Buffer.from(input, 'utf8');
    const g = new SpreadsheetSafeCsv();
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += g.write(bytes.subarray(i, i + 1));
    out += g.end();
    assert.equal(out, expected);
  });
});

import * as assert from 'node:assert/strict';
import { parseLabelledCsv, readLabelledCsv } from '../../../src/core/model/labelled-csv';

const parse = (text: string, cols?: number) => parseLabelledCsv(Buffer.from(text, 'utf8'), 'data.csv', cols);
const located = (line: number, pattern: RegExp) => (e: any) => e.code === 'LOG_FORMAT' && e.file === 'data.csv' && e.line === line && pattern.test(e.message);

describe('model/labelled-csv', () => {
  it('reads label-first rows into flat typed arrays', () => {
    const m = parse('1,3,0,2.5\n0,0,1,-0.125\n');
    assert.equal(m.rows, 2);
    assert.equal(m.cols, 3);
    assert.deepEqual(Array.from(m.y), [1, 0]);
    assert.deepEqual(Array.from(m.x), [3, 0, 2.5, 0, 1, -0.125]);
    assert.ok(m.x instanceof Float32Array && m.y instanceof Float32Array);
  });

  it('rounds decimals exactly like parsing then casting to float32', () => {
    const values = ['0.1', '123.456', '-7.0001', '1e-3', '2.5E+2', '3.', '.5', '+4', '0.30000000000000004', '12345678901234567890'];
    const m = parse(`0,${values.join(',')}\n`);
    assert.deepEqual(Array.from(m.x), values.map((v) => Math.fround(Number(v))));
  });

  it('reads empty fields and nan as missing (NaN); handles CRLF, a BOM, blank lines and no final newline', () => {
    const m = parse('\uFEFF0,1,,3\r\n\r\n1,nan,2,NaN\r\n1,,,');
    assert.equal(m.rows, 3);
    assert.deepEqual(Array.from(m.x).map((v) => (Number.isNaN(v) ? 'NaN' : v)), [1, 'NaN', 3, 'NaN', 2, 'NaN', 'NaN', 'NaN', 'NaN']);
  });

  it('names file:line for a short row, a long row, a bad value, a bad label and a header', () => {
    assert.throws(() => parse('0,1,2\n1,2\n'), located(2, /expected 3 comma-separated values \(label, then 2 features\), found 2/));
    assert.throws(() => parse('0,1,2\n1,2,3,4\n'), located(2, /found 4/));
    assert.throws(() => parse('0,1,2\n\n1,2,abc\n'), located(3, /value 3 \("abc"\) is not a finite number/));
    assert.throws(() => parse('0,1,2\n2,1,1\n'), located(2, /label must be 0 or 1, got "2"/));
    assert.throws(() => parse('0,1,2\n,1,1\n'), located(2, /label must be 0 or 1/));
    assert.throws(() => parse('label,a,b\n0,1,2\n'), located(1, /looks like a header/));
    assert.throws(() => parse('0,1,inf\n'), located(1, /not a finite number/));
  });

  it('checks the expected feature count', () => {
    assert.throws(() => parse('0,1,2\n', 3), located(1, /expected 4 comma-separated values/));
    assert.equal(parse('', 3).rows, 0);
  });

  it('reports a missing file as NOT_FOUND', async () => {
    await assert.rejects(readLabelledCsv('/nonexistent/train.csv'), (e: any) => e.code === 'NOT_FOUND' && e.file === '/nonexistent/train.csv');
  });
});

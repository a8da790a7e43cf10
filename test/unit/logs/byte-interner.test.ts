import { strict as assert } from 'node:assert';
import { ByteInterner } from '../../../src/core/logs/byte-interner';

describe('ByteInterner', () => {
  it('gives one id per distinct byte string, through rehashes, with the decoded names', () => {
    const interner = new ByteInterner();
    const values = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? `sessión-${i}` : `blk_-${i * 7919}`));
    const buf = Buffer.from(values.join('\t'));
    const ranges: [number, number][] = [];
    let start = 0;
    for (let i = 0; i <= buf.length; i++) {
      if (i === buf.length || buf[i] === 9) {
        ranges.push([start, i]);
        start = i + 1;
      }
    }
    const ids = ranges.map(([a, b]) => interner.intern(buf, a, b));
    assert.deepEqual(ids, values.map((_, i) => i));
    assert.deepEqual(interner.names, values);
    // The same bytes elsewhere (another buffer) map to the same ids.
    const again = Buffer.from(`x\t${values[4321]}\t${values[0]}`);
    assert.equal(interner.intern(again, 2, 2 + Buffer.byteLength(values[4321])), 4321);
    assert.equal(interner.intern(again, again.length - Buffer.byteLength(values[0]), again.length), 0);
    assert.equal(interner.size, 5000);
    assert.equal(interner.intern(Buffer.from('new'), 0, 3), 5000);
  });
});

import * as assert from 'node:assert/strict';
import { gutterWidth } from '../../../webview/query/grid';

describe('webview/query grid: the # gutter', () => {
  it('grows with the digits of the row count, so row 100000 is never cut to "1000…"', () => {
    assert.equal(gutterWidth(0), 40);
    assert.equal(gutterWidth(260), 43);
    assert.ok(gutterWidth(100_000) >= 16 + 6 * 9);
    assert.ok(gutterWidth(10_000_000) > gutterWidth(100_000));
  });
});

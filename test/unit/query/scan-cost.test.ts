import * as assert from 'node:assert/strict';
import { athenaCostUsd } from '../../../src/core/query/engine';
import { describeAthenaScan, formatBytesScanned, formatUsd } from '../../../src/core/query/scan-cost';

describe('query/scan-cost: data scanned and Athena cost as people read them', () => {
  it('shows tiny scans as "<0.1 MB", not "0.0 MB", and large ones in GB/TB', () => {
    assert.equal(formatBytesScanned(0), '0 MB');
    assert.equal(formatBytesScanned(1234), '<0.1 MB');
    assert.equal(formatBytesScanned(123_456), '0.1 MB');
    assert.equal(formatBytesScanned(45_600_000), '45.6 MB');
    assert.equal(formatBytesScanned(3 * 2 ** 30), '3.22 GB');
    assert.equal(formatBytesScanned(1.5e12), '1.50 TB');
  });

  it('keeps the significant digits of small amounts, never an exponent or "$0.0000"', () => {
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(athenaCostUsd(0)), '$0.00005');
    assert.equal(formatUsd(0.0146), '$0.015');
    assert.equal(formatUsd(0.2), '$0.2');
    assert.equal(formatUsd(0.48), '$0.48');
    assert.equal(formatUsd(12.5), '$12.50');
    assert.equal(formatUsd(1e-9), '$0.000000001');
  });

  it('says when the 10 MB per-query minimum is what is billed', () => {
    assert.deepEqual(describeAthenaScan(1234, athenaCostUsd(1234)), ['<0.1 MB scanned', '~$0.00005 (10 MB minimum)']);
    assert.deepEqual(describeAthenaScan(0, athenaCostUsd(0)), ['0 MB scanned', '~$0.00005 (10 MB minimum)']);
    assert.deepEqual(describeAthenaScan(3 * 2 ** 30, athenaCostUsd(3 * 2 ** 30)), ['3.22 GB scanned', '~$0.015']);
    // DDL is free: no minimum to mention.
    assert.deepEqual(describeAthenaScan(0, athenaCostUsd(0, 'DDL')), ['0 MB scanned', '~$0']);
  });
});

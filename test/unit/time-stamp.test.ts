import * as assert from 'node:assert/strict';
import { utcStamp } from '../../src/core/time-stamp';

describe('time-stamp', () => {
  it('is YYYYMMDD-HHMMSS in UTC, whatever the local time zone', () => {
    assert.equal(utcStamp(new Date('2025-03-01T04:05:06.789Z')), '20250301-040506');
    assert.equal(utcStamp(new Date('2025-12-31T23:59:59+02:00')), '20251231-215959');
    assert.match(utcStamp(), /^\d{8}-\d{6}$/);
  });
});

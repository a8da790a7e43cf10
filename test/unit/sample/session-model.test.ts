import * as assert from 'node:assert/strict';
import { ACTION_CODES, DOWNLOAD_CODES } from '../../../src/core/sample/actions';
import { ATTACKERS, INNOCENT, type Behaviour } from '../../../src/core/sample/behaviours';
import { Random } from '../../../src/core/sample/prng';
import { DOWNLOAD_QUOTA, generateSession } from '../../../src/core/sample/session-model';
import { RowBuffer } from '../../../src/core/sample/row-buffer';
import { formatLogTime } from '../../../src/core/sample/log-time';

const START = Date.parse('2019-07-01T13:00:00Z');

function downloadShare(b: Behaviour, rng: Random, n = 400): number {
  let downloads = 0;
  let all = 0;
  for (let i = 0; i < n; i++) {
    const s = generateSession(rng, b, START);
    all += s.acts.length;
    downloads += s.acts.filter((a) => DOWNLOAD_CODES.has(a)).length;
  }
  return downloads / all;
}

describe('sample/prng and session model', () => {
  it('repeats a stream for the same seed and label, and differs across labels and seeds', () => {
    const draw = (r: Random) => Array.from({ length: 5 }, () => r.next());
    assert.deepEqual(draw(new Random(7, 'x')), draw(new Random(7, 'x')));
    assert.notDeepEqual(draw(new Random(7, 'x')), draw(new Random(7, 'y')));
    assert.notDeepEqual(draw(new Random(7, 'x')), draw(new Random(8, 'x')));
    assert.deepEqual(draw(new Random(7).fork('a')), draw(new Random(7).fork('a')));
    const r = new Random(1);
    const picks = r.sample(1000, 10);
    assert.equal(new Set(picks).size, 10);
    assert.deepEqual(picks, [...picks].sort((a, b) => a - b));
  });

  it('makes sessions of valid codes with non-decreasing times starting at the session start', () => {
    const rng = new Random(5, 'sessions');
    const codes = new Set(ACTION_CODES);
    for (const b of [...INNOCENT, ...ATTACKERS]) {
      for (let i = 0; i < 200; i++) {
        const s = generateSession(rng, b, START);
        assert.ok(s.acts.length >= 1, b.name);
        assert.equal(s.acts.length, s.times.length);
        assert.equal(s.times[0], START);
        for (let k = 0; k < s.acts.length; k++) {
          assert.ok(codes.has(s.acts[k]), `${b.name}: ${s.acts[k]}`);
          if (k) assert.ok(s.times[k] >= s.times[k - 1]);
          assert.ok(Number.isInteger(s.times[k]));
        }
      }
    }
  });

  it('refuses downloads (219) only after the quota', () => {
    const rng = new Random(9, 'quota');
    let refusals = 0;
    for (let i = 0; i < 300; i++) {
      const s = generateSession(rng, ATTACKERS[0], START);
      let downloads = 0;
      for (const a of s.acts) {
        if (DOWNLOAD_CODES.has(a)) downloads++;
        if (a === 219) {
          refusals++;
          assert.ok(downloads >= DOWNLOAD_QUOTA);
        }
      }
    }
    assert.ok(refusals > 0, 'fast harvesters should hit the quota sometimes');
  });

  it('has harvesters download a larger share of what they do than readers and searchers, with bulk researchers in between', () => {
    const rng = new Random(11, 'shares');
    const byName = (name: string) => [...INNOCENT, ...ATTACKERS].find((b) => b.name === name)!;
    const reader = downloadShare(byName('reader'), rng);
    const bulk = downloadShare(byName('bulk-researcher'), rng);
    const stealthy = downloadShare(byName('harvester-stealthy'), rng);
    const fast = downloadShare(byName('harvester-fast'), rng);
    assert.ok(reader < stealthy && stealthy < fast, `reader ${reader}, stealthy ${stealthy}, fast ${fast}`);
    assert.ok(bulk > reader && bulk < fast, `bulk ${bulk}`);
  });

  it('formats LogTime as the seed did, byte for byte in the row buffer', () => {
    const buf = new RowBuffer(4096);
    for (const t of [START, START + 1, Date.parse('2017-12-31T23:59:59.999Z'), Date.parse('2019-06-17T07:05:09.050Z')]) {
      buf.clear();
      buf.putTime(t);
      assert.equal(buf.bytes.toString('latin1', 0, buf.length), formatLogTime(t));
    }
    assert.equal(formatLogTime(Date.parse('2019-07-01T13:45:12.123Z')), '2019-07-01 13:45:12.123');
  });
});

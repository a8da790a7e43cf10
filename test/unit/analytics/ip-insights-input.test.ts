import * as assert from 'node:assert/strict';
import { readAddressEvents, type AddressEvents } from '../../../src/core/analytics/cloudtrail-addresses';
import { lastDayStart, trainingTuples } from '../../../src/core/analytics/ip-insights-input';
import { sampleTrail } from './trail-fixture';

describe('analytics: what IP Insights trains on', () => {
  it("the sample trail: trains on 2024-05-13's tuples and scores from 2024-05-14", async () => {
    const { awsLogs } = await sampleTrail();
    const ev = await readAddressEvents([awsLogs]);
    const day2 = Date.parse('2024-05-14T00:00:00Z');
    assert.equal(lastDayStart(ev), day2);
    const train = trainingTuples(ev, day2);
    let before = 0;
    for (let i = 0; i < ev.length; i++) if (ev.time[i] < day2) before++;
    assert.equal(train.length, before);
    assert.ok(train.length > 0 && train.length < ev.length);
    assert.ok(!train.some((t) => t.ip === '203.0.113.66'), "the intruder's address appears on the second day only");
    assert.equal(trainingTuples(ev).length, ev.length, 'no window: every event');
  });

  it('events of one day: nothing before them to train on alone, so no scored window', () => {
    const t0 = Date.parse('2024-05-14T01:00:00Z');
    const ev = { length: 2, time: new Float64Array([t0, t0 + 3_600_000]), principal: new Uint32Array([0, 0]), address: new Uint32Array([0, 0]), principals: ['alice'], addresses: [{ ip: '192.0.2.1' }] } as unknown as AddressEvents;
    assert.equal(lastDayStart(ev), undefined);
    assert.deepEqual(trainingTuples(ev), [{ entity: 'alice', ip: '192.0.2.1' }, { entity: 'alice', ip: '192.0.2.1' }]);
  });
});

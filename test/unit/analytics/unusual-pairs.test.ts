import * as assert from 'node:assert/strict';
import { readAddressEvents } from '../../../src/core/analytics/cloudtrail-addresses';
import { findUnusualPairs } from '../../../src/core/analytics/unusual-pairs';
import { INVICTUS, sampleTrail } from './trail-fixture';
import { requireDataset } from '../../helpers/tools';

describe('analytics: unusual principal/IP pairs', () => {
  it("the sample workspace: the intruder's new address for ci-deploy ranks first, alone above 0.2", async () => {
    const { awsLogs, summary } = await sampleTrail();
    const ev = await readAddressEvents([awsLogs]);
    assert.equal(ev.records, summary.events);
    assert.ok(ev.serviceSources > 0, 'AWS service hosts are counted');
    assert.equal(ev.length + ev.serviceSources + ev.otherSources + ev.missingSources, ev.records);
    const r = findUnusualPairs(ev);
    const [top, second] = r.pairs;
    assert.equal(top.address, summary.story.attackerIp);
    assert.match(top.principal, new RegExp(`:user/${summary.story.leakedUser}$`));
    assert.equal(top.level, 'new-network');
    assert.equal(top.accountLevel, 'new-network');
    assert.equal(top.firstTime.slice(0, 16), summary.story.start.slice(0, 16));
    assert.ok(top.score > 0.4, `intruder scores ${top.score}`);
    assert.ok(second.score < 0.2, `the next pair scores ${second.score}`);
    // The backdoor user the intruder created has no history of its own: listed, scored 0.
    const backdoor = r.pairs.find((p) => p.principal.endsWith(`:user/${summary.story.backdoorUser}`));
    assert.equal(backdoor?.level, 'no-history');
    assert.equal(backdoor?.score, 0);
  });

  it('a window scores only pairs active in it, against the days before as history', async () => {
    const { awsLogs } = await sampleTrail();
    const ev = await readAddressEvents([awsLogs]);
    const day2 = Date.parse('2024-05-14T00:00:00Z');
    const r = findUnusualPairs(ev, { from: day2, to: day2 + 86_400_000 });
    assert.ok(r.historyEvents > 1000 && r.windowEvents > 1000);
    assert.equal(r.historyEvents + r.windowEvents, ev.length);
    assert.ok(r.pairs.every((p) => p.firstTime >= '2024-05-14'));
    // alice's office address was known from day 1: a known address now.
    const alice = r.pairs.find((p) => p.principal.endsWith(':user/alice'));
    assert.equal(alice?.level, 'known-address');
    assert.equal(alice?.score, 0);
    assert.equal(r.pairs[0].address, '203.0.113.66');
  });

  it('the real Stratus Red Team trail: hand-checked pairs', async function () {
    requireDataset(this, INVICTUS);
    const ev = await readAddressEvents([INVICTUS]);
    assert.equal(ev.records, 2900);
    // 116 secretsmanager + 25 health + ... service hosts, 170 "AWS Internal".
    assert.equal(ev.otherSources, 170);
    assert.equal(ev.serviceSources, 183);
    const r = findUnusualPairs(ev);
    const key = (p: { principal: string; address: string }) => `${p.principal.replace(/^arn:aws:(iam|sts)::123837392027:/, '')} ${p.address}`;
    // bert-jan worked from 192.168.10.20 (2,104 events), then from 10.8.8.10: a network it never used after 1,645 events.
    const moved = r.pairs.find((p) => key(p) === 'user/bert-jan 10.8.8.10')!;
    assert.equal(moved.level, 'new-network');
    assert.equal(moved.principalEvents, 1645);
    assert.equal(moved.principalAddresses, 1);
    assert.equal(moved.events, 280);
    assert.ok(moved.score > 0.7);
    assert.deepEqual(r.pairs.slice(0, 2).map(key).sort(), ['user/bert-jan 10.107.159.90', 'user/bert-jan 10.8.8.10']);
    // The admin address, shared with every Stratus role: usual for the account, so the detonation roles score 0.
    const role = r.pairs.find((p) => /stratus-red-team-ec2-steal-credentials-role/.test(p.principal) && p.address === '192.168.10.20')!;
    assert.equal(role.accountLevel, 'known-address');
    assert.equal(role.score, 0);
    // Deterministic: the same input gives the same ranking.
    assert.deepEqual(findUnusualPairs(ev).pairs, r.pairs);
  });
});

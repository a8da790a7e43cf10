import * as assert from 'node:assert/strict';
import { IpHistory } from '../../../src/core/analytics/ip-history';
import { sourceAddress } from '../../../src/core/analytics/source-address';

const bits = (tail: number) => Math.min(1, Math.log2(1 / tail) / 10);

describe('analytics: source addresses', () => {
  it('classifies IPv4, IPv6 (expanded, mapped IPv4), AWS service hosts and other text', () => {
    assert.deepEqual(sourceAddress('203.0.113.66'), { kind: 'ip', ip: '203.0.113.66', net24: '203.0.113.0/24', net16: '203.0.0.0/16' });
    assert.deepEqual(sourceAddress('2001:db8::1'), { kind: 'ip', ip: '2001:db8:0:0:0:0:0:1', net24: '2001:db8:0:0::/64', net16: '2001:db8:0::/48' });
    assert.equal(sourceAddress('::ffff:198.51.100.7').ip, '198.51.100.7');
    assert.equal(sourceAddress('s3.amazonaws.com').kind, 'service');
    assert.equal(sourceAddress('ec2.amazonaws.com.cn').kind, 'service');
    assert.equal(sourceAddress('AWS Internal').kind, 'other');
    assert.equal(sourceAddress(undefined).kind, 'other');
    assert.equal(sourceAddress('999.1.1.1').kind, 'other');
  });
});

describe('analytics: the principal/address history model', () => {
  const a = (ip: string) => sourceAddress(ip);

  it('scores by hand-checked Witten-Bell tails: a new network for a one-address principal, and for the account', () => {
    const h = new IpHistory();
    for (let i = 0; i < 99; i++) h.add('ci', a('192.0.2.15'));
    h.add('alice', a('198.51.100.23'));
    const s = h.score('ci', a('203.0.113.66'));
    // ci: n = 99, one network: e = (1 + 1) / (99 + 1 + 1); account: n = 100, two networks: e = (2 + 1) / (100 + 2 + 1).
    assert.equal(s.principal.level, 'new-network');
    assert.equal(s.account.level, 'new-network');
    assert.ok(Math.abs(s.principal.novelty - bits(2 / 101)) < 1e-12);
    assert.ok(Math.abs(s.account.novelty - bits(3 / 103)) < 1e-12);
    assert.ok(Math.abs(s.score - bits(2 / 101) * bits(3 / 103)) < 1e-12);
    assert.equal(s.principalAddresses, 1);
    assert.equal(s.addressPrincipals, 0);
  });

  it('the busiest subnet is entirely usual; a new address in it is usual too', () => {
    const h = new IpHistory();
    for (let i = 0; i < 50; i++) h.add('alice', a('198.51.100.23'));
    for (let i = 0; i < 5; i++) h.add('alice', a('192.0.2.1'));
    assert.equal(h.score('alice', a('198.51.100.23')).principal.novelty, 0);
    assert.equal(h.score('alice', a('198.51.100.99')).principal.level, 'new-address');
    assert.equal(h.score('alice', a('198.51.100.99')).principal.novelty, 0);
    // The rarer subnet: e = (2 addresses + 1 + 5 events) / (55 + 2 + 1).
    assert.ok(Math.abs(h.score('alice', a('192.0.2.1')).principal.novelty - bits(8 / 58)) < 1e-12);
    // A new subnet in a known /16: D = 2 subnets, the known network's events counted.
    const sub = h.score('alice', a('198.51.7.7'));
    assert.equal(sub.principal.level, 'new-subnet');
  });

  it('a principal with no history scores 0; an address shared by the account discounts the score', () => {
    const h = new IpHistory();
    for (let i = 0; i < 200; i++) h.add('bob', a('198.51.100.77'));
    for (let i = 0; i < 200; i++) h.add('carol', a('10.0.0.5'));
    const fresh = h.score('mallory', a('203.0.113.66'));
    assert.equal(fresh.principal.level, 'no-history');
    assert.equal(fresh.score, 0);
    assert.ok(fresh.account.novelty > 0.5);
    // New for carol, but bob's everyday address: the account finds it usual.
    const shared = h.score('carol', a('198.51.100.77'));
    assert.ok(Math.abs(shared.principal.novelty - bits(2 / 202)) < 1e-12);
    assert.ok(shared.account.novelty < 0.1);
    assert.ok(shared.score < 0.1);
    assert.equal(shared.addressPrincipals, 1);
    // Non-addresses are ignored.
    h.add('carol', sourceAddress('s3.amazonaws.com'));
    assert.equal(h.events, 400);
  });
});

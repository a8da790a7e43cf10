import { strict as assert } from 'node:assert';
import type { ActivityResult } from '../../../src/core/analytics/activity-over-time';
import type { UnusualPair, UnusualPairsResult } from '../../../src/core/analytics/unusual-pairs';
import { activityView, ipInsightsView, locationOf, pairsView, perBucket } from '../../../src/extension/panels/analytics-view-data';
import { isAnalyticsJob, MAX_CELL, parseHostMessage, parsePageMessage } from '../../../webview/analytics/protocol';

/** Attacker-controlled log text: a principal ARN or event name of 50,000 characters. */
const LONG = 'arn:aws:iam::123456789012:user/' + 'x'.repeat(50_000);

function pair(principal: string, firstEvent: string): UnusualPair {
  return {
    principal, address: '203.0.113.9', score: 0.9, principalNovelty: 1, accountNovelty: 0.9, level: 'new-network', accountLevel: 'new-address',
    principalEvents: 10, principalAddresses: 1, addressPrincipals: 0, events: 3, firstTime: '2024-01-02T03:04:05Z', lastTime: '2024-01-02T03:05:05Z',
    firstEvent, file: '/logs/trail.json', line: 7,
  };
}

describe('CloudTrail analytics panel messages', () => {
  it('a very long principal or event name is cut, and the page still accepts the whole view', () => {
    const r: UnusualPairsResult = { pairs: [pair(LONG, 'iam.amazonaws.com:' + 'C'.repeat(20_000)), pair('alice', 'sts:GetCallerIdentity')], windowEvents: 2, historyEvents: 0, principals: 2, addresses: 1 };
    const view = pairsView('Unusual Pairs: ' + 'f'.repeat(5000), r, { records: 2, serviceSources: 0, otherSources: 0 });
    const rows = view.tables[0].rows;
    assert.equal(rows[0][0].length, MAX_CELL);
    assert.ok(rows[0][0].startsWith('arn:aws:iam::123456789012:user/x') && rows[0][0].endsWith('…'));
    assert.equal(rows[0][8].length, MAX_CELL);
    assert.equal(rows[1][0], 'alice', 'short values are untouched');
    assert.ok(parseHostMessage({ type: 'show', view }), 'the page accepts the view');
  });

  it('activity rows with a long principal or API name pass the page\'s check', () => {
    const series = { principal: LONG, action: 'A'.repeat(30_000), counts: [1, 2, 30], median: 1, upper: 3, events: 33, peak: 0.9 };
    const quiet = { ...series, principal: 'bob', action: 'x'.repeat(12_000), peak: 0 };
    const r: ActivityResult = {
      bucketSeconds: 3600, start: '2024-01-01T00:00:00Z', scoreFrom: '2024-01-01T01:00:00Z', buckets: 3,
      spikes: [{ principal: LONG, action: series.action, start: '2024-01-01T02:00:00Z', events: 30, median: 1, upper: 3, score: 0.9 }],
      series: [series, quiet], pairs: 2, events: 33,
    };
    const view = activityView('Activity Over Time: trail.json', r);
    assert.equal(view.tables[0].rows[0][0].length, MAX_CELL);
    assert.equal(view.tables[0].rows[0][1].length, MAX_CELL);
    assert.equal(view.tables[1].rows[0][1].length, MAX_CELL);
    assert.ok(view.tables[0].series?.[0], 'the spike keeps its chart');
    assert.ok(parseHostMessage({ type: 'show', view }), 'the page accepts the view');
    assert.deepEqual(view.tables[0].columns, ['Principal', 'API', 'Score', 'Bucket (UTC)', 'Calls/h', 'Usual/h', 'Band/h'], 'per-bucket counts say per what; times say UTC');
    assert.deepEqual(view.tables[0].kinds, ['tail', 'tail', 'num', 'text', 'num', 'num', 'num'], 'only identifiers lose their beginning; figures align right');
    assert.equal(perBucket(900), '15 min');
    assert.equal(perBucket(86400), 'day');
    const bad = { type: 'show', view: { ...view, tables: [{ ...view.tables[0], kinds: ['num'] }] } };
    assert.equal(parseHostMessage(bad), undefined, 'a kind per column or none');
  });

  it('a click names a row, never a path: the host opens only a location it sent', () => {
    const r: UnusualPairsResult = { pairs: [pair('alice', 'sts:GetCallerIdentity'), pair('bob', 'iam:CreateUser')], windowEvents: 2, historyEvents: 0, principals: 2, addresses: 1 };
    r.pairs[1].file = '/logs/other.json';
    r.pairs[1].line = 42;
    const view = pairsView('Unusual Pairs', r, { records: 2, serviceSources: 0, otherSources: 0 });
    const click = parsePageMessage({ type: 'openLocation', table: 0, row: 1 });
    assert.deepEqual(click, { type: 'openLocation', table: 0, row: 1 });
    assert.deepEqual(locationOf(view, click!), { file: '/logs/other.json', line: 42 });
    assert.equal(locationOf(view, { type: 'openLocation', table: 0, row: 2 }), undefined, 'no such row');
    assert.equal(locationOf(view, { type: 'openLocation', table: 3, row: 0 }), undefined, 'no such table');
    assert.equal(parsePageMessage({ type: 'openLocation', file: '/etc/passwd', line: 1 }), undefined, 'a path from the page is refused');
    assert.equal(parsePageMessage({ type: 'openLocation', table: -1, row: 0 }), undefined);
    assert.equal(parsePageMessage({ type: 'openLocation', table: 0, row: 1.5 }), undefined);
  });

  it('after a reload: the view carries its job, the host may send `empty`, the page may ask to `rerun`', () => {
    const r: UnusualPairsResult = { pairs: [pair('alice', 'sts:GetCallerIdentity')], windowEvents: 1, historyEvents: 0, principals: 1, addresses: 1 };
    const view = { ...pairsView('Unusual Pairs', r, { records: 1, serviceSources: 0, otherSources: 0 }), job: { kind: 'pairs' as const, logs: ['/logs/AWSLogs'] } };
    assert.deepEqual((parseHostMessage({ type: 'show', view }) as { view: typeof view }).view.job, view.job);
    assert.equal(parseHostMessage({ type: 'show', view: { ...view, job: { kind: 'exfiltrate', logs: ['/x'] } } }), undefined, 'an unknown analysis');
    assert.equal(parseHostMessage({ type: 'show', view: { ...view, job: { kind: 'pairs', logs: [] } } }), undefined, 'no logs');
    assert.deepEqual(parseHostMessage({ type: 'empty', message: 'Results are not kept', canRerun: true }), { type: 'empty', message: 'Results are not kept', canRerun: true });
    assert.equal(parseHostMessage({ type: 'empty', message: 'x'.repeat(10_000), canRerun: true }), undefined);
    assert.deepEqual(parsePageMessage({ type: 'rerun', logs: ['/etc'] }), { type: 'rerun' }, 'the page names no logs: the host reruns the job it restored');
    assert.ok(isAnalyticsJob({ kind: 'activity', logs: ['/a', '/b'] }));
    assert.ok(!isAnalyticsJob({ kind: 'activity', logs: ['/a', 3] }));
    assert.ok(!isAnalyticsJob({ kind: 'activity', logs: Array(101).fill('/a') }));
  });
});

describe('IP Insights view', () => {
  it('ranks pairs by dot product (IPv6 last), cuts long principals, and the page accepts it', () => {
    const base = { events: 3, firstTime: '2024-05-14T14:02:42.000Z', file: '/logs/a.json', line: 9 };
    const view = ipInsightsView('IP Insights: AWSLogs', [
      { ...base, principal: 'alice', address: '198.51.100.1', dotProduct: 3 },
      { ...base, principal: 'bob', address: '2001:db8::1', dotProduct: null },
      { ...base, principal: LONG, address: '203.0.113.66', dotProduct: -2.5, line: 42 },
    ], { trainingJob: 'ipinsights-cloudtrail-1', tuples: 1247, principals: 8, skippedIpv6: 2, endpoint: 'ep-1', kept: false, from: '2024-05-14T00:00:00.000Z' });
    const rows = view.tables[0].rows;
    assert.deepEqual(rows.map((r) => r[2]), ['-2.5000', '3.0000', 'IPv6: n/a']);
    assert.equal(rows[0][0].length, MAX_CELL);
    assert.deepEqual(view.tables[0].locations?.[0], { file: '/logs/a.json', line: 42 }, 'a click opens the pair that is shown');
    assert.match(view.summary[0], /1,247 principal\/IPv4 tuples of 8 principals \(2 IPv6 left out\), events before 2024-05-14 00:00:00 UTC/);
    assert.match(view.summary[1], /Scored 3 pairs active from 2024-05-14 00:00:00 UTC on ep-1, then deleted it/);
    assert.ok(parseHostMessage({ type: 'show', view: { ...view, job: { kind: 'ipinsights', logs: ['/logs'] } } }));
  });
});

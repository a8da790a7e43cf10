import * as assert from 'node:assert/strict';
import { MAX_WINDOW, parseHostMessage, parsePageMessage } from '../../../webview/query/protocol';
import { flattenMapping } from '../../../src/core/query/flatten-mapping';

describe('query/results panel protocol and flatten mapping', () => {
  it('accepts well-formed page messages and drops anything else', () => {
    assert.deepEqual(parsePageMessage({ type: 'getRows', generation: 3, start: 200, count: 200 }), { type: 'getRows', generation: 3, start: 200, count: 200 });
    assert.equal(parsePageMessage({ type: 'getRows', generation: 3, start: 0, count: MAX_WINDOW + 1 }), undefined, 'no window larger than the limit');
    assert.equal(parsePageMessage({ type: 'getRows', generation: 3, start: -1, count: 10 }), undefined);
    assert.deepEqual(parsePageMessage({ type: 'sort', column: 1, direction: 'desc' }), { type: 'sort', column: 1, direction: 'desc' });
    assert.equal(parsePageMessage({ type: 'sort', column: 1, direction: 'sideways' }), undefined);
    assert.deepEqual(parsePageMessage({ type: 'copy', what: 'row', row: 5, column: 0, extra: '<script>' }), { type: 'copy', what: 'row', row: 5, column: 0 });
    assert.equal(parsePageMessage({ type: 'filter', text: 'x'.repeat(1001) }), undefined);
    assert.deepEqual(parsePageMessage({ type: 'cancel' }), { type: 'cancel' });
    assert.equal(parsePageMessage({ type: 'runShell', cmd: 'rm -rf /' }), undefined);
    assert.equal(parsePageMessage('cancel'), undefined);
  });

  it('the page accepts state and rows from the host only when well-formed', () => {
    const state = {
      type: 'state',
      generation: 1,
      title: 'Query',
      running: false,
      columns: [{ name: 'eventname', type: 'VARCHAR' }],
      total: 1,
      loaded: 1,
      truncated: false,
      filter: '',
      canFlatten: false,
      canExport: true,
      history: [{ id: 'a', at: 1, engine: 'duckdb', sql: 'select 1', status: 'succeeded' }],
    };
    assert.ok(parseHostMessage(state));
    assert.equal(parseHostMessage({ ...state, columns: [{ name: 1 }] }), undefined);
    assert.equal(parseHostMessage({ ...state, history: [{ id: 'a', engine: 'spark' }] }), undefined);
    assert.ok(parseHostMessage({ type: 'rows', generation: 1, start: 0, rows: [['<img src=x>', null]] }));
    assert.equal(parseHostMessage({ type: 'rows', generation: 1, start: 0, rows: ['not a row'] }), undefined);
  });

  it('finds the principal, time and event columns for "Flatten these events"', () => {
    assert.deepEqual(flattenMapping(['eventtime', 'arn', 'eventname']), { session: 'arn', time: 'eventtime', event: 'eventname' });
    assert.deepEqual(flattenMapping(['account', 'eventtime', 'eventsource', 'eventname', 'arn']), { session: 'arn', time: 'eventtime', event: 'eventname' });
    assert.deepEqual(flattenMapping(['eventtime', 'eventname', 'actor', 'target_user']), { session: 'actor', time: 'eventtime', event: 'eventname' });
    assert.deepEqual(flattenMapping(['time', 'principal', 'event']), { session: 'principal', time: 'time', event: 'event' });
    assert.equal(flattenMapping(['eventname', 'frequency']), undefined);
    assert.equal(flattenMapping(['principal', 'window_start', 'denied_calls']), undefined);
  });
});

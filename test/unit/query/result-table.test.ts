import * as assert from 'node:assert/strict';
import { ResultTable, valueText } from '../../../src/core/query/result-table';

const cols = [
  { name: 'name', type: 'VARCHAR' },
  { name: 'n', type: 'BIGINT' },
];

describe('query/result-table', () => {
  it('windows rows in arrival order as pages are appended', () => {
    const t = new ResultTable(cols);
    t.append([
      ['a', 1],
      ['b', 2],
    ]);
    t.append([['c', 3]]);
    assert.equal(t.size, 3);
    assert.deepEqual(t.window(1, 5), { start: 1, rows: [['b', 2], ['c', 3]] });
    assert.deepEqual(t.window(10, 5), { start: 3, rows: [] });
  });

  it('sorts numbers numerically, stably, NULL last in both directions, and keeps sorting as rows arrive', () => {
    const t = new ResultTable(cols);
    t.append([
      ['x', 10],
      ['y', null],
      ['z', 9],
      ['w', 10],
    ]);
    t.setSort(1, 'asc');
    assert.deepEqual([...t.viewRows()].map((r) => r[0]), ['z', 'x', 'w', 'y']);
    t.setSort(1, 'desc');
    assert.deepEqual([...t.viewRows()].map((r) => r[0]), ['x', 'w', 'z', 'y']);
    t.append([['v', 100]]);
    assert.deepEqual([...t.viewRows()].map((r) => r[0]), ['v', 'x', 'w', 'z', 'y']);
    t.setSort(undefined);
    assert.deepEqual([...t.viewRows()].map((r) => r[0]), ['x', 'y', 'z', 'w', 'v']);
  });

  it('filters case-insensitively over every cell, including nested values, combined with the sort', () => {
    const t = new ResultTable([...cols, { name: 'ui', type: 'STRUCT' }]);
    t.append([
      ['CreateUser', 4, { arn: 'arn:aws:iam::1:user/Bert' }],
      ['DeleteTrail', 3, null],
      ['createAccessKey', 2, { arn: 'arn:aws:iam::1:user/eve' }],
    ]);
    t.setFilter('  CREATE ');
    assert.equal(t.size, 2);
    t.setSort(1, 'asc');
    assert.deepEqual(t.window(0, 10).rows.map((r) => r[0]), ['createAccessKey', 'CreateUser']);
    t.setFilter('user/bert');
    assert.deepEqual(t.window(0, 10).rows.map((r) => r[0]), ['CreateUser']);
    t.setFilter('null');
    assert.equal(t.size, 0, 'a NULL cell does not match the word null');
    t.setFilter('');
    assert.equal(t.size, 3);
  });

  it('sorts 200,000 rows and filters them (a grid-sized result)', () => {
    const t = new ResultTable(cols);
    const rows = Array.from({ length: 200_000 }, (_, i) => [`event-${i % 997}`, (i * 7919) % 200_003]);
    t.append(rows);
    t.setSort(1, 'desc');
    const top = t.window(0, 3).rows.map((r) => r[1] as number);
    assert.ok(top[0] >= top[1] && top[1] >= top[2]);
    t.setFilter('event-996');
    assert.equal(t.size, rows.filter((r) => r[0] === 'event-996').length);
  });

  it('renders values as text: nested as JSON, NULL as nothing of its own', () => {
    assert.equal(valueText({ a: [1, 'x'] }), '{"a":[1,"x"]}');
    assert.equal(valueText(null), '');
    assert.equal(valueText(false), 'false');
  });
});

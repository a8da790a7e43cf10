import * as assert from 'node:assert/strict';
import { athenaLiteral, checkParamCount, parseParam } from '../../../src/core/query/params';
import { athenaCostUsd, collectRows, type QueryExecution, type QueryPage } from '../../../src/core/query/engine';

describe('query/params', () => {
  it('reads typed parameter text: strings by default, num:/bool:/null:/str: prefixes', () => {
    assert.equal(parseParam('266533154659'), '266533154659', 'account ids stay strings');
    assert.equal(parseParam('num:10'), 10);
    assert.equal(parseParam('num:0.01'), 0.01);
    assert.equal(parseParam('bool:false'), false);
    assert.equal(parseParam('null:'), null);
    assert.equal(parseParam('str:num:5'), 'num:5');
    assert.throws(() => parseParam('num:ten'), (e: any) => e.code === 'BAD_ARGUMENT' && /num:/.test(e.message));
    assert.throws(() => parseParam('bool:yes'), /bool:/);
  });

  it("formats Athena ExecutionParameters as literals a value cannot escape from", () => {
    assert.equal(athenaLiteral('CreateUser'), "'CreateUser'");
    assert.equal(athenaLiteral("x' or '1'='1"), "'x'' or ''1''=''1'");
    assert.equal(athenaLiteral(5), '5');
    assert.equal(athenaLiteral(true), 'true');
    assert.equal(athenaLiteral(null), 'NULL');
    assert.throws(() => athenaLiteral(Number.NaN), /finite/);
  });

  it('checks the number of values against the placeholders', () => {
    checkParamCount(2, ['a', 1]);
    assert.throws(() => checkParamCount(2, ['a']), /2 \? placeholders but 1 parameter value was given/);
  });
});

describe('query/engine helpers', () => {
  function fakeExecution(pages: QueryPage['rows'][]): QueryExecution {
    const columns = [{ name: 'n', type: 'BIGINT' }];
    let read = 0;
    return {
      columns,
      async *pages() {
        for (const rows of pages) {
          read++;
          yield { columns, rows };
        }
      },
      stats: () => ({ engine: 'duckdb', rows: read, elapsedMs: 1 }),
      exportCsv: async () => ({ file: '', bytes: 0 }),
      close: async () => {},
    };
  }

  it('collects rows up to a limit and says when more exist', async () => {
    const all = await collectRows(fakeExecution([[[1], [2]], [[3]]]));
    assert.deepEqual(all.rows, [[1], [2], [3]]);
    assert.equal(all.truncated, false);
    const exact = await collectRows(fakeExecution([[[1], [2]], []]), 2);
    assert.equal(exact.truncated, false, 'a full page followed by nothing is not truncated');
    const cut = await collectRows(fakeExecution([[[1], [2]], [[3]]]), 2);
    assert.deepEqual(cut.rows, [[1], [2]]);
    assert.equal(cut.truncated, true);
  });

  it("estimates Athena's cost: $5/TB, rounded up to the MB, 10 MB minimum, DDL free", () => {
    assert.equal(athenaCostUsd(0), (10 * 2 ** 20 * 5) / 2 ** 40);
    assert.equal(athenaCostUsd(2 ** 40), 5);
    assert.equal(athenaCostUsd(2 ** 40 + 1), ((2 ** 20 + 1) * 2 ** 20 * 5) / 2 ** 40);
    assert.equal(athenaCostUsd(5e9, 'DDL'), 0);
  });
});

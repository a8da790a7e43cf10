import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { requireDataset, SHARED_DATASETS } from '../../helpers/tools';
import { countPlaceholders, leadingComment, splitStatements, statementAt } from '../../../src/core/query/statements';

describe('query/statements', () => {
  it('splits on top-level semicolons with 1-based positions', () => {
    const sql = 'select 1;\n\n  select\n  2 ;select 3';
    const s = splitStatements(sql);
    assert.deepEqual(
      s.map((x) => [x.text, x.line, x.column, x.endLine]),
      [
        ['select 1', 1, 1, 1],
        ['select\n  2', 3, 3, 4],
        ['select 3', 4, 6, 4],
      ],
    );
    assert.equal(sql.slice(s[1].start, s[1].end), 'select\n  2');
  });

  it('ignores semicolons and ? inside strings, quoted identifiers and comments', () => {
    const sql = [
      "select 'a;b?' as \"x;?\", `y;` -- c;?",
      '/* d; ? */ from t where u = ?;',
      "select 'it''s; ok'",
    ].join('\n');
    const s = splitStatements(sql);
    assert.equal(s.length, 2);
    assert.equal(countPlaceholders(s[0].text), 1);
    assert.equal(s[1].text, "select 'it''s; ok'");
  });

  it('drops comment-only and empty statements, keeps leading comments with their statement', () => {
    const sql = '-- header\n;\n;;\n-- Count rows\nselect count(*) from t;\n-- trailing note\n';
    const s = splitStatements(sql);
    assert.equal(s.length, 1);
    assert.equal(s[0].line, 4);
    assert.equal(leadingComment(s[0].text), 'Count rows');
  });

  it('finds the statement under the cursor, after its semicolon, or the next one', () => {
    const sql = 'select 1;\n\nselect 2;\n';
    assert.equal(statementAt(sql, 3)?.text, 'select 1');
    assert.equal(statementAt(sql, 9)?.text, 'select 1', 'just after the ;');
    assert.equal(statementAt(sql, 10)?.text, 'select 1', 'blank line below');
    assert.equal(statementAt(sql, 12)?.text, 'select 2');
    assert.equal(statementAt('\n\nselect 5', 0)?.text, 'select 5');
    assert.equal(statementAt('-- only a comment', 0), undefined);
  });

  it('handles an unterminated string without looping', () => {
    const s = splitStatements("select 'abc; def");
    assert.equal(s.length, 1);
  });

  it('splits the seed file into its CREATE, ALTER and six sample queries', function () {
    requireDataset(this, `${SHARED_DATASETS}/sec351`);
    const sql = readFileSync(`${SHARED_DATASETS}/sec351/eda/SEC351-Athena-CT-query-4x4.sql`, 'utf8');
    const s = splitStatements(sql);
    assert.equal(s.length, 8);
    assert.match(s[0].text, /CREATE EXTERNAL TABLE aero_logs_6/);
    assert.match(s[1].text, /ALTER TABLE aero_logs_6 ADD/);
    assert.equal(s.slice(2).filter((x) => /select/i.test(x.text)).length, 6);
    assert.equal(s[0].line, 1);
  });
});

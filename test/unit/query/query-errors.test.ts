import * as assert from 'node:assert/strict';
import { positionInMessage, queryError } from '../../../src/core/query/query-errors';

describe('query/query-errors', () => {
  it("reads Athena's line:column", () => {
    assert.deepEqual(positionInMessage("line 3:14: mismatched input 'FORM'. Expecting: <EOF>"), { line: 3, column: 14 });
    assert.deepEqual(positionInMessage("SYNTAX_ERROR: line 1:8: Column 'x' cannot be resolved"), { line: 1, column: 8 });
  });

  it("reads DuckDB's LINE n and the caret column", () => {
    const msg = 'Parser Error: syntax error at or near "FROM"\n\nLINE 3: FROM x\n        ^';
    assert.deepEqual(positionInMessage(msg), { line: 3, column: 1 });
    const msg2 = 'Binder Error: Referenced column "nope" not found\n\nLINE 1: select nope from t\n               ^';
    assert.deepEqual(positionInMessage(msg2), { line: 1, column: 8 });
    assert.equal(positionInMessage('Conversion Error: no location'), undefined);
  });

  it('maps the statement line to the line in the user file and keeps the engine message', () => {
    const e = queryError('athena', "line 2:5: Column 'eventnme' cannot be resolved", { sql: 'select\n  eventnme', source: { file: 'hunt.sql', line: 10, column: 1 } });
    assert.equal(e.code, 'QUERY');
    assert.equal(e.file, 'hunt.sql');
    assert.equal(e.line, 11);
    assert.equal(e.toString(), "hunt.sql:11: Athena: line 2:5: Column 'eventnme' cannot be resolved");
  });

  it('drops DuckDB echoed source lines when the location moves to file:line, keeps them for inline SQL', () => {
    const raw = 'Failed to extract statements: Parser Error: syntax error at or near "FORM"\n\nLINE 2: FORM x\n        ^';
    const inFile = queryError('duckdb', raw, { sql: 'select 1\nFORM x', source: { file: 'q.sql', line: 5 } });
    assert.equal(inFile.toString(), 'q.sql:6: DuckDB: Parser Error: syntax error at or near "FORM"');
    const inline = queryError('duckdb', raw, { sql: 'select 1\nFORM x' });
    assert.match(inline.message, /LINE 2: FORM x/);
    assert.equal(inline.line, 2);
  });

  it('shifts the column on the first line by where the statement starts in the file', () => {
    const e = queryError('athena', 'line 1:8: boom', { sql: 'select x', source: { file: 'a.sql', line: 4, column: 11 } });
    assert.equal(e.details?.column, 18);
    assert.equal(e.line, 4);
  });
});

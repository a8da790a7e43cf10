import { strict as assert } from 'node:assert';
import { findCloudTrailFiles } from '../../../src/core/query/cloudtrail-files';
import { MAX_JSON_DEPTH, tooDeepLine } from '../../../src/core/query/json-depth';
import { ctRecord, failure, TempDir } from '../logs/log-files';

/** A Records file whose second record (on line 3) carries a field nested `depth` levels deep: DuckDB segfaulted on 100,000. */
const nested = (depth: number) => `{"Records":[\n${JSON.stringify(ctRecord())},\n${JSON.stringify(ctRecord()).slice(0, -1)},"zzz":${'['.repeat(depth)}${']'.repeat(depth)}}\n]}`;

describe('JSON nesting guard in front of DuckDB', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  it('a CloudTrail file nested 100,000 levels deep, named directly: LOG_FORMAT naming file:line, before DuckDB reads it', async () => {
    const file = dir.write('deep.json', nested(100_000));
    const e = await failure(() => findCloudTrailFiles([file]));
    assert.equal(e.code, 'LOG_FORMAT');
    assert.equal(e.file, file);
    assert.equal(e.line, 3);
    assert.match(e.message, /nested more than 10,000 levels deep/);
  });
  it('in a folder (gzipped too), such a file is skipped with the reason and the others are kept', async () => {
    dir.writeGzip('logs/a-deep.json.gz', nested(MAX_JSON_DEPTH + 1));
    dir.write('logs/b-ok.json', nested(3));
    const found = await findCloudTrailFiles([`${dir.root}/logs`]);
    assert.deepEqual(found.files.map((f) => f.path.replace(/.*\//, '')), ['b-ok.json']);
    assert.match(found.skipped[0].reason, /nests JSON more than 10,000 levels deep \(line 3\)/);
  });
  it('brackets inside strings (escaped quotes too) do not count', async () => {
    const file = dir.write('s.json', JSON.stringify({ Records: [ctRecord({ eventName: `\\"${'['.repeat(MAX_JSON_DEPTH + 5)}` })] }));
    assert.equal(await tooDeepLine(file), undefined);
    assert.equal((await findCloudTrailFiles([file])).files.length, 1);
  });
  it('strings and escapes that straddle the 1 MiB read chunks are followed exactly', async () => {
    const CHUNK = 1 << 20;
    // Chunk 1 ends inside a string with an odd run of backslashes: the quote that starts chunk 2 is escaped, so the
    // brackets after it are still string text; then the string closes and real nesting follows.
    const head = '{"Records":[{"x":"';
    const fill = 'a'.repeat(CHUNK - head.length - 3);
    const tricky = `${head}${fill}\\\\\\"[[[[[[[[[[[[ still text"}, ${'['.repeat(20)}${']'.repeat(20)}]}`;
    assert.equal(tricky[CHUNK - 1], '\\');
    assert.equal(tricky[CHUNK], '"');
    const file = dir.write('straddle.json', tricky);
    assert.equal(await tooDeepLine(file, 12), 1, 'the 20 levels after the string count');
    assert.equal(await tooDeepLine(file, 25), undefined, 'the brackets inside the string do not');
    // An even run at the end of chunk 1: the quote at the start of chunk 2 closes the string.
    const closing = `${head}${'a'.repeat(CHUNK - head.length - 2)}\\\\"${'['.repeat(20)}${']'.repeat(20)}]}`;
    assert.equal(closing[CHUNK], '"');
    assert.equal(await tooDeepLine(dir.write('closing.json', closing), 12), 1);
  });
  it('re-scans a file only when its size or modification time changed', async () => {
    const file = dir.write('grows.json', nested(3));
    assert.equal(await tooDeepLine(file, 10), undefined);
    dir.write('grows.json', nested(20));
    assert.equal(await tooDeepLine(file, 10), 3, 'the changed file is read again');
    assert.equal(await tooDeepLine(file, 10), 3, 'and remembered');
  });
});

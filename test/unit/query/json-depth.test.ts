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
});

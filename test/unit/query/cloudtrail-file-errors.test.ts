import { strict as assert } from 'node:assert';
import { findCloudTrailFiles } from '../../../src/core/query/cloudtrail-files';
import { failure, TempDir } from '../logs/log-files';

describe('query: a named file that is not CloudTrail gets one clear message', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  const cases: [string, (d: TempDir) => string, RegExp][] = [
    ['plain text', (d) => d.write('t.json', 'hello\n'), /^the file is not CloudTrail JSON/],
    ['an empty .gz', (d) => d.write('e.json.gz', ''), /^the file is empty or truncated gzip data\.$/],
    ['a gzip magic number and nothing else', (d) => d.write('m.json.gz', Buffer.from([0x1f, 0x8b])), /^the file is empty or truncated gzip data\.$/],
  ];
  for (const [name, make, reason] of cases) {
    it(`${name}: names the file once (as the error's file), not also inside the message`, async () => {
      const file = make(dir);
      const e = await failure(() => findCloudTrailFiles([file]));
      assert.equal(e.code, 'LOG_FORMAT');
      assert.equal(e.file, file);
      assert.ok(!e.message.includes(file), e.message);
      assert.match(e.message, reason);
    });
  }
});

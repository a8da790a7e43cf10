import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { sniffLogFile } from '../../../src/core/logs';
import { failure, readAll, TempDir } from './log-files';

describe('inputs that are not log files', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  it('a FIFO named explicitly is refused at once, not read forever (reading and sniffing)', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(dir.root, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    const e = await failure(() => readAll([fifo], { format: 'seed' }));
    assert.equal(e.code, 'BAD_ARGUMENT');
    assert.match(e.message, /pipe\.txt: not a regular file or folder/);
    const s = await failure(() => sniffLogFile(fifo));
    assert.equal(s.code, 'BAD_ARGUMENT');
  });
});

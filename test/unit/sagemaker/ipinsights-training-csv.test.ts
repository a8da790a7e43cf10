import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeTrainingCsv } from '../../../src/core/backends/sagemaker/ipinsights';

describe('IP Insights training CSV: no temporary folder left behind', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-ipi-csv-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes the IPv4 tuples and counts the IPv6 ones it leaves out', async () => {
    const r = await writeTrainingCsv([{ entity: 'alice', ip: '203.0.113.9' }, { entity: 'bob', ip: '2001:db8::1' }], dir);
    assert.deepEqual([r.rows, r.entities, r.skippedIpv6], [1, 1, 1]);
    assert.equal(await fs.readFile(r.file, 'utf8'), 'alice,203.0.113.9\n');
  });

  it('no IPv4 tuple: an error, and no folder', async () => {
    await assert.rejects(writeTrainingCsv([{ entity: 'bob', ip: '2001:db8::1' }], dir), /No <principal, IPv4> tuples/);
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('a failed write (disk full): the error, and no folder', async () => {
    const original = fs.writeFile;
    fs.writeFile = (async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof fs.writeFile;
    try {
      await assert.rejects(writeTrainingCsv([{ entity: 'alice', ip: '203.0.113.9' }], dir), /ENOSPC/);
    } finally {
      fs.writeFile = original;
    }
    assert.deepEqual(await fs.readdir(dir), []);
  });
});

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { sniffLogFile, type ReaderOptions } from '../../../src/core/logs';
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

describe('UTF-16 log files', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  const seedText = 'SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor\n1\t2019-07-01 08:00:00\tc\tg\tp\t111\t0\n';
  const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const cases: [string, (d: TempDir) => string, ReaderOptions][] = [
    ['seed TSV', (d) => d.write('u.txt', utf16le(seedText)), { format: 'seed' }],
    ['mapped CSV', (d) => d.write('u.csv', utf16le('id,ev\na,E1\n')), { format: 'csv', columns: { session: 'id', event: 'ev' } }],
    ['CloudTrail', (d) => d.write('u.json', utf16le('{"Records":[]}')), { format: 'cloudtrail' }],
  ];
  for (const [name, make, options] of cases) {
    for (const strict of [false, true]) {
      it(`${name} (${strict ? 'strict' : 'lenient'}): a clear error naming file:1, not rows of NUL-padded garbage`, async () => {
        const file = make(dir);
        const e = await failure(() => readAll([file], { ...options, strict }));
        assert.equal(e.code, 'LOG_FORMAT');
        assert.equal(e.file, file);
        assert.equal(e.line, 1);
        assert.match(e.message, /UTF-16 text; save it as UTF-8/);
      });
    }
  }
  it('format detection says UTF-16 instead of asking for CSV columns', async () => {
    const e = await failure(() => sniffLogFile(dir.write('u.txt', utf16le(seedText))));
    assert.match(e.message, /UTF-16/);
  });
});

describe('binary files', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  it('format detection calls binary data binary instead of showing its bytes as CSV column names', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
    const file = dir.write('blob.txt', bytes);
    const e = await failure(() => sniffLogFile(file));
    assert.equal(e.code, 'LOG_FORMAT');
    assert.equal(e.file, file);
    assert.match(e.message, /^binary data, not a text log/);
  });
  it('a text log with a few stray NUL bytes is still detected as a log', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i}\t2019-07-01 08:00:00\tc\tg\tp\t111\t0`);
    rows[10] = 'ab\0cd\0\x01\x02';
    const file = dir.write('s.txt', ['SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor', ...rows].join('\n'));
    assert.equal((await sniffLogFile(file)).format, 'seed');
  });
});

describe('CloudTrail files whose "Records" is not an array', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  for (const [json, found] of [['{"Records": {}}', 'object'], ['{"Records": null}', 'null'], ['{"Records": "x"}', 'string']]) {
    it(`${json}: says "Records" must be an array (strict and lenient), not "record has no eventSource"`, async () => {
      const file = dir.write('r.json', json);
      const e = await failure(() => readAll([file], { format: 'cloudtrail', strict: true }));
      assert.equal(e.code, 'LOG_FORMAT');
      assert.equal(e.file, file);
      assert.equal(e.line, 1);
      assert.equal(e.message.replace(/^.*:1: /, ''), `"Records" must be an array of records, found ${found}`);
      const { issues } = await readAll([file], { format: 'cloudtrail' });
      assert.match(issues.first[0].reason, /"Records" must be an array/);
    });
  }
});

describe('wide CSV files', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  it('a mapped column past the 256th is read (plain and quoted rows), not reported "empty" on every row', async () => {
    const n = 300;
    const row = (id: string, ev: string) => Array.from({ length: n }, (_, i) => (i === 0 ? id : i === n - 1 ? ev : `x${i}`)).join(',');
    const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    const file = dir.write('wide.csv', [header, row('s1', 'Login'), row('"s1"', 'Quoted'), row('s2', 'Logout')].join('\n') + '\n');
    for (const strict of [false, true]) {
      const { events, issues } = await readAll([file], { format: 'csv', columns: { session: 'c0', event: `c${n - 1}` }, strict });
      assert.equal(issues.count, 0, issues.first[0]?.reason);
      assert.deepEqual(events.map((e) => `${e.session}:${e.type}`), ['s1:Login', 's1:Quoted', 's2:Logout']);
    }
  });
});

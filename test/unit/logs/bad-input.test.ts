import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import { formatLocated } from '../../../src/core/errors';
import { flattenToDataset } from '../../../src/core/features';
import type { ReaderOptions } from '../../../src/core/logs';
import { ctRecord, failure, readAll, SEED_HEADER, seedRow, TempDir } from './log-files';

const T = '2019-07-01 08:00:00';
const good = (n: number) => Array.from({ length: n }, (_, i) => seedRow(100 + (i % 3), T, 111 + i, 0));

interface Case {
  name: string;
  file: (d: TempDir) => string;
  options: ReaderOptions;
  /** Line and reason the strict reader reports, and how many good events the lenient reader keeps. */
  line: number;
  reason: RegExp;
  kept: number;
}

const seed: ReaderOptions = { format: 'seed' };
const csv: ReaderOptions = { format: 'csv', columns: { session: 'id', event: 'ev', label: 'bad' } };
const ct: ReaderOptions = { format: 'cloudtrail' };

const MALFORMED: Case[] = [
  { name: 'a short row', file: (d) => d.write('s.txt', [SEED_HEADER, ...good(2), '7\t2019-07-01 08:00:00\t111', ...good(1)].join('\n')), options: seed, line: 4, reason: /expected 7 tab-separated fields, found 3/, kept: 3 },
  { name: 'a non-numeric label', file: (d) => d.write('l.txt', [SEED_HEADER, ...good(1), seedRow(5, T, 111, 'maybe')].join('\n')), options: seed, line: 3, reason: /BadActor "maybe" is not a label/, kept: 1 },
  { name: 'a bad time', file: (d) => d.write('t.txt', [SEED_HEADER, seedRow(5, 'soon', 111, 0), ...good(2)].join('\n')), options: seed, line: 2, reason: /LogTime "soon" is not a date and time/, kept: 2 },
  {
    name: 'a bad JSON record in a CloudTrail file',
    file: (d) => d.write('c.json', `{"Records":[\n${JSON.stringify(ctRecord())},\n{"eventName": "x", oops},\n${JSON.stringify(ctRecord())}\n]}`),
    options: ct,
    line: 3,
    reason: /record is not valid JSON/,
    kept: 2,
  },
  { name: 'a bad JSON line', file: (d) => d.write('c.jsonl', [JSON.stringify(ctRecord()), '{"Records": [', JSON.stringify(ctRecord())].join('\n')), options: ct, line: 2, reason: /not valid JSON/, kept: 2 },
  { name: 'a CloudTrail record without eventTime', file: (d) => d.write('c2.json', JSON.stringify({ Records: [ctRecord({ eventTime: 17 }), ctRecord()] })), options: ct, line: 1, reason: /eventTime "17" is not a time/, kept: 1 },
  {
    name: 'a truncated CloudTrail file',
    file: (d) => d.write('c3.json', JSON.stringify({ Records: [ctRecord(), ctRecord()] }).slice(0, -40)),
    options: ct,
    line: 1,
    reason: /ends in the middle of a record \(truncated\)/,
    kept: 1,
  },
  {
    name: 'a truncated gzip',
    file: (d) => {
      const z = gzipSync(Buffer.from([SEED_HEADER, ...good(5000)].join('\n')));
      return d.write('z.txt.gz', z.subarray(0, Math.floor(z.length * 0.6)));
    },
    options: seed,
    line: 0,
    reason: /gzip data is truncated/,
    kept: -1,
  },
  { name: 'an unclosed quote in a CSV', file: (d) => d.write('q.csv', 'id,ev,bad\na,"E1,0\nb,E2,0\n'), options: csv, line: 2, reason: /quoted field is never closed/, kept: 1 },
  { name: 'a wrong field count in a CSV', file: (d) => d.write('w.csv', 'id,ev,bad\na,E1,0,9\nb,E2,0\n'), options: csv, line: 2, reason: /expected 3 ","-separated fields, found 4/, kept: 1 },
];

describe('bad input: strict mode names file:line, lenient mode skips and counts', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  for (const c of MALFORMED) {
    it(`${c.name}: strict fails with file:line`, async () => {
      const file = c.file(dir);
      const e = await failure(() => readAll([file], { ...c.options, strict: true }));
      assert.equal(e.code, 'LOG_FORMAT');
      assert.equal(e.file, file);
      if (c.line > 0) assert.equal(e.line, c.line);
      assert.match(e.message, c.reason);
      assert.ok(String(e).startsWith(formatLocated('', file, c.line > 0 ? c.line : undefined).replace(/: $/, '')), String(e));
    });
    it(`${c.name}: lenient skips it, counts it and keeps the rest`, async () => {
      const file = c.file(dir);
      const { events, issues } = await readAll([file], c.options);
      assert.equal(issues.count, 1);
      assert.equal(issues.first[0].file, file);
      if (c.line > 0) assert.equal(issues.first[0].line, c.line);
      assert.match(issues.first[0].reason, c.reason);
      if (c.kept >= 0) assert.equal(events.length, c.kept);
      else assert.ok(events.length > 100 && events.length < 5000, `rows before the truncation are kept (${events.length})`);
    });
  }

  describe('harmless variations read the same as the clean file, in both modes', () => {
    const clean = [SEED_HEADER, ...good(3)].join('\n') + '\n';
    const variations: [string, (d: TempDir) => string, ReaderOptions?][] = [
      ['a BOM', (d) => d.write('bom.txt', '\ufeff' + clean)],
      ['CRLF line ends', (d) => d.write('crlf.txt', clean.replace(/\n/g, '\r\n'))],
      ['no final newline and blank lines', (d) => d.write('nl.txt', clean.replace(/\n/, '\n\n\n').trimEnd())],
      ['quoted fields', (d) => d.write('q.txt', clean.replace(/\t111\t/, '\t"111"\t').replace('SessionNo', '"SessionNo"'))],
    ];
    for (const [name, make] of variations) {
      for (const strict of [false, true]) {
        it(`${name} (${strict ? 'strict' : 'lenient'})`, async () => {
          const expected = (await readAll([dir.write('clean.txt', clean)], seed)).events.map((e) => [e.session, e.type, e.time, e.label, e.line]);
          const { events, issues } = await readAll([make(dir)], { ...seed, strict });
          assert.equal(issues.count, 0);
          const got = events.map((e) => [e.session, e.type, e.time, e.label, e.line]);
          if (name.startsWith('no final')) assert.deepEqual(got.map((g) => g.slice(0, 4)), expected.map((x) => x.slice(0, 4)));
          else assert.deepEqual(got, expected);
        });
      }
    }
    it('RFC 4180 quoting in a CSV: delimiters, "" escapes and line breaks inside quotes', async () => {
      const f = dir.write('q.csv', 'id,ev,bad\r\n"a,1","say ""hi""",0\r\n"b","multi\r\nline",1\r\nc,plain,0\r\n');
      for (const strict of [false, true]) {
        const { events, issues } = await readAll([f], { ...csv, strict });
        assert.equal(issues.count, 0);
        assert.deepEqual(events.map((e) => [e.session, e.type, e.label, e.line]), [
          ['a,1', 'say "hi"', 0, 2],
          ['b', 'multi\r\nline', 1, 3],
          ['c', 'plain', 0, 5],
        ]);
      }
    });
  });

  describe('no sessions is a clear error', () => {
    const cases: [string, (d: TempDir) => string, ReaderOptions][] = [
      ['an empty file', (d) => d.write('e.txt', ''), seed],
      ['a header and no rows', (d) => d.write('h.txt', SEED_HEADER + '\n'), seed],
      ['only malformed rows', (d) => d.write('m.txt', SEED_HEADER + '\n1\t2\n'), seed],
      ['an empty CloudTrail file', (d) => d.write('c.json', '{"Records":[]}'), ct],
    ];
    for (const [name, make, options] of cases) {
      it(name, async () => {
        const file = make(dir);
        const lenient = await failure(() => flattenToDataset([file], path.join(dir.root, 'out'), { reader: options }));
        assert.equal(lenient.code, 'NO_SESSIONS');
        assert.match(lenient.message, /No sessions found in the input; \d+ malformed row\(s\) were skipped, the first: .+:\d+: /);
        const strict = await failure(() => flattenToDataset([file], path.join(dir.root, 'out'), { reader: { ...options, strict: true } }));
        assert.equal(strict.code, 'LOG_FORMAT');
        assert.equal(strict.file, file);
      });
    }
    it('a CloudTrail file read as the seed format', async () => {
      const file = dir.write('ct.txt', JSON.stringify({ Records: [ctRecord()] }));
      const e = await failure(() => readAll([file], seed));
      assert.equal(e.code, 'LOG_FORMAT');
      assert.match(e.message, /not in the seed's session format/);
    });
    it('a missing input', async () => {
      const e = await failure(() => readAll([path.join(dir.root, 'nope.txt')], seed));
      assert.equal(e.code, 'NOT_FOUND');
    });
  });
});

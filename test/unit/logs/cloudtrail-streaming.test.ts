import { strict as assert } from 'node:assert';
import { statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readCloudTrailFile } from '../../../src/core/logs/cloudtrail-reader';
import { batchEvent, BATCH_SIZE, RowIssues, type LogEvent } from '../../../src/core/logs';
import { ctRecord, failure, TempDir } from './log-files';

interface ReadOpts {
  strict?: boolean;
  windowBytes?: number;
  maxRecordBytes?: number;
  onRawBytes?: (chunk: Buffer) => void;
  /** Called with the events so far each time a batch arrives. */
  onBatch?: (events: number) => void;
}

/** One CloudTrail file through the streaming reader (principals as sessions, no gap split). */
async function readCt(file: string, o: ReadOpts = {}): Promise<{ events: LogEvent[]; issues: RowIssues }> {
  const issues = new RowIssues(Boolean(o.strict));
  const events: LogEvent[] = [];
  for await (const b of readCloudTrailFile(file, { issues, windowBytes: o.windowBytes, onRawBytes: o.onRawBytes }, o.maxRecordBytes)) {
    for (let i = 0; i < b.length; i++) events.push(batchEvent(b, i));
    o.onBatch?.(events.length);
  }
  return { events, issues };
}

const row = (e: LogEvent) => [e.session, e.type, e.time, e.line, e.sourceIPAddress, e.userAgent, e.errorCode, e.eventTime];

/** Records whose strings hold JSON's structural characters, escapes and multi-byte UTF-8. */
const TRICKY = [
  ctRecord(),
  ctRecord({ eventName: 'Get"Object', userAgent: 'a]b}c,d{e[f "q" \\ \\" tail\\', sourceIPAddress: 'é日本🙂' }),
  ctRecord({ userIdentity: { arn: 'arn:aws:iam::1:user/ü🙂' }, requestParameters: { nested: [[{ x: '}]', y: '\\' }]], '\\"': ',' } }),
  ctRecord({ eventTime: '2023-07-10T11:45:00Z', errorCode: '🙂'.repeat(5), userAgent: '\\\\' }),
];

/** What each TRICKY record must become, given the line it starts on. */
function expected(lines: number[]): unknown[][] {
  return TRICKY.map((r, i) => [
    (r.userIdentity as { arn: string }).arn,
    `${r.eventSource as string}:${r.eventName as string}`,
    Date.parse(r.eventTime as string),
    lines[i],
    r.sourceIPAddress,
    r.userAgent,
    r.errorCode,
    r.eventTime,
  ]);
}

/** Lines (1-based) where the records of a pretty-printed `{"Records":[...]}` start. */
const prettyRecordLines = (text: string): number[] =>
  text
    .split('\n')
    .map((l, i) => (l.replace(/\r$/, '') === '    {' ? i + 1 : 0))
    .filter((n) => n > 0);

const WINDOWS = [1, 2, 3, 5, 7, 11, 16, 31, 64, 100, 257, 4096];

describe('CloudTrail reader: streaming', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  describe('records, lines and characters split across reads', () => {
    const pretty = JSON.stringify({ Records: TRICKY }, null, 2);
    const concatenated = JSON.stringify({ Records: TRICKY.slice(0, 3) }, null, 2) + JSON.stringify({ Records: TRICKY.slice(3) }, null, 2);
    const layouts: [string, string, number[]][] = [
      ['a one-line delivery file', JSON.stringify({ Records: TRICKY }), [1, 1, 1, 1]],
      ['a pretty-printed delivery file', pretty, prettyRecordLines(pretty)],
      ['a pretty-printed delivery file with CRLF and a BOM', '\ufeff' + pretty.replace(/\n/g, '\r\n'), prettyRecordLines(pretty)],
      ['a delivery file with keys after Records', JSON.stringify({ Records: TRICKY, note: { a: ']}', b: [1, { c: '"' }] } }) + '\n', [1, 1, 1, 1]],
      ['JSON lines with CRLF, a BOM, blank lines and no final newline', '\ufeff' + TRICKY.map((r) => JSON.stringify(r)).join('\r\n\r\n'), [1, 3, 5, 7]],
      ['JSON lines of {"Records":[...]} objects', [{ Records: TRICKY.slice(0, 2) }, { Records: TRICKY.slice(2, 3) }, TRICKY[3]].map((o) => JSON.stringify(o)).join('\n') + '\n', [1, 1, 2, 3]],
      ['concatenated pretty-printed delivery files', concatenated, prettyRecordLines(concatenated)],
    ];
    for (const [name, text, lines] of layouts) {
      it(`${name}: the same events at every read size`, async () => {
        const file = dir.write('ct.json', text);
        const want = expected(lines);
        for (const windowBytes of [undefined, ...WINDOWS]) {
          for (const strict of [false, true]) {
            const { events, issues } = await readCt(file, { windowBytes, strict });
            assert.equal(issues.count, 0, `window ${windowBytes}: ${JSON.stringify(issues.first)}`);
            assert.deepEqual(events.map(row), want, `window ${windowBytes ?? 'default'}`);
          }
        }
      });
    }

    for (const layout of ['delivery', 'lines'] as const) {
      it(`a ${layout} file over 1 MB with a record and a 4-byte character across the first read`, async () => {
        // The first read is 1 MB: put the second byte of an emoji there.
        const wrap = (recs: Record<string, unknown>[]) => (layout === 'delivery' ? JSON.stringify({ Records: recs }) : recs.map((r) => JSON.stringify(r)).join('\n'));
        const filler = Array.from({ length: 1500 }, (_, i) => ctRecord({ eventName: `Call${i}`, userAgent: 'x'.repeat(400) }));
        const probe = (pad: number) => ctRecord({ eventName: 'Straddle', userAgent: 'y'.repeat(pad) + '🙂🙂' });
        const before = Buffer.from(wrap([...filler, probe(0)])).indexOf(Buffer.from('🙂'));
        const pad = (1 << 20) - 1 - before;
        assert.ok(pad > 0 && pad < 500000);
        const text = wrap([...filler, probe(pad), ...filler.slice(0, 3)]);
        assert.equal(Buffer.from(text).indexOf(Buffer.from('🙂')), (1 << 20) - 1);
        const { events, issues } = await readCt(dir.write('big.json', text));
        assert.equal(issues.count, 0);
        assert.equal(events.length, 1504);
        const straddle = events[1500];
        assert.equal(straddle.type, 's3.amazonaws.com:Straddle');
        assert.equal(straddle.userAgent, 'y'.repeat(pad) + '🙂🙂');
        assert.equal(straddle.line, layout === 'delivery' ? 1 : 1501);
        assert.equal(events[1503].type, 's3.amazonaws.com:Call2');
      });
    }
  });

  it('hands out the first batch long before the end of a large file (memory follows the record, not the file)', async () => {
    const recs = Array.from({ length: 3 * BATCH_SIZE + 5 }, (_, i) => ctRecord({ eventName: `Call${i}` }));
    for (const [name, text] of [
      ['delivery', JSON.stringify({ Records: recs }, null, 2)],
      ['lines', recs.map((r) => JSON.stringify(r)).join('\n')],
    ]) {
      const file = dir.write(`${name}.json`, text);
      const size = statSync(file).size;
      let consumed = 0;
      let atFirstBatch = -1;
      const { events } = await readCt(file, {
        onRawBytes: (c) => (consumed += c.length),
        onBatch: () => {
          if (atFirstBatch < 0) atFirstBatch = consumed;
        },
      });
      assert.equal(events.length, recs.length);
      assert.equal(consumed, size);
      assert.ok(atFirstBatch > 0 && atFirstBatch < size / 2, `${name}: ${atFirstBatch} of ${size} bytes read before the first batch`);
    }
  });

  it('a JSON line whose Records array holds more than a batch is read whole, in order', async () => {
    const recs = Array.from({ length: BATCH_SIZE + 10 }, (_, i) => ctRecord({ eventName: `Call${i}` }));
    const file = dir.write('one.jsonl', JSON.stringify({ Records: recs }) + '\n' + JSON.stringify(ctRecord({ eventName: 'Last' })) + '\n');
    const { events } = await readCt(file);
    assert.equal(events.length, recs.length + 1);
    assert.deepEqual(events.slice(BATCH_SIZE - 1, BATCH_SIZE + 1).map((e) => [e.type, e.line]), [
      [`s3.amazonaws.com:Call${BATCH_SIZE - 1}`, 1],
      [`s3.amazonaws.com:Call${BATCH_SIZE}`, 1],
    ]);
    assert.deepEqual([events[recs.length].type, events[recs.length].line], ['s3.amazonaws.com:Last', 2]);
  });

  describe('a record larger than the limit is reported at its line, not read into memory', () => {
    const big = ctRecord({ eventName: 'Huge', userAgent: 'z'.repeat(5000) });
    const delivery = JSON.stringify({ Records: [ctRecord(), big, ctRecord()] }, null, 2);
    const cases: [string, string, number, RegExp][] = [
      ['a delivery file', delivery, prettyRecordLines(delivery)[1], /^record is larger than 2000 bytes/],
      ['JSON lines', [ctRecord(), big, ctRecord()].map((r) => JSON.stringify(r)).join('\n'), 2, /^line is longer than 2000 bytes/],
    ];
    for (const [name, text, line, reason] of cases) {
      it(`${name}: lenient skips it and reads on, strict fails at file:line`, async () => {
        const file = dir.write('big.json', text);
        for (const windowBytes of [undefined, 64, 1000]) {
          const { events, issues } = await readCt(file, { maxRecordBytes: 2000, windowBytes });
          assert.equal(events.length, 2);
          assert.deepEqual(issues.first.map((i) => i.line), [line]);
          assert.match(issues.first[0].reason, reason);
          const e = await failure(() => readCt(file, { maxRecordBytes: 2000, windowBytes, strict: true }));
          assert.deepEqual([e.code, e.file, e.line], ['LOG_FORMAT', file, line]);
        }
      });
    }
  });

  describe('truncated files', () => {
    const recs = [ctRecord({ eventName: 'A' }), ctRecord({ eventName: 'B' }), ctRecord({ eventName: 'C' })];
    const pretty = JSON.stringify({ Records: recs }, null, 2);
    const starts = prettyRecordLines(pretty);
    it('in the middle of a record: the whole records are kept, the cut one is named at its line', async () => {
      const file = dir.write('cut.json', pretty.slice(0, pretty.lastIndexOf('"eventName"')));
      for (const windowBytes of [undefined, ...WINDOWS]) {
        const { events, issues } = await readCt(file, { windowBytes });
        assert.deepEqual(events.map((e) => e.type), ['s3.amazonaws.com:A', 's3.amazonaws.com:B']);
        assert.deepEqual(issues.first, [{ file, line: starts[2], reason: 'the file ends in the middle of a record (truncated)' }]);
      }
    });
    it('between records: "ends inside the Records array" at the last line', async () => {
      const text = pretty.slice(0, pretty.lastIndexOf('    {'));
      const file = dir.write('cut.json', text);
      for (const windowBytes of [undefined, ...WINDOWS]) {
        const { events, issues } = await readCt(file, { windowBytes });
        assert.equal(events.length, 2);
        assert.deepEqual(issues.first, [{ file, line: text.split('\n').length, reason: 'the file ends inside the Records array (truncated)' }]);
      }
    });
    for (const layout of ['delivery', 'lines'] as const) {
      it(`a truncated .gz (${layout}): the gzip error at line 1, then the records that arrived whole`, async () => {
        const many = Array.from({ length: 6000 }, (_, i) => ctRecord({ eventName: `Call${i}`, userAgent: `agent-${(i * 7919) % 104729}` }));
        const text = layout === 'delivery' ? JSON.stringify({ Records: many }, null, 2) : many.map((r) => JSON.stringify(r)).join('\n') + '\n';
        const whole = dir.write('whole.json', text);
        const z = gzipSync(Buffer.from(text));
        const file = dir.write('cut.json.gz', z.subarray(0, Math.floor(z.length * 0.5)));
        const full = (await readCt(whole)).events.map(row);
        for (const windowBytes of [undefined, 4096]) {
          const { events, issues } = await readCt(file, { windowBytes });
          assert.ok(events.length > 100 && events.length < many.length, `${events.length} events`);
          assert.deepEqual(events.map(row), full.slice(0, events.length));
          assert.deepEqual([issues.first[0].line, issues.first[0].reason], [1, 'gzip data is truncated (the file ends early)']);
          if (issues.count > 1) assert.match(issues.first[1].reason, /^the file ends (in the middle of a (record|line)|inside the Records array) \(truncated\)$/);
          const e = await failure(() => readCt(file, { windowBytes, strict: true }));
          assert.deepEqual([e.code, e.line], ['LOG_FORMAT', 1]);
          assert.match(e.message, /gzip data is truncated/);
        }
      });
    }
  });

  describe('malformed delivery files', () => {
    it('a record closed with "}" instead of "]" is reported, not scanned forever', async () => {
      const file = dir.write('bad.json', `{"Records":[${JSON.stringify(ctRecord())}}\n`);
      const { events, issues } = await readCt(file);
      assert.equal(events.length, 1);
      assert.equal(issues.count, 1);
      assert.match(issues.first[0].reason, /Records array is not closed/);
      const e = await failure(() => readCt(file, { strict: true }));
      assert.deepEqual([e.code, e.line], ['LOG_FORMAT', 1]);
    });
    it('a raw line break inside a string: that record is invalid, the next keeps its true line', async () => {
      const file = dir.write('nl.json', `{"Records":[\n${JSON.stringify(ctRecord())},\n${JSON.stringify(ctRecord({ userAgent: 'a\nb' })).replace('a\\nb', 'a\nb')},\n${JSON.stringify(ctRecord({ eventName: 'After' }))}\n]}`);
      for (const windowBytes of [undefined, 5, 64]) {
        const { events, issues } = await readCt(file, { windowBytes });
        assert.deepEqual(events.map((e) => [e.type, e.line]), [
          ['s3.amazonaws.com:ListBuckets', 2],
          ['s3.amazonaws.com:After', 5],
        ]);
        assert.deepEqual([issues.first[0].line, issues.count], [3, 1]);
        assert.match(issues.first[0].reason, /^record is not valid JSON/);
      }
    });
    it('junk after the Records object is reported at its line; the records are kept', async () => {
      const file = dir.write('junk.json', JSON.stringify({ Records: [ctRecord()] }) + '\n\nnot json\n');
      const { events, issues } = await readCt(file, { windowBytes: 3 });
      assert.equal(events.length, 1);
      assert.deepEqual([issues.first[0].line, issues.count], [3, 1]);
      assert.match(issues.first[0].reason, /^not valid JSON/);
    });
    it('a file of white space is empty; a file of another shape is not CloudTrail', async () => {
      for (const windowBytes of [undefined, 1, 2]) {
        const empty = await readCt(dir.write('e.json', '\ufeff \r\n\n '), { windowBytes });
        assert.deepEqual(empty.issues.first.map((i) => i.reason), ['the file is empty']);
        const e = await failure(() => readCt(dir.write('x.json', '\n\nhello'), { windowBytes }));
        assert.deepEqual([e.code, e.line], ['LOG_FORMAT', 3]);
        assert.match(e.message, /not a CloudTrail file/);
      }
    });
  });
});

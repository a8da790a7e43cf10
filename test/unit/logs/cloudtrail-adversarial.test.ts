/**
 * Hostile CloudTrail input the streaming reader once mishandled (each case failed before its fix): a crash on deep
 * nesting, quadratic work on many bad records, line numbers that drifted, and damage after a Records array that was
 * passed over without a word.
 */
import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { batchEvent, RowIssues, type LogEvent } from '../../../src/core/logs';
import { readCloudTrailFile } from '../../../src/core/logs/cloudtrail-reader';
import { ctRecord, failure, TempDir } from './log-files';

async function readCt(file: string, o: { strict?: boolean; windowBytes?: number; maxRecordBytes?: number } = {}): Promise<{ events: LogEvent[]; issues: RowIssues }> {
  const issues = new RowIssues(Boolean(o.strict));
  const events: LogEvent[] = [];
  for await (const b of readCloudTrailFile(file, { issues, windowBytes: o.windowBytes }, o.maxRecordBytes)) {
    for (let i = 0; i < b.length; i++) events.push(batchEvent(b, i));
  }
  return { events, issues };
}

const rec = (eventName: string, over: Record<string, unknown> = {}) => JSON.stringify(ctRecord({ eventName, ...over }));
/** A record with `field` nested `depth` arrays deep (written by hand: JSON.stringify of it would overflow the stack). */
const deepRecord = (eventName: string, field: string, depth: number) => `${rec(eventName).slice(0, -1)},"${field}":${'['.repeat(depth)}${']'.repeat(depth)}}`;
const named = (events: LogEvent[]) => events.map((e) => [e.type.replace('s3.amazonaws.com:', ''), e.line]);

describe('CloudTrail reader: hostile input', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  describe('deep nesting', () => {
    it('a field nested 1,000,000 levels deep: JSON.parse copes, the event is kept', async () => {
      for (const text of [`{"Records":[\n${deepRecord('Deep', 'requestParameters', 1_000_000)}\n]}`, deepRecord('Deep', 'requestParameters', 1_000_000) + '\n']) {
        const { events, issues } = await readCt(dir.write('deep.json', text));
        assert.deepEqual([named(events), issues.count], [[['Deep', text.startsWith('{"Records"') ? 2 : 1]], 0]);
      }
    });
    it('userAgent nested 100,000 levels deep does not overflow the stack: the event is kept without it', async () => {
      for (const text of [`{"Records":[${deepRecord('Deep', 'userAgent', 100_000)},${rec('Next')}]}`, `${deepRecord('Deep', 'userAgent', 100_000)}\n${rec('Next')}\n`]) {
        const { events, issues } = await readCt(dir.write('deep.json', text));
        assert.deepEqual(
          events.map((e) => [e.type, e.userAgent]),
          [
            ['s3.amazonaws.com:Deep', undefined],
            ['s3.amazonaws.com:Next', 'aws-cli/2.0'],
          ],
        );
        assert.equal(issues.count, 0);
      }
    });
    it('eventTime nested 100,000 levels deep: that record is skipped with the reason, strict fails at its line', async () => {
      const file = dir.write('deep.json', `{"Records":[\n${rec('First')},\n${deepRecord('Deep', 'eventTime', 100_000)},\n${rec('Next')}\n]}`);
      const { events, issues } = await readCt(file);
      assert.deepEqual(named(events), [
        ['First', 2],
        ['Next', 4],
      ]);
      assert.deepEqual(issues.first, [{ file, line: 3, reason: 'eventTime is an array, not a time' }]);
      const e = await failure(() => readCt(file, { strict: true }));
      assert.deepEqual([e.code, e.line, e.message], ['LOG_FORMAT', 3, 'eventTime is an array, not a time']);
    });
  });

  it('many bad records on one line cost work in proportion to the file, not to records x line length', async () => {
    // Counted as bytes searched by Buffer.indexOf, not as time: each bad record used to search to the line's end.
    for (const text of ['{"Records":[' + Array(20000).fill('{"a":01}').join(',') + ']}', Array(20000).fill('{"Records":[]}').join('') + '\n']) {
      const file = dir.write('bad.json', text);
      const indexOf = Buffer.prototype.indexOf;
      let searched = 0;
      Buffer.prototype.indexOf = function (this: Buffer, value: string | number | Uint8Array, byteOffset?: number | string, encoding?: BufferEncoding) {
        const at = indexOf.call(this, value, byteOffset as number, encoding);
        searched += (at >= 0 ? at : this.length) - (typeof byteOffset === 'number' ? byteOffset : 0);
        return at;
      };
      let got;
      try {
        got = await readCt(file);
      } finally {
        Buffer.prototype.indexOf = indexOf;
      }
      assert.ok(got.issues.count >= 1);
      assert.ok(searched < 20 * text.length, `${searched} bytes searched in a ${text.length}-byte file`);
    }
  });

  describe('line numbers', () => {
    it('after a record over the size limit with raw line breaks inside its strings', async () => {
      const big = rec('Big', { userAgent: 'x'.repeat(3000) + '\n\n\n' }).replace(/\\n/g, '\n');
      const file = dir.write('big.json', `{"Records":[\n${rec('A')},\n${big},\n${rec('C')}\n]}`);
      for (const windowBytes of [undefined, 7, 64, 1000]) {
        const { events, issues } = await readCt(file, { maxRecordBytes: 1000, windowBytes });
        assert.deepEqual(named(events), [
          ['A', 2],
          ['C', 7],
        ]);
        assert.deepEqual(
          issues.first.map((i) => i.line),
          [3],
        );
      }
    });
    it('after a raw line break inside a string that follows the Records array', async () => {
      const file = dir.write('rest.json', `{"Records":[\n${rec('A')}\n], "note": "a\nb"}\n{"Records":[\n${rec('B')}\n]}`);
      for (const windowBytes of [undefined, 3, 16]) {
        const { events, issues } = await readCt(file, { windowBytes });
        assert.deepEqual(named(events), [
          ['A', 2],
          ['B', 6],
        ]);
        assert.deepEqual(
          issues.first.map((i) => [i.line, i.reason]),
          [[3, 'what follows the Records array is not valid JSON (the other keys of its object, then "}")']],
        );
      }
    });
  });

  describe('what follows the Records array', () => {
    it('valid keys after the array are read past; a file that ends before the object closes is truncated', async () => {
      const ok = dir.write('ok.json', `{"Records":[${rec('A')}], "note": {"a": "]}\\""}}`);
      assert.deepEqual((await readCt(ok, { windowBytes: 5 })).issues.count, 0);
      for (const cut of [`{"Records":[\n${rec('A')}\n]`, `{"Records":[\n${rec('A')}\n], "note": "ab`]) {
        const file = dir.write('cut.json', cut);
        const { events, issues } = await readCt(file);
        assert.deepEqual(named(events), [['A', 2]]);
        assert.deepEqual(issues.first, [{ file, line: 3, reason: 'the file ends before the object holding the Records array is closed (truncated)' }]);
        const e = await failure(() => readCt(file, { strict: true }));
        assert.deepEqual([e.code, e.line], ['LOG_FORMAT', 3]);
      }
    });
    it('a broken string there (a lost backslash) swallows the next delivery object: that is reported, not silent', async () => {
      // A's userAgent was "x\"}]y": without the backslash its quote closes early, A ends at the "}", the "]" ends
      // the array, and the quotes after it pair up the wrong way: the scan reads B's object as the rest of A's.
      const file = dir.write('two.json', `{"Records":[${rec('A').slice(0, -1)},"userAgent":"x"}]y"}]}\n{"Records":[${rec('B', { userAgent: '[{"' })}]}\n`);
      for (const windowBytes of [undefined, 5]) {
        const { events, issues } = await readCt(file, { windowBytes });
        assert.deepEqual(named(events), [['A', 1]]);
        assert.deepEqual(
          issues.first.map((i) => [i.line, i.reason]),
          [[1, 'what follows the Records array is not valid JSON (the other keys of its object, then "}")']],
        );
      }
    });
  });

  it('a .gz read one byte at a time is still recognised as gzip', async () => {
    const file = dir.write('ct.json.gz', gzipSync(`{"Records":[${rec('A')}]}`));
    const { events, issues } = await readCt(file, { windowBytes: 1 });
    assert.deepEqual([named(events), issues.count], [[['A', 1]], 0]);
  });
});

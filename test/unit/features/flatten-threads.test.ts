// The flatten's second thread (flatten-shard): which variants it takes, and that a dataset written by two threads is
// byte for byte the one written by one (splits, drop:P's draws, augmentation, skipped rows), errors and cancel included.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { flattenToDataset } from '../../../src/core/features';
import { balance, checkShard, shardPlan, SHARD_MIN_BYTES, startShardWorker } from '../../../src/core/features/flatten-shard';
import { parseVariants } from '../../../src/core/features/variants';
import type { ReaderOptions } from '../../../src/core/logs/log-event';
import { FIXTURES } from './dataset-files';
import { requireTool } from '../../helpers/tools';

const CLI_BUNDLE = path.resolve(__dirname, '../../../dist/cli.js');

const SMALL = path.join(FIXTURES, 'seed-small.tsv');
const ATTACKER = path.join(FIXTURES, 'seed-attacker.tsv');
const SIX = ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10'];
const SEED_READER: ReaderOptions = { format: 'seed', strict: false };

/** Every file under dir (relative path -> bytes), manifests without their creation time and dataset name. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        let text = readFileSync(p, 'utf8');
        if (e.name === 'manifest.json') text = text.replace(/"createdAt": "[^"]*"/, '').replace(/"name": "(one|two)"/, '');
        out.set(path.relative(dir, p), text);
      }
    }
  };
  walk(dir);
  return out;
}

describe('flatten on two threads', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'secml-threads-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const out = (name: string) => path.join(root, name);

  it('balances the variants: those needing session lengths share the thread that spills', () => {
    const secondPass = (specs: string[]) => parseVariants(specs).map((v) => v.take.kind === 'last' || v.take.kind === 'middle' || v.take.kind === 'drop');
    // Seed six: full, first:5, first:10 stay; drop:0.2, last:5, last:10 (one spill) go.
    assert.deepEqual(balance(secondPass(SIX)), [1, 4, 5]);
    assert.deepEqual(balance(secondPass(['full', 'first:5'])), [1]);
    assert.deepEqual(balance(secondPass(['full', 'first:5', 'first:10'])), [1]);
    // One variant needing lengths among first-pass ones: it goes alone with its spill.
    assert.deepEqual(balance(secondPass(['full', 'first:5', 'last:5'])), [2]);
    // Many variants: a half, never none nor all.
    const many = Array.from({ length: 20 }, (_, i) => `first:${i + 1}`);
    const w = balance(secondPass(many));
    assert.equal(w.length, 10);
  });

  it('uses a second thread only for several variants over a large input without gap sessions, unless told', () => {
    const six = parseVariants(SIX);
    assert.deepEqual(shardPlan(six, SEED_READER, SHARD_MIN_BYTES - 1), [], 'small input: one thread');
    assert.deepEqual(shardPlan(six, SEED_READER, SHARD_MIN_BYTES), [1, 4, 5]);
    assert.deepEqual(shardPlan(six, SEED_READER, SHARD_MIN_BYTES, 1), [], '--threads 1');
    assert.deepEqual(shardPlan(six, SEED_READER, 10, 2), [1, 4, 5], '--threads 2 on a small input');
    assert.deepEqual(shardPlan(parseVariants(['full']), SEED_READER, SHARD_MIN_BYTES, 2), [], 'one variant: one thread');
    const gap: ReaderOptions = { format: 'cloudtrail', strict: false, sessionGapMinutes: 30 };
    assert.deepEqual(shardPlan(six, gap, SHARD_MIN_BYTES), [], 'gap sessions keep every event: not twice');
  });

  /** Flattens on one thread and on two; asserts the same summary and the same files. */
  async function sameOnTwoThreads(inputs: string[], options: Parameters<typeof flattenToDataset>[2]) {
    const one = await flattenToDataset(inputs, out('one'), { ...options, threads: 1 });
    const two = await flattenToDataset(inputs, out('two'), { ...options, threads: 2 });
    const strip = (s: typeof one) => ({ ...s, outDir: '', name: '', elapsedMs: 0, eventsPerSecond: 0, stateBytes: 0, variants: s.variants.map((v) => ({ ...v, dir: path.basename(v.dir) })) });
    assert.deepEqual(strip(two), strip(one));
    const a = snapshot(out('one'));
    const b = snapshot(out('two'));
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [file, text] of a) assert.ok(b.get(file) === text, `${file} differs`);
    rmSync(out('one'), { recursive: true });
    rmSync(out('two'), { recursive: true });
    return { summary: one, files: a.size };
  }

  it('writes the same dataset as one thread: every file, byte for byte (augmentation and skipped rows included)', async () => {
    // A malformed row in the middle (lenient mode skips and reports it).
    const lines = readFileSync(SMALL, 'utf8').trimEnd().split('\n');
    lines.splice(1500, 0, 'not\ta valid row');
    const input = path.join(root, 'input.tsv');
    writeFileSync(input, lines.join('\n') + '\n');
    const r = await sameOnTwoThreads([input], { variants: [...SIX, 'middle:4', 'first:3,min:3'], augment: ATTACKER, seed: 7 });
    assert.equal(r.summary.skipped.count, 1);
    assert.equal(r.files, 8 * 5);
  });

  it('is the same with sessions out of time order (a thread with or without a spill) and with a fixed vocabulary', async () => {
    // Rows shuffled: most sessions arrive out of time order and are sorted in memory by both threads.
    const [header, ...rows] = readFileSync(SMALL, 'utf8').trimEnd().split('\n');
    let state = 5;
    const rand = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const shuffled = path.join(root, 'shuffled.tsv');
    writeFileSync(shuffled, [header, ...rows].join('\n') + '\n');
    // No variant spills: each thread reads the input again for its out-of-order sessions.
    const a = await sameOnTwoThreads([shuffled], { variants: ['full', 'first:5', 'first:10'] });
    assert.ok(a.summary.reordered > 200, `${a.summary.reordered} sessions out of order`);
    await sameOnTwoThreads([shuffled], { variants: SIX });
    // A fixed vocabulary without two types: the others count as __other__, reported the same.
    const full = await flattenToDataset([SMALL], out('vocab'));
    const vocabulary = full.features.filter((f) => !f.startsWith('__') && f !== '111' && f !== '607');
    const b = await sameOnTwoThreads([shuffled], { variants: SIX, vocabulary });
    assert.deepEqual(Object.keys(b.summary.unseen).sort(), ['111', '607']);
  });

  it('says a file changed between the two reads when the threads found different input', () => {
    const check = { events: [3255, 0] as [number, number], sessions: 300, features: ['111', '__other__'], skipped: 0 };
    checkShard(check, { ...check });
    assert.throws(
      () => checkShard(check, { ...check, events: [3300, 0] }),
      (e: { code: string; message: string }) => e.code === 'IO' && /3255 events, 300 sessions, 2 features vs 3300 events.*was a file still being written\?.*--threads 1/.test(e.message),
    );
  });

  it('stops at the same malformed row in strict mode, and leaves nothing behind', async () => {
    const lines = readFileSync(SMALL, 'utf8').trimEnd().split('\n');
    lines.splice(2000, 0, '12345\t2019-07-01 00:00:00.000\tc\tg\tp\t111\tmaybe');
    const input = path.join(root, 'bad.tsv');
    writeFileSync(input, lines.join('\n') + '\n');
    const failure = async (threads: number) => {
      try {
        await flattenToDataset([input], out(`strict${threads}`), { variants: SIX, threads, reader: { strict: true } });
      } catch (e) {
        return e as { code: string; message: string; file?: string; line?: number };
      }
      throw new Error('strict flatten of a malformed row succeeded');
    };
    const [one, two] = [await failure(1), await failure(2)];
    assert.equal(two.code, one.code);
    assert.equal(two.message, one.message);
    assert.equal(two.line, 2001);
    assert.deepEqual(readdirSync(root), ['bad.tsv']);
  });

  it('cancels both threads: no output and no staging folder left behind', async () => {
    const controller = new AbortController();
    const run = flattenToDataset([SMALL], out('x'), { variants: SIX, threads: 2 }, { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(run, (e: { code: string }) => e.code === 'CANCELLED');
    assert.deepEqual(readdirSync(root), []);
  });

  it("reports the second thread's own failure as an error, not a hang", async () => {
    const worker = startShardWorker({ files: [{ path: SMALL, size: 1 }], augmentFiles: [], reader: SEED_READER, variants: parseVariants(['last:3']), seed: 1, ratios: [0.7, 0.15, 0.15], stage: path.join(root, 'no', 'such', 'stage') });
    await assert.rejects(worker.result, (e: Error) => /no[/\\]such[/\\]stage/.test(e.message));
    await worker.stop();
  });

  it('falls back to one thread, with a warning, when the second thread cannot start', function () {
    requireTool(this, 'the built CLI (dist/cli.js)', () => existsSync(CLI_BUNDLE), 'npm run build; npm test builds it first');
    // The CLI bundle alone, without flatten.worker.js beside it.
    const lonely = path.join(root, 'cli.js');
    copyFileSync(CLI_BUNDLE, lonely);
    const r = spawnSync(process.execPath, [lonely, 'flatten', SMALL, '--out', out('ds'), '-v', 'full', '-v', 'last:3', '--threads', '2'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Flattening on one thread: the second thread did not start \(The worker flatten\.worker\.js is missing/);
    assert.deepEqual(readdirSync(out('ds')).sort(), ['full', 'last3']);
  });
});

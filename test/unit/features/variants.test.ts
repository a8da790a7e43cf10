import { strict as assert } from 'node:assert';
import { parseVariant, parseVariants, variantName, SEED_VARIANTS } from '../../../src/core/features';
import { splitCounts, assignSplits, parseSplitRatios } from '../../../src/core/features/split';

describe('variants', () => {
  it('parses specs and names them folder-safely', () => {
    const cases: [string, string, string][] = [
      ['full', 'full', 'full'],
      ['first:5', 'first:5', 'first5'],
      ['last:10', 'last:10', 'last10'],
      ['middle:3', 'middle:3', 'middle3'],
      ['drop:0.2', 'drop:0.2', 'drop0.2'],
      ['drop:0', 'drop:0', 'drop0'],
      ['first:5,min:5', 'first:5,min:5', 'first5_min5'],
      ['min:5, first:5', 'first:5,min:5', 'first5_min5'],
      ['min:3', 'full,min:3', 'full_min3'],
      [' FIRST:5 ', 'first:5', 'first5'],
    ];
    for (const [input, spec, name] of cases) {
      const v = parseVariant(input);
      assert.equal(v.spec, spec, input);
      assert.equal(v.name, name, input);
      assert.equal(variantName(input), name);
      assert.equal(parseVariant(name).spec, spec, `the name ${name} parses back`);
    }
    assert.deepEqual(parseVariant('first:5,min:5').take, { kind: 'first', n: 5 });
    assert.equal(parseVariant('first:5,min:5').min, 5);
    assert.deepEqual(parseVariants(SEED_VARIANTS).map((v) => v.name), ['full', 'drop0.2', 'first5', 'first10', 'last5', 'last10']);
  });
  it('rejects bad specs with a message that lists the forms', () => {
    for (const bad of ['', 'first', 'first:0', 'first:-1', 'first:2.5', 'drop:1', 'drop:1.5', 'drop:x', 'full:3', 'first:5,last:5', 'min:2,min:3', 'top:5', '../x']) {
      assert.throws(() => parseVariant(bad), (e: { code: string; message: string }) => e.code === 'BAD_ARGUMENT' && /full, first:N, last:N, middle:N, drop:P or min:N/.test(e.message), bad);
    }
    assert.throws(() => parseVariants(['first:5', 'first5']), /given twice/);
  });
});

describe('splits', () => {
  it('cuts by largest remainder, ties to test then validation', () => {
    assert.deepEqual(splitCounts(100, [0.7, 0.15, 0.15]), [70, 15, 15]);
    assert.deepEqual(splitCounts(3, [0.7, 0.15, 0.15]), [2, 0, 1]);
    assert.deepEqual(splitCounts(1, [0.7, 0.15, 0.15]), [1, 0, 0]);
    assert.deepEqual(splitCounts(0, [0.7, 0.15, 0.15]), [0, 0, 0]);
    assert.deepEqual(splitCounts(10, [0.8, 0, 0.2]), [8, 0, 2]);
  });
  it('stratifies by label and depends only on the seed', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => i);
    const pos = (s: number) => s % 10 === 0;
    const a = assignSplits(ids, pos, 1000, [0.7, 0.15, 0.15], 3);
    assert.deepEqual(a, assignSplits(ids, pos, 1000, [0.7, 0.15, 0.15], 3));
    assert.notDeepEqual(a, assignSplits(ids, pos, 1000, [0.7, 0.15, 0.15], 4));
    const count = (split: number, p: boolean) => ids.filter((s) => a[s] === split && pos(s) === p).length;
    assert.deepEqual([count(0, true), count(1, true), count(2, true)], [70, 15, 15]);
    assert.deepEqual([count(0, false), count(1, false), count(2, false)], [630, 135, 135]);
  });
  it('parses --split', () => {
    assert.deepEqual(parseSplitRatios('0.8,0.1,0.1'), [0.8, 0.1, 0.1]);
    for (const bad of ['0.7,0.3', '0.5,0.5,0.5', 'a,b,c', '0,0.5,0.5', '-0.1,0.6,0.5']) assert.throws(() => parseSplitRatios(bad), /split/i, bad);
  });
});

import { strict as assert } from 'node:assert';
import { rankByScore, RankedSessions, type ScoreResult } from '../../../src/core/scoring';
import { isScoreJob, rowView, scoreView } from '../../../src/extension/panels/score-view-data';
import { MAX_TEXT, parseHostMessage, parsePageMessage } from '../../../webview/score/protocol';

const LONG_ID = 'x'.repeat(100_000);

function result(): ScoreResult {
  const features = ['a', '__other__', '__duration_s__'];
  const scores = Float32Array.from([0.2, 0.9]);
  return {
    inputs: ['/logs/day.tsv'],
    model: { kind: 'endpoint', label: 'ep (harvest / full)', location: 'endpoint ep' },
    info: { reader: { format: 'seed' }, vocabulary: ['a'], features },
    table: {
      features,
      rows: Float32Array.from([1, 0, 5, 2, 3, 60]),
      n: 2,
      labels: Int8Array.from([0, 1]),
      sessions: [
        { id: 's1', events: 1, file: '/logs/day.tsv', firstLine: 2, firstEvents: ['a'], lastEvents: ['a'], label: 0 },
        { id: LONG_ID, events: 5, file: '/logs/day.tsv', firstLine: 3, firstEvents: ['a', '<b>', 'zz'], lastEvents: ['zz'], firstTime: 0, lastTime: 60_000, label: 1 },
      ],
      unseen: { '<b>': 1, zz: 2 },
      skipped: { count: 1, first: [] },
      events: 6,
    },
    scores,
    order: rankByScore(scores),
    threshold: 0.5,
    thresholdSource: 'given',
    modelThreshold: 0.4,
    flagged: 1,
    labelled: 2,
    metrics: null,
    seconds: { flatten: 0.1, score: 0.2, rank: 0, metrics: 0, total: 0.3 },
  };
}

describe('score panel messages', () => {
  it('sends a summary and rows that pass the page\'s validation, with log text cut to the limit', () => {
    const ranked = new RankedSessions(result());
    ranked.setThreshold(0.5);
    const state = scoreView(ranked, { generation: 3, scoresCsv: '/logs/day.tsv.scores.csv' });
    assert.equal(state.title, 'day.tsv');
    assert.deepEqual(state.unseen.top, [['zz', 2], ['<b>', 1]]);
    assert.match(state.unseen.message!, /^3 events of 2 types the model never saw/);
    assert.equal(state.metrics!.tp, 1);
    assert.equal(state.canOpenLines, true);
    assert.ok(parseHostMessage({ type: 'state', state }), 'the page accepts the state');
    const rows = ranked.page({ text: '', flaggedOnly: false }, 0, 10).map(rowView);
    assert.equal(rows[0].id.length, MAX_TEXT);
    assert.deepEqual(rows[0].counts, [['__other__', 3], ['a', 2]]);
    assert.equal(rows[0].file, 'day.tsv');
    assert.ok(parseHostMessage({ type: 'rows', generation: 3, query: { text: '', flaggedOnly: false }, start: 0, total: 2, rows }));
    assert.equal(parseHostMessage({ type: 'rows', generation: 3, query: { text: '', flaggedOnly: false }, start: 0, total: 2, rows: [{ ...rows[0], id: LONG_ID }] }), undefined);
  });

  it('a run over many files still sends a state the page accepts (the title is cut)', () => {
    const many = result();
    many.inputs = Array.from({ length: 300 }, (_, i) => `/logs/2024/01/trail-${String(i).padStart(4, '0')}-with-a-long-name.json.gz`);
    many.thresholdSource = 'model file says ' + 'y'.repeat(5000);
    const state = scoreView(new RankedSessions(many), { generation: 1 });
    assert.ok(state.title.length <= 2000 && state.title.startsWith('trail-0000-with-a-long-name.json.gz, ') && state.title.endsWith('…'));
    assert.ok(parseHostMessage({ type: 'state', state }), 'the page accepts the state');
  });

  it('validates what the page asks for', () => {
    assert.deepEqual(parsePageMessage({ type: 'setThreshold', value: 0.3 }), { type: 'setThreshold', value: 0.3 });
    assert.equal(parsePageMessage({ type: 'setThreshold', value: 2 }), undefined);
    assert.equal(parsePageMessage({ type: 'getRows', generation: 1, query: { text: 'a', flaggedOnly: false }, start: 0, count: 100_000 }), undefined);
    assert.equal(parsePageMessage({ type: 'openSession', index: -1 }), undefined);
    assert.equal(parsePageMessage({ type: 'eval', code: 'x' }), undefined);
  });

  it('restores a panel only from a plausible job', () => {
    assert.ok(isScoreJob({ inputs: ['/logs/day.tsv'], model: 'local:/ws/.secml/models/full' }));
    assert.ok(isScoreJob({ inputs: ['/logs/day.tsv'], model: 'endpoint:harvest-full-abc' }));
    assert.ok(!isScoreJob({ inputs: ['day.tsv'], model: 'local:/m' }), 'relative input');
    assert.ok(!isScoreJob({ inputs: ['/logs/day.tsv'], model: 'local:m' }), 'relative model');
    assert.ok(!isScoreJob({ inputs: ['/logs/day.tsv'], model: 'endpoint:bad name' }));
    assert.ok(!isScoreJob({ inputs: [], model: 'endpoint:x' }));
  });
});

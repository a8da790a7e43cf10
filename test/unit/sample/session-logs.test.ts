import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ACTION_CODES } from '../../../src/core/sample/actions';
import { SESSION_LOG_HEADER } from '../../../src/core/sample/session-files';
import type { SampleWorkspaceSummary } from '../../../src/core/sample/sample-workspace';
import { readRows, sharedWorkspace, type Row } from './fixture';

const FILES = ['known-attacker.txt', 'mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt', 'single.txt'];
/** The seed's row counts (capstone notebook). */
const SEED_ROWS: Record<string, number> = { 'known-attacker.txt': 61917, 'mixed-1.txt': 119474, 'mixed-2.txt': 43608, 'mixed-3.txt': 30844 };

interface SessionStats {
  bad: number;
  rows: Row[];
}

function sessionsOf(rows: Row[]): Map<number, SessionStats> {
  const m = new Map<number, SessionStats>();
  for (const r of rows) {
    let s = m.get(r.session);
    if (!s) m.set(r.session, (s = { bad: r.bad, rows: [] }));
    s.rows.push(r);
  }
  return m;
}

const ms = (t: string) => Date.parse(t.replace(' ', 'T') + 'Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('sample/session logs (seed 7, scale 1)', function () {
  this.timeout(120_000);
  let summary: SampleWorkspaceSummary;
  const data = new Map<string, Row[]>();

  before(async () => {
    summary = await sharedWorkspace();
    for (const f of FILES) {
      const { header, rows } = readRows(path.join(summary.outDir, f));
      assert.equal(header, SESSION_LOG_HEADER, `${f} header`);
      data.set(f, rows);
    }
  });

  it('writes the five files with the seed header and well-formed rows', () => {
    assert.equal(SESSION_LOG_HEADER, 'SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor');
    const codes = new Set(ACTION_CODES);
    for (const f of FILES) {
      for (const r of data.get(f)!) {
        assert.ok(Number.isInteger(r.session) && r.session > 0, `${f}: SessionNo ${r.session}`);
        assert.match(r.time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
        assert.ok(codes.has(r.act), `${f}: Act ${r.act}`);
        assert.ok(r.bad === 0 || r.bad === 1);
        assert.match(r.cust, /^s\d{7}$/);
        assert.ok(r.group && r.prof);
      }
    }
  });

  it('uses all 37 action codes of the seed', () => {
    const seen = new Set<number>();
    for (const rows of data.values()) for (const r of rows) seen.add(r.act);
    assert.deepEqual([...seen].sort((a, b) => a - b), [...ACTION_CODES]);
    assert.equal(ACTION_CODES.length, 37);
  });

  it("has about the seed's row and session counts", () => {
    let rows = 0;
    let sessions = 0;
    for (const f of Object.keys(SEED_ROWS)) {
      const n = data.get(f)!.length;
      assert.ok(Math.abs(n - SEED_ROWS[f]) / SEED_ROWS[f] < 0.12, `${f}: ${n} rows vs the seed's ${SEED_ROWS[f]}`);
      rows += n;
      sessions += sessionsOf(data.get(f)!).size;
    }
    assert.ok(rows > 235_000 && rows < 280_000, `training rows ${rows} (seed: 255,843)`);
    assert.ok(sessions > 22_000 && sessions < 26_500, `training sessions ${sessions} (seed: 24,114)`);
    const single = sessionsOf(data.get('single.txt')!);
    assert.ok(single.size > 8500 && single.size < 10_000, `single.txt sessions ${single.size}`);
  });

  it('labels the attacker as in the seed: all of known-attacker, a sliver of the mixed files, 10 sessions in single.txt', () => {
    assert.ok(data.get('known-attacker.txt')!.every((r) => r.bad === 1));
    let all = 0;
    let bad = 0;
    for (const f of ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt']) {
      for (const r of data.get(f)!) {
        all++;
        bad += r.bad;
      }
    }
    assert.ok(bad > 0 && bad / all < 0.005, `mixed attacker rows ${bad} of ${all}`);
    const single = [...sessionsOf(data.get('single.txt')!).values()];
    assert.equal(single.filter((s) => s.bad === 1).length, 10);
    const summaryFile = summary.sessionLogs.find((f) => f.file === 'single.txt')!;
    assert.equal(summaryFile.attackerSessions, 10);
    // A session's label is the same on every row.
    for (const s of single) assert.ok(s.rows.every((r) => r.bad === s.bad));
  });

  it('numbers sessions uniquely across files and writes each file in time order, sessions interleaved', () => {
    const owner = new Map<number, string>();
    for (const f of FILES) {
      const rows = data.get(f)!;
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].time <= rows[i].time, `${f} row ${i + 2} goes back in time`);
      for (const s of sessionsOf(rows).keys()) {
        assert.equal(owner.get(s), undefined, `SessionNo ${s} in ${f} and ${owner.get(s)}`);
        owner.set(s, f);
      }
    }
    // Interleaving: in the mixed files most sessions' rows are not contiguous.
    const rows = data.get('mixed-1.txt')!;
    let switches = 0;
    for (let i = 1; i < rows.length; i++) if (rows[i].session !== rows[i - 1].session) switches++;
    assert.ok(switches > rows.length * 0.5, `only ${switches} session switches in ${rows.length} rows`);
  });

  it('has attackers reuse stolen customer credentials that innocent users also use', () => {
    const innocentCust = new Set<string>();
    const attackerCust = new Set<string>();
    for (const f of FILES) for (const r of data.get(f)!) (r.bad ? attackerCust : innocentCust).add(r.cust);
    const shared = [...attackerCust].filter((c) => innocentCust.has(c));
    assert.ok(attackerCust.size >= 5 && attackerCust.size <= 40, `attacker CustIDs: ${attackerCust.size}`);
    assert.ok(shared.length >= attackerCust.size * 0.8, `only ${shared.length} of ${attackerCust.size} attacker CustIDs are also innocent`);
  });

  it('gives session time some signal (attackers are faster) without separating the classes', () => {
    const epm = (s: SessionStats) => {
      const minutes = Math.max((ms(s.rows[s.rows.length - 1].time) - ms(s.rows[0].time)) / 60_000, 1 / 60);
      return s.rows.length / minutes;
    };
    const innocent: number[] = [];
    const attacker: number[] = [];
    for (const f of ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt', 'known-attacker.txt']) {
      for (const s of sessionsOf(data.get(f)!).values()) if (s.rows.length >= 5) (s.bad ? attacker : innocent).push(epm(s));
    }
    const innocentMedian = median(innocent);
    const attackerMedian = median(attacker);
    assert.ok(attackerMedian > innocentMedian * 1.5, `attacker median ${attackerMedian} vs innocent ${innocentMedian} events/min`);
    const slowAttackers = attacker.filter((x) => x <= innocentMedian * 1.5).length / attacker.length;
    assert.ok(slowAttackers > 0.15, `only ${(slowAttackers * 100).toFixed(0)}% of attackers are as slow as innocent users`);
    const fastInnocents = innocent.filter((x) => x >= attackerMedian).length / innocent.length;
    assert.ok(fastInnocents > 0.02, `only ${(fastInnocents * 100).toFixed(1)}% of innocent sessions are as fast as the median attacker`);
  });

  it('reports per-file counts that match the files', () => {
    for (const f of summary.sessionLogs) {
      const rows = data.get(f.file)!;
      assert.equal(f.rows, rows.length);
      assert.equal(f.sessions, sessionsOf(rows).size);
      assert.equal(f.attackerRows, rows.filter((r) => r.bad).length);
    }
    assert.equal(summary.totals.rows, summary.sessionLogs.reduce((s, f) => s + f.rows, 0));
  });
});

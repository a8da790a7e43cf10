/**
 * The five session logs in the seed's format, streamed to disk: each file is a time window; sessions start at
 * sorted random instants inside it (drawn one by one, never all held), and their rows are interleaved in time.
 */
import { open } from 'node:fs/promises';
import { SecmlError } from '../errors';
import { throwIfAborted } from '../progress';
import { ATTACKERS, ATTACKER_SHARES_KNOWN, ATTACKER_SHARES_RECENT, INNOCENT, INNOCENT_SHARES, type Behaviour } from './behaviours';
import type { CustomerBase } from './customers';
import { utcMs } from './log-time';
import { RowBuffer } from './row-buffer';
import { cumulativeWeights, type Random } from './prng';
import { SessionHeap } from './session-heap';
import { generateSession } from './session-model';

export const SESSION_LOG_HEADER = 'SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor';

export interface SessionFilePlan {
  file: string;
  /** Window start (UTC ISO) and length. */
  start: string;
  hours: number;
  /** Sessions and attacker sessions at scale 1. */
  sessions: number;
  attackers: number;
  attackerShares: number[];
  /** How many of the stolen credentials the attacker uses in this window (all, over two years; a few, lately). */
  credentialPool: number;
}

/** In time order (session numbers grow with time across files). Sizes give about the seed's row counts at scale 1. */
export const SESSION_FILE_PLANS: SessionFilePlan[] = [
  { file: 'known-attacker.txt', start: '2017-07-01T00:00:00Z', hours: 713 * 24, sessions: 1950, attackers: 1950, attackerShares: ATTACKER_SHARES_KNOWN, credentialPool: 30 },
  { file: 'mixed-1.txt', start: '2019-06-17T07:00:00Z', hours: 6, sessions: 13350, attackers: 10, attackerShares: ATTACKER_SHARES_RECENT, credentialPool: 8 },
  { file: 'mixed-2.txt', start: '2019-06-24T13:00:00Z', hours: 2, sessions: 4950, attackers: 5, attackerShares: ATTACKER_SHARES_RECENT, credentialPool: 8 },
  { file: 'mixed-3.txt', start: '2019-07-01T13:00:00Z', hours: 1.5, sessions: 3500, attackers: 4, attackerShares: ATTACKER_SHARES_RECENT, credentialPool: 8 },
  { file: 'single.txt', start: '2019-07-07T00:00:00Z', hours: 24, sessions: 9246, attackers: 10, attackerShares: ATTACKER_SHARES_RECENT, credentialPool: 8 },
];

export interface SessionFileSummary {
  file: string;
  rows: number;
  sessions: number;
  attackerSessions: number;
  attackerRows: number;
  /** Sessions per behaviour class, e.g. `{searcher: 4400, "harvester-fast": 3}`. */
  behaviours: Record<string, number>;
}

/** Session numbers: unique across files and growing with time, roughly 0.8 new sessions a second site-wide. */
export class SessionNumbering {
  private last = 0;
  private static readonly BASE = 20_000_000;
  private static readonly EPOCH = utcMs('2017-07-01T00:00:00Z');

  next(startMs: number): number {
    const byClock = SessionNumbering.BASE + Math.floor(((startMs - SessionNumbering.EPOCH) / 1000) * 0.8);
    this.last = Math.max(this.last + 1, byClock);
    return this.last;
  }
}

/** Session counts of a plan at a scale. */
export function scaledCounts(plan: SessionFilePlan, scale: number): { sessions: number; attackers: number } {
  const sessions = Math.max(1, Math.round(plan.sessions * scale));
  const attackers = plan.attackers === plan.sessions ? sessions : Math.min(sessions, Math.max(1, Math.round(plan.attackers * scale)));
  return { sessions, attackers };
}

const BAD_TAIL = Buffer.from('\t1\n', 'latin1');
const GOOD_TAIL = Buffer.from('\t0\n', 'latin1');
const innocentWeights = cumulativeWeights(INNOCENT_SHARES);

export interface SessionFileContext {
  rng: Random;
  customers: CustomerBase;
  numbering: SessionNumbering;
  scale: number;
  signal?: AbortSignal;
  /** Called after each chunk written with the sessions started so far in this file. */
  onSessions?: (sessionsStarted: number, rows: number) => void;
}

/** Writes one session log to `path` and returns its counts. */
export async function writeSessionFile(path: string, plan: SessionFilePlan, ctx: SessionFileContext): Promise<SessionFileSummary> {
  const { rng, customers, numbering, signal } = ctx;
  const { sessions: n, attackers: a } = scaledCounts(plan, ctx.scale);
  const attackerAt = a === n ? undefined : new Set(rng.sample(n, a));
  const attackerWeights = cumulativeWeights(plan.attackerShares);
  const startMs = utcMs(plan.start);
  const spanMs = plan.hours * 3_600_000;
  const summary: SessionFileSummary = { file: plan.file, rows: 0, sessions: n, attackerSessions: a, attackerRows: 0, behaviours: {} };
  const heap = new SessionHeap();
  const handle = await open(path, 'w').catch((e: Error) => {
    throw new SecmlError('IO', `Cannot write ${path}: ${e.message}`, { file: path, cause: e });
  });
  // Two buffers: one fills while the other is being written.
  let buf = new RowBuffer();
  let spare = new RowBuffer();
  let writing: Promise<unknown> = Promise.resolve();
  buf.putText(SESSION_LOG_HEADER + '\n');
  const flush = async (started: number) => {
    await writing;
    const full = buf;
    buf = spare;
    spare = full;
    writing = handle.write(full.bytes, 0, full.length).then(() => full.clear());
    writing.catch(() => {}); // the failure surfaces at the next await of `writing`, not as an unhandled rejection
    throwIfAborted(signal);
    ctx.onSessions?.(started, summary.rows);
  };
  const emitUntil = async (limit: number, started: number) => {
    while (heap.size > 0 && heap.nextTime() <= limit) {
      const s = heap.peek()!;
      buf.putBytes(s.head);
      buf.putTime(s.times[s.next]);
      buf.putBytes(s.middle);
      buf.putCode(s.acts[s.next]);
      buf.putBytes(s.tail);
      s.next++;
      summary.rows++;
      heap.advanceTop();
      if (buf.nearlyFull) await flush(started);
    }
  };
  try {
    // Sorted uniform start times, generated in order: each is the minimum of the remaining uniforms.
    let u = 0;
    for (let k = 0; k < n; k++) {
      u += (1 - u) * (1 - Math.pow(rng.float(), 1 / (n - k)));
      const sessionStart = startMs + Math.floor(u * spanMs);
      await emitUntil(sessionStart, k);
      const bad = attackerAt === undefined || attackerAt.has(k);
      const behaviour: Behaviour = bad ? ATTACKERS[rng.weighted(attackerWeights)] : INNOCENT[rng.weighted(innocentWeights)];
      const account = bad ? customers.attackerAccount(rng, behaviour, plan.credentialPool) : customers.innocentAccount(rng, behaviour);
      const events = generateSession(rng, behaviour, sessionStart);
      const no = numbering.next(sessionStart);
      summary.behaviours[behaviour.name] = (summary.behaviours[behaviour.name] ?? 0) + 1;
      if (bad) summary.attackerRows += events.acts.length;
      heap.push({
        no,
        acts: events.acts,
        times: events.times,
        next: 0,
        head: Buffer.from(`${no}\t`, 'latin1'),
        middle: Buffer.from(`\t${account.custId}\t${account.groupId}\t${account.profId}\t`, 'latin1'),
        tail: bad ? BAD_TAIL : GOOD_TAIL,
      });
    }
    await emitUntil(Infinity, n);
    await flush(n);
    await writing;
  } finally {
    await writing.catch(() => {});
    await handle.close();
  }
  return summary;
}

/**
 * The streaming flattener: event batches in, per-variant session tables out, with several variants in one pass.
 *
 * Pass 1 reads the logs once: it interns sessions and event types and feeds the variants that decide per event
 * without knowing the session's length (`full`, `first:N`). When a variant needs the length (`last:N`, `middle:N`,
 * `drop:P`), pass 1 also spills each row as (session, type, time) to a temporary file and pass 2 replays it: each
 * event's position in its session is counted again and the variant decides. State is per session (counts per event
 * type, a few numbers), never per row, so memory grows with sessions x event types. Events are taken in time order:
 * a session whose events arrive out of time order is detected in pass 1; its events are gathered in pass 2, sorted
 * by (time, arrival) and replayed through every variant.
 */
import * as path from 'node:path';
import { SecmlError } from '../errors';
import type { EventSource } from '../logs/event-source';
import type { InputFile } from '../logs/input-files';
import type { EventBatch } from '../logs/log-event';
import { RowIssues } from '../logs/row-issues';
import { detach } from '../logs/read-context';
import { throwIfAborted, type WorkOptions } from '../progress';
import { BatchKeys } from './batch-keys';
import { featureNames, RESERVED_NAMES, sortVocabulary } from './feature-columns';
import { RowSpill, type SpillBlock } from './row-spill';
import { AUGMENT, SessionTable } from './session-table';
import { VariantAccumulator } from './variant-accumulator';
import type { VariantSpec } from './variants';

export const MAX_EVENT_TYPE_LENGTH = 256;
export const MAX_SESSION_ID_LENGTH = 1024;
export const MAX_VOCABULARY = 20000;
/** Augmentation sessions live in their own id space inside the table. */
export const AUGMENT_PREFIX = '\u0000augment\u0000';

export interface EngineInput {
  source: EventSource;
  /** MAIN (0) or AUGMENT (1). */
  group: number;
}

export interface EngineOptions {
  variants: VariantSpec[];
  /** A fixed vocabulary (scoring, or reusing a dataset's): other event types count as `__other__`. */
  vocabulary?: string[];
  /** Session-time features; default: on when the log has times. */
  timeFeatures?: boolean;
  seed: number;
  strict: boolean;
  /** Keep each session's first and last few event types (for score reports). */
  keepEventTypes?: number;
  /** Receives each input file's raw bytes as the first pass reads them (e.g. to hash them). */
  onFileBytes?: (file: InputFile, chunk: Buffer) => void;
}

export interface FlatTables {
  sessions: SessionTable;
  variants: VariantAccumulator[];
  vocabulary: string[];
  /** Feature names in column order. */
  features: string[];
  /** For each count column (vocabulary, then __other__), its slot in the count matrices. */
  columnSlot: Int32Array;
  timeFeatures: boolean;
  /** Events used per group (main, augment). */
  events: [number, number];
  /** Event types outside a fixed vocabulary, with their event counts. */
  unseen: Record<string, number>;
  skipped: RowIssues;
  /** Sessions whose events were not in time order in the input (sorted in memory). */
  reordered: number;
  /** First and last `keepEventTypes` event types per session (type names), when asked. */
  firstEvents?: string[][];
  lastEvents?: string[][];
  /** Bytes held by the per-session state at the end (for the benchmark). */
  stateBytes: number;
}

class TypeTable {
  readonly names: string[] = [];
  readonly index = new Map<string, number>();
  slotOf = new Int32Array(64);
  events = new Float64Array(64);

  add(name: string, slot: number): number {
    const id = this.names.length;
    this.names.push(name);
    this.index.set(name, id);
    if (id === this.slotOf.length) {
      const s = new Int32Array(id * 2);
      s.set(this.slotOf);
      this.slotOf = s;
      const e = new Float64Array(id * 2);
      e.set(this.events);
      this.events = e;
    }
    this.slotOf[id] = slot;
    return id;
  }
}

/** 1234567 -> "1,234,567" (toLocaleString loads ICU data: too slow for a progress line). */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

class FlattenRun {
  readonly issues: RowIssues;
  readonly sessions: SessionTable;
  readonly types = new TypeTable();
  readonly variants: VariantAccumulator[];
  private readonly first: VariantAccumulator[];
  private readonly second: VariantAccumulator[];
  private readonly fixed: string[] | undefined;
  private slots = 1;
  private readonly K: number;
  private firstK: Int32Array;
  private lastK: Int32Array;
  sawTime = false;
  /** Spilled rows for pass 2 (only when a variant needs session lengths). */
  readonly spill: RowSpill | undefined;
  private pos2: Int32Array | undefined;
  readonly gathered = new Map<number, { types: number[]; times: number[] }>();

  /** `rows`: the session capacity to start with (tables grow past it as needed). */
  constructor(options: EngineOptions, rows: number) {
    this.issues = new RowIssues(options.strict);
    this.fixed = options.vocabulary;
    // Slots: 0 is __other__; vocabulary types get the next slots (fixed: in vocabulary order; else as they appear).
    if (this.fixed) {
      for (const t of this.fixed) {
        if (this.types.index.has(t)) throw new SecmlError('BAD_ARGUMENT', `The vocabulary lists "${t}" twice.`);
        this.types.add(t, RESERVED_NAMES.has(t) ? 0 : this.slots++);
      }
    }
    const withTimes = options.timeFeatures !== false;
    // The session table starts at its likely size; the variants' tables start small and jump to the session
    // table's capacity at its 1,025th session (growRows), by when most event types have usually appeared: a new
    // event type re-lays out every variant's table into a new allocation of its capacity, cheap while it is small.
    this.sessions = new SessionTable(rows);
    this.variants = options.variants.map((v) => new VariantAccumulator(v, Math.max(this.slots, 8), 1024, withTimes, options.seed));
    this.first = this.variants.filter((v) => !v.secondPass);
    this.second = this.variants.filter((v) => v.secondPass);
    if (this.second.length > 0) this.spill = new RowSpill();
    this.K = options.keepEventTypes ?? 0;
    this.firstK = new Int32Array(this.K * rows);
    this.lastK = new Int32Array(this.K * rows);
  }

  get needsSecondPass(): boolean {
    return this.second.length > 0;
  }

  /** The engine's id of an event type (added when new), or -1 after reporting a row to skip. */
  typeOf = (type: string, file: string, line: number): number => {
    const found = this.types.index.get(type);
    if (found !== undefined) return found;
    if (type.length > MAX_EVENT_TYPE_LENGTH) {
      this.issues.skip(file, line, `event type is longer than ${MAX_EVENT_TYPE_LENGTH} characters`);
      return -1;
    }
    if (this.types.names.length >= MAX_VOCABULARY + (this.fixed?.length ?? 0)) {
      throw new SecmlError('BAD_ARGUMENT', `More than ${thousands(MAX_VOCABULARY)} distinct event types: is the event column the right one?`, { file, line });
    }
    let slot = 0;
    if (!this.fixed && !RESERVED_NAMES.has(type)) {
      slot = this.slots++;
      for (const v of this.variants) v.counts.ensureStride(this.slots, this.sessions.count);
    }
    return this.types.add(detach(type), slot);
  };

  /** The session number of a key (added when new), or -1 after reporting a row to skip. */
  sessionOf(key: string, group: number, fileIx: number, file: string, line: number): number {
    const id = group === AUGMENT ? AUGMENT_PREFIX + key : key;
    const found = this.sessions.find(id);
    if (found !== undefined) return found;
    if (key.length > MAX_SESSION_ID_LENGTH) {
      this.issues.skip(file, line, `session id is longer than ${MAX_SESSION_ID_LENGTH} characters`);
      return -1;
    }
    const s = this.sessions.add(detach(id), group, fileIx, line);
    if (this.sessions.count > this.variants[0].rows) this.growRows();
    return s;
  }

  private growRows(): void {
    const need = this.sessions.capacity;
    for (const v of this.variants) v.ensureRows(need);
    const K = this.K;
    if (K > 0 && this.firstK.length < need * K) {
      const f = new Int32Array(need * K);
      f.set(this.firstK);
      this.firstK = f;
      const l = new Int32Array(need * K);
      l.set(this.lastK);
      this.lastK = l;
    }
  }

  /** Pass 1 over one batch whose rows are resolved to sessions and types (-1: skip). */
  firstPass(b: EventBatch, rowSession: Int32Array, rowType: Int32Array): void {
    const { times, labels } = b;
    const sessions = this.sessions;
    const types = this.types;
    const first = this.first;
    const spill = this.spill;
    const K = this.K;
    for (let i = 0; i < b.length; i++) {
      const s = rowSession[i];
      if (s < 0) continue;
      const t = rowType[i];
      const slot = types.slotOf[t];
      const time = times[i];
      const pos = sessions.events[s]++;
      types.events[t]++;
      const label = labels[i];
      if (label > sessions.label[s]) sessions.label[s] = label;
      if (pos === 0 || time < sessions.firstTime[s]) sessions.firstTime[s] = time;
      if (time < sessions.lastTime[s]) sessions.unordered[s] = 1;
      else sessions.lastTime[s] = time;
      if (time === time) this.sawTime = true;
      if (spill) spill.add(s, t, time);
      if (sessions.unordered[s] === 0) {
        for (let v = 0; v < first.length; v++) {
          const acc = first[v];
          if (acc.keeps(s, '', pos, 0)) acc.add(s, slot, time);
        }
        if (K > 0) {
          if (pos < K) this.firstK[s * K + pos] = t;
          this.lastK[s * K + (pos % K)] = t;
        }
      }
    }
  }

  /** Pass 2 over resolved rows: positions are counted again; out-of-order sessions are gathered for sorting. */
  secondPass(length: number, rowSession: Int32Array, rowType: Int32Array, times: Float64Array): void {
    const sessions = this.sessions;
    const second = this.second;
    const slotOf = this.types.slotOf;
    const pos2 = (this.pos2 ??= new Int32Array(sessions.count));
    for (let i = 0; i < length; i++) {
      const s = rowSession[i];
      if (s < 0) continue;
      const t = rowType[i];
      if (sessions.unordered[s] === 1) {
        let g = this.gathered.get(s);
        if (!g) this.gathered.set(s, (g = { types: [], times: [] }));
        g.types.push(t);
        g.times.push(times[i]);
        continue;
      }
      const n = sessions.events[s];
      const p = pos2[s]++;
      if (p >= n) continue;
      const slot = slotOf[t];
      const id = sessions.ids[s];
      for (let v = 0; v < second.length; v++) {
        const acc = second[v];
        if (acc.keeps(s, id, p, n)) acc.add(s, slot, times[i]);
      }
    }
  }

  /** Sessions that arrived out of time order: sort (stable) and replay through every variant. */
  replayGathered(): void {
    const K = this.K;
    for (const [s, g] of this.gathered) {
      const n = Math.min(g.types.length, this.sessions.events[s]);
      const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => g.times[a] - g.times[b] || a - b);
      const id = this.sessions.ids[s];
      for (const acc of this.variants) acc.reset(s);
      for (let k = 0; k < n; k++) {
        const j = order[k];
        const t = g.types[j];
        const slot = this.types.slotOf[t];
        for (const acc of this.variants) if (acc.keeps(s, id, k, n)) acc.add(s, slot, g.times[j]);
        if (K > 0) {
          if (k < K) this.firstK[s * K + k] = t;
          this.lastK[s * K + (k % K)] = t;
        }
      }
    }
  }

  reorderedCount(): number {
    let n = 0;
    for (let s = 0; s < this.sessions.count; s++) n += this.sessions.unordered[s];
    return n;
  }

  /** First and last K event type names per session. */
  eventTypeSummaries(): { firstEvents: string[][]; lastEvents: string[][] } | undefined {
    const K = this.K;
    if (K === 0) return undefined;
    const firstEvents: string[][] = [];
    const lastEvents: string[][] = [];
    const names = this.types.names;
    for (let s = 0; s < this.sessions.count; s++) {
      const n = this.sessions.events[s];
      const m = Math.min(n, K);
      const f: string[] = [];
      const l: string[] = [];
      for (let k = 0; k < m; k++) f.push(names[this.firstK[s * K + k]]);
      for (let k = n - m; k < n; k++) l.push(names[this.lastK[s * K + (k % K)]]);
      firstEvents.push(f);
      lastEvents.push(l);
    }
    return { firstEvents, lastEvents };
  }
}

export async function flattenSessions(inputs: EngineInput[], options: EngineOptions, work: WorkOptions = {}): Promise<FlatTables> {
  const { signal } = work;
  const totalBytes = inputs.reduce((a, i) => a + i.source.files.reduce((b, f) => b + f.size, 0), 0) || 1;
  const run = new FlattenRun(options, initialSessionRows(totalBytes));
  const { sessions, types, issues } = run;
  let bytesRead = 0;
  let rowsSeen = 0;
  let passTwoRows = 0;
  const started = Date.now();
  let lastReport = 0;
  const progress = (pass: number, force = false) => {
    if (!work.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < 250) return;
    lastReport = now;
    const secs = (now - started) / 1000;
    const share = run.needsSecondPass ? 0.8 : 0.95;
    const f = pass === 1 ? (bytesRead / totalBytes) * share : share + (1 - share) * Math.min(1, passTwoRows / Math.max(1, rowsSeen));
    const message = `${pass === 1 ? 'reading' : 'second pass'}: ${thousands(rowsSeen)} events, ${thousands(sessions.count)} sessions`;
    work.onProgress({ message, fraction: Math.min(0.99, f), done: rowsSeen, unit: 'events', rate: secs > 0 ? rowsSeen / secs : undefined });
  };

  try {
    // ---- pass 1 ----
    for (const input of inputs) {
      const group = input.group;
      let fileIx = 0;
      const keys = new BatchKeys((key, file, line) => run.sessionOf(key, group, fileIx, file, line), run.typeOf);
      const tap = options.onFileBytes;
      const onRawBytes = (f: InputFile, c: Buffer) => {
        bytesRead += c.length;
        tap?.(f, c);
      };
      await passOne(run, input.source.scan({ issues, signal, onRawBytes }), keys, signal, (b) => {
        fileIx = sessions.fileNumber(b.file);
        rowsSeen += b.length;
        progress(1);
      });
    }
    if (sessions.count === 0) {
      const first = issues.count > 0 ? issues.first[0] : undefined;
      const why = first ? `; ${issues.count} malformed row(s) were skipped, the first: ${path.basename(first.file)}:${first.line}: ${first.reason}` : '';
      // The first skipped row's place is kept whole in file/line (an "Open File" button goes there); the message names the base name only.
      throw new SecmlError('NO_SESSIONS', `No sessions found in the input${why}`, first ? { file: first.file, line: first.line, details: { skipped: issues.count, reason: first.reason } } : {});
    }

    // ---- pass 2 ----
    const reordered = run.reorderedCount();
    if (run.spill) {
      await passTwo(run, run.spill.replay(), signal, (n) => {
        passTwoRows += n;
        progress(2);
      });
    } else if (reordered > 0) {
      // No spill was needed up front: read the input again for the out-of-order sessions only.
      const scratch = new RowIssues(false);
      for (const input of inputs) {
        const prefix = input.group === AUGMENT ? AUGMENT_PREFIX : '';
        const keys = new BatchKeys(
          (key) => sessions.find(prefix + key) ?? -1,
          (type) => types.index.get(type) ?? -1,
        );
        for await (const b of input.source.scan({ issues: scratch, signal })) {
          throwIfAborted(signal);
          keys.resolve(b);
          run.secondPass(b.length, keys.session, keys.type, b.times);
          passTwoRows += b.length;
          progress(2);
        }
      }
    }
    run.replayGathered();
    progress(2, true);

    // ---- columns ----
    const fixed = options.vocabulary;
    const vocabulary = fixed ? fixed.filter((t) => !RESERVED_NAMES.has(t)) : sortVocabulary(types.names.filter((_, id) => types.events[id] > 0));
    const timeFeatures = options.timeFeatures !== false && (options.timeFeatures === true || run.sawTime);
    const features = featureNames(vocabulary, timeFeatures);
    const columnSlot = new Int32Array(vocabulary.length + 1);
    vocabulary.forEach((t, c) => (columnSlot[c] = types.slotOf[types.index.get(t)!]));
    columnSlot[vocabulary.length] = 0;
    const unseen: Record<string, number> = {};
    if (fixed) {
      const known = new Set(fixed);
      types.names.forEach((t, id) => {
        if (!known.has(t) && types.events[id] > 0) unseen[t] = types.events[id];
      });
    }
    const events: [number, number] = [0, 0];
    for (let s = 0; s < sessions.count; s++) events[sessions.group[s]] += sessions.events[s];
    return {
      sessions,
      variants: run.variants,
      vocabulary,
      features,
      columnSlot,
      timeFeatures,
      events,
      unseen,
      skipped: issues,
      reordered,
      ...run.eventTypeSummaries(),
      stateBytes: run.variants.reduce((a, v) => a + v.bytes, 0) + sessions.capacity * 40,
    };
  } finally {
    await run.spill?.dispose();
  }
}

/**
 * Pass 1 over one input's batches. A function of its own (not a loop inside flattenSessions): a loop that runs long
 * gets its function optimised, and this one is small to compile. `before` runs before each batch is counted (the
 * file number is set there) and sees the batch.
 */
async function passOne(run: FlattenRun, batches: AsyncGenerator<EventBatch>, keys: BatchKeys, signal: AbortSignal | undefined, before: (b: EventBatch) => void): Promise<void> {
  for await (const b of batches) {
    throwIfAborted(signal);
    before(b);
    keys.resolve(b);
    if (run.spill && !run.spill.hasRoom(b.length)) await run.spill.flush();
    run.firstPass(b, keys.session, keys.type);
  }
}

/** Pass 2 over the spilled rows (see passOne); `after` gets the rows of each block. */
async function passTwo(run: FlattenRun, blocks: AsyncGenerator<SpillBlock>, signal: AbortSignal | undefined, after: (rows: number) => void): Promise<void> {
  for await (const block of blocks) {
    throwIfAborted(signal);
    run.secondPass(block.length, block.session, block.type, block.time);
    after(block.length);
  }
}

/**
 * Session rows to allocate up front for an input of this many bytes: growing a table copies it into fresh memory,
 * which costs a page fault per 4 KB, so a likely size is better allocated once. A guess (a session per 512 bytes,
 * within bounds); pages not yet written cost no memory.
 */
export function initialSessionRows(inputBytes: number): number {
  return Math.min(65536, Math.max(1024, Math.ceil(inputBytes / 512)));
}

/** Display id of a session (augmentation sessions carry an internal prefix). */
export function sessionDisplayId(sessions: SessionTable, s: number): string {
  const id = sessions.ids[s];
  return sessions.group[s] === AUGMENT ? id.slice(AUGMENT_PREFIX.length) : id;
}

/**
 * The streaming flattener: event batches in, per-variant session tables out, with several variants in one pass.
 *
 * Pass 1 interns sessions and event types and feeds the variants that can decide per event without knowing the
 * session's length (`full`, `first:N`). Pass 2, only when needed, re-scans the input for the variants that need the
 * length (`last:N`, `middle:N`, `drop:P`): each event's position in its session is counted again and the variant
 * decides. State is per session (counts per event type, a few numbers), never per row, so memory grows with
 * sessions x event types. Events are taken in time order: a session whose events arrive out of time order is
 * detected in pass 1, its events are gathered in pass 2, sorted by (time, arrival) and replayed through every variant.
 */
import { SecmlError } from '../errors';
import type { EventSource } from '../logs/event-source';
import type { InputFile } from '../logs/input-files';
import { RowIssues } from '../logs/row-issues';
import { detach } from '../logs/read-context';
import { throwIfAborted, type WorkOptions } from '../progress';
import { featureNames, OTHER_COLUMN, RESERVED_NAMES, sortVocabulary } from './feature-columns';
import { AUGMENT, SessionTable } from './session-table';
import { VariantAccumulator } from './variant-accumulator';
import type { VariantSpec } from './variants';

export const MAX_EVENT_TYPE_LENGTH = 256;
export const MAX_SESSION_ID_LENGTH = 1024;
export const MAX_VOCABULARY = 20000;
/** Augmentation sessions live in their own id space inside the table. */
const AUGMENT_PREFIX = '\u0000augment\u0000';

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
  /** Called with each file's raw bytes as it is first read (hashing). */
  onRawBytes?: (file: InputFile, chunk: Buffer) => void;
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
  /** Events read per group (main, augment). */
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

export async function flattenSessions(inputs: EngineInput[], options: EngineOptions, work: WorkOptions = {}): Promise<FlatTables> {
  const { signal } = work;
  const issues = new RowIssues(options.strict);
  const sessions = new SessionTable();
  const types = new TypeTable();
  const fixed = options.vocabulary;
  // Slots: 0 is __other__; vocabulary types get the next slots (fixed: in vocabulary order; else as they appear).
  let slots = 1;
  if (fixed) {
    for (const t of fixed) {
      if (types.index.has(t)) throw new SecmlError('BAD_ARGUMENT', `The vocabulary lists "${t}" twice.`);
      types.add(t, RESERVED_NAMES.has(t) ? 0 : slots++);
    }
  }
  const withTimes = options.timeFeatures !== false;
  const variants = options.variants.map((v) => new VariantAccumulator(v, Math.max(slots, 8), 1024, withTimes, options.seed));
  const first = variants.filter((v) => !v.secondPass);
  const second = variants.filter((v) => v.secondPass);
  const K = options.keepEventTypes ?? 0;
  let firstK = new Int32Array(K * 1024);
  let lastK = new Int32Array(K * 1024);
  const events: [number, number] = [0, 0];
  let sawTime = false;
  const totalBytes = inputs.reduce((a, i) => a + i.source.files.reduce((b, f) => b + f.size, 0), 0) || 1;
  let bytesRead = 0;
  const started = Date.now();
  const needPass2 = () => second.length > 0 || reorderedCount() > 0;
  let reordered = -1;
  const reorderedCount = () => {
    if (reordered < 0) {
      reordered = 0;
      for (let s = 0; s < sessions.count; s++) reordered += sessions.unordered[s];
    }
    return reordered;
  };
  let lastReport = 0;
  const progress = (pass: number, force = false) => {
    if (!work.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < 250) return;
    lastReport = now;
    const done = events[0] + events[1];
    const secs = (now - started) / 1000;
    const share = second.length > 0 ? 0.5 : 0.95;
    const f = pass === 1 ? (bytesRead / totalBytes) * share : share + (1 - share) * Math.min(1, passTwoEvents / Math.max(1, done));
    work.onProgress({ message: `${pass === 1 ? 'reading' : 'second pass'}: ${thousands(done)} events, ${thousands(sessions.count)} sessions`, fraction: Math.min(0.99, f), done, unit: 'events', rate: secs > 0 ? done / secs : undefined });
  };
  let passTwoEvents = 0;

  const growRows = () => {
    const need = sessions.capacity;
    for (const v of variants) v.ensureRows(need);
    if (K > 0 && firstK.length < need * K) {
      const f = new Int32Array(need * K);
      f.set(firstK);
      firstK = f;
      const l = new Int32Array(need * K);
      l.set(lastK);
      lastK = l;
    }
  };
  const newSlot = (): number => {
    const slot = slots++;
    for (const v of variants) v.counts.ensureStride(slots);
    return slot;
  };

  // ---- pass 1 ----
  for (const input of inputs) {
    const group = input.group;
    const prefix = group === AUGMENT ? AUGMENT_PREFIX : '';
    let lastKey = '\u0000none';
    let lastS = -1;
    let lastType = '\u0000none';
    let lastTypeId = -1;
    for await (const b of input.source.scan({
      issues,
      signal,
      onRawBytes: (f, c) => {
        bytesRead += c.length;
        options.onRawBytes?.(f, c);
      },
    })) {
      throwIfAborted(signal);
      const fileIx = sessions.fileNumber(b.file);
      const { times, labels, lines } = b;
      for (let i = 0; i < b.length; i++) {
        const type = b.types[i];
        let t: number;
        if (type === lastType) t = lastTypeId;
        else {
          const found = types.index.get(type);
          if (found !== undefined) t = found;
          else {
            if (type.length > MAX_EVENT_TYPE_LENGTH) {
              issues.skip(b.file, lines[i], `event type is longer than ${MAX_EVENT_TYPE_LENGTH} characters`);
              continue;
            }
            if (types.names.length >= MAX_VOCABULARY + (fixed?.length ?? 0)) {
              throw new SecmlError('BAD_ARGUMENT', `More than ${thousands(MAX_VOCABULARY)} distinct event types: is the event column the right one?`, { file: b.file, line: lines[i] });
            }
            t = types.add(detach(type), fixed || RESERVED_NAMES.has(type) ? 0 : newSlot());
          }
          lastType = type;
          lastTypeId = t;
        }
        const key = b.sessions[i];
        let s: number;
        if (key === lastKey) s = lastS;
        else {
          const id = prefix ? prefix + key : key;
          const found = sessions.find(id);
          if (found !== undefined) s = found;
          else {
            if (key.length > MAX_SESSION_ID_LENGTH) {
              issues.skip(b.file, lines[i], `session id is longer than ${MAX_SESSION_ID_LENGTH} characters`);
              continue;
            }
            s = sessions.add(detach(id), group, fileIx, lines[i]);
            if (sessions.count > variants[0].kept.length) growRows();
          }
          lastKey = key;
          lastS = s;
        }
        const slot = types.slotOf[t];
        const time = times[i];
        const pos = sessions.events[s]++;
        types.events[t]++;
        const label = labels[i];
        if (label > sessions.label[s]) sessions.label[s] = label;
        if (pos === 0 || time < sessions.firstTime[s]) sessions.firstTime[s] = time;
        if (time < sessions.lastTime[s]) sessions.unordered[s] = 1;
        else sessions.lastTime[s] = time;
        if (time === time) sawTime = true;
        if (sessions.unordered[s] === 0) {
          for (let v = 0; v < first.length; v++) {
            const acc = first[v];
            if (acc.keeps(s, '', pos, 0)) acc.add(s, slot, time);
          }
          if (K > 0) {
            if (pos < K) firstK[s * K + pos] = t;
            lastK[s * K + (pos % K)] = t;
          }
        }
      }
      events[group] += b.length;
      progress(1);
    }
  }
  if (sessions.count === 0) {
    const why = issues.count > 0 ? `; ${issues.count} malformed row(s) were skipped, the first: ${issues.first[0].file}:${issues.first[0].line}: ${issues.first[0].reason}` : '';
    throw new SecmlError('NO_SESSIONS', `No sessions found in the input${why}`);
  }
  // Recount events actually used (rows skipped by the engine were not counted in per-session lengths).
  events[0] = 0;
  events[1] = 0;
  for (let s = 0; s < sessions.count; s++) events[sessions.group[s]] += sessions.events[s];

  // ---- pass 2 ----
  const gathered = new Map<number, { types: number[]; times: number[] }>();
  if (needPass2()) {
    const pos2 = new Int32Array(sessions.count);
    const scratch = new RowIssues(false);
    for (const input of inputs) {
      const prefix = input.group === AUGMENT ? AUGMENT_PREFIX : '';
      let lastKey = '\u0000none';
      let lastS: number | undefined = -1;
      for await (const b of input.source.scan({ issues: scratch, signal })) {
        throwIfAborted(signal);
        const { times } = b;
        for (let i = 0; i < b.length; i++) {
          const key = b.sessions[i];
          let s: number | undefined;
          if (key === lastKey) s = lastS;
          else {
            s = sessions.find(prefix ? prefix + key : key);
            lastKey = key;
            lastS = s;
          }
          if (s === undefined) continue;
          const t = types.index.get(b.types[i]);
          if (t === undefined) continue;
          if (sessions.unordered[s] === 1) {
            let g = gathered.get(s);
            if (!g) gathered.set(s, (g = { types: [], times: [] }));
            g.types.push(t);
            g.times.push(times[i]);
            continue;
          }
          const n = sessions.events[s];
          const p = pos2[s]++;
          if (p >= n) continue;
          const slot = types.slotOf[t];
          const id = sessions.ids[s];
          for (let v = 0; v < second.length; v++) {
            const acc = second[v];
            if (acc.keeps(s, id, p, n)) acc.add(s, slot, times[i]);
          }
        }
        passTwoEvents += b.length;
        progress(2);
      }
    }
    // Sessions that arrived out of time order: sort (stable) and replay through every variant.
    for (const [s, g] of gathered) {
      const n = Math.min(g.types.length, sessions.events[s]);
      const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => g.times[a] - g.times[b] || a - b);
      const id = sessions.ids[s];
      for (const acc of variants) acc.reset(s);
      for (let k = 0; k < n; k++) {
        const j = order[k];
        const t = g.types[j];
        const slot = types.slotOf[t];
        for (const acc of variants) if (acc.keeps(s, id, k, n)) acc.add(s, slot, g.times[j]);
        if (K > 0) {
          if (k < K) firstK[s * K + k] = t;
          lastK[s * K + (k % K)] = t;
        }
      }
    }
  }
  progress(2, true);

  // ---- columns ----
  const vocabulary = fixed ? fixed.filter((t) => !RESERVED_NAMES.has(t)) : sortVocabulary(types.names.filter((_, id) => types.events[id] > 0));
  const timeFeatures = withTimes && (options.timeFeatures === true || sawTime);
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
  let firstEvents: string[][] | undefined;
  let lastEvents: string[][] | undefined;
  if (K > 0) {
    firstEvents = [];
    lastEvents = [];
    for (let s = 0; s < sessions.count; s++) {
      const n = sessions.events[s];
      const m = Math.min(n, K);
      const f: string[] = [];
      const l: string[] = [];
      for (let k = 0; k < m; k++) f.push(types.names[firstK[s * K + k]]);
      for (let k = n - m; k < n; k++) l.push(types.names[lastK[s * K + (k % K)]]);
      firstEvents.push(f);
      lastEvents.push(l);
    }
  }
  if (OTHER_COLUMN !== features[vocabulary.length]) throw new SecmlError('INTERNAL', 'feature layout');
  return {
    sessions,
    variants,
    vocabulary,
    features,
    columnSlot,
    timeFeatures,
    events,
    unseen,
    skipped: issues,
    reordered: reorderedCount(),
    firstEvents,
    lastEvents,
    stateBytes: variants.reduce((a, v) => a + v.bytes, 0) + sessions.capacity * 40,
  };
}

/** Display id of a session (augmentation sessions carry an internal prefix). */
export function sessionDisplayId(sessions: SessionTable, s: number): string {
  const id = sessions.ids[s];
  return sessions.group[s] === AUGMENT ? id.slice(AUGMENT_PREFIX.length) : id;
}

export { AUGMENT_PREFIX };

/** 1234567 -> "1,234,567" (toLocaleString loads ICU data: too slow for a progress line). */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Resolves each row of a batch to the engine's session number and event-type id (-1: skip the row). Batches from
 * the delimited fast path carry reader ids, mapped through arrays (a name is looked up once per file); other
 * batches carry strings, looked up in Maps with a cache for runs of the same value.
 */
import { BATCH_SIZE, type EventBatch } from '../logs/log-event';

/** Returns the engine's number for a name, or -1 to skip the row (the resolver reports why). */
export type Resolver = (name: string, file: string, line: number) => number;

const UNRESOLVED = -2;

export class BatchKeys {
  readonly session = new Int32Array(BATCH_SIZE);
  readonly type = new Int32Array(BATCH_SIZE);
  private dictionary: object | undefined;
  private sessionMap: Int32Array = new Int32Array(1024).fill(UNRESOLVED);
  private typeMap: Int32Array = new Int32Array(256).fill(UNRESOLVED);
  /**
   * Names resolved to -1 (rows to skip): resolved again in each file, so that a reason is reported once per file, as
   * when each file had its own ids. (A dictionary shared by several files keeps every other mapping.)
   */
  private skippedSessions: number[] = [];
  private skippedTypes: number[] = [];
  /** The batch object of the file being resolved (readers use one per file). */
  private fileBatch: EventBatch | undefined;

  constructor(
    private readonly resolveSession: Resolver,
    private readonly resolveType: Resolver,
  ) {}

  resolve(b: EventBatch): void {
    if (b.sessionIds && b.typeIds && b.dictionary) this.resolveIds(b);
    else this.resolveNames(b);
  }

  /**
   * Readies the maps for a batch: a new dictionary starts them afresh, a new file forgets the skipped names, and they
   * grow to the dictionary's size. (A method of its own: the row loop's function keeps only the common path.)
   */
  private prepare(b: EventBatch, dict: NonNullable<EventBatch['dictionary']>): void {
    if (dict !== this.dictionary) {
      this.dictionary = dict;
      this.sessionMap.fill(UNRESOLVED);
      this.typeMap.fill(UNRESOLVED);
      this.skippedSessions.length = this.skippedTypes.length = 0;
    } else if (b !== this.fileBatch) {
      for (const k of this.skippedSessions) this.sessionMap[k] = UNRESOLVED;
      for (const k of this.skippedTypes) this.typeMap[k] = UNRESOLVED;
      this.skippedSessions.length = this.skippedTypes.length = 0;
    }
    this.fileBatch = b;
    if (this.sessionMap.length < dict.sessions.length) this.sessionMap = grown(this.sessionMap, dict.sessions.length);
    if (this.typeMap.length < dict.types.length) this.typeMap = grown(this.typeMap, dict.types.length);
  }

  private resolveIds(b: EventBatch): void {
    const dict = b.dictionary!;
    // Every test evaluated (no short-circuit), so that code optimised after the first batch has seen them all.
    const sameDictionary = dict === this.dictionary;
    const sameFile = b === this.fileBatch;
    const room = Math.min(this.sessionMap.length - dict.sessions.length, this.typeMap.length - dict.types.length);
    if (!sameDictionary || !sameFile || room < 0) this.prepare(b, dict);
    const sIds = b.sessionIds!;
    const tIds = b.typeIds!;
    const sMap = this.sessionMap;
    const tMap = this.typeMap;
    for (let i = 0; i < b.length; i++) {
      const rt = tIds[i];
      let t = tMap[rt];
      if (t === UNRESOLVED) {
        t = tMap[rt] = this.resolveType(dict.types[rt], b.file, b.lines[i]);
        if (t < 0) this.skippedTypes.push(rt);
      }
      this.type[i] = t;
      if (t < 0) {
        this.session[i] = -1;
        continue;
      }
      const rs = sIds[i];
      let s = sMap[rs];
      if (s === UNRESOLVED) {
        s = sMap[rs] = this.resolveSession(dict.sessions[rs], b.file, b.lines[i]);
        if (s < 0) this.skippedSessions.push(rs);
      }
      this.session[i] = s;
    }
  }

  private lastKey = '\u0000';
  private lastSession = -1;
  private lastType = '\u0000';
  private lastTypeId = -1;

  private resolveNames(b: EventBatch): void {
    this.dictionary = undefined;
    this.fileBatch = b;
    for (let i = 0; i < b.length; i++) {
      const type = b.types[i];
      let t: number;
      if (type === this.lastType) t = this.lastTypeId;
      else {
        t = this.resolveType(type, b.file, b.lines[i]);
        this.lastType = type;
        this.lastTypeId = t;
      }
      this.type[i] = t;
      if (t < 0) {
        this.session[i] = -1;
        continue;
      }
      const key = b.sessions[i];
      let s: number;
      if (key === this.lastKey) s = this.lastSession;
      else {
        s = this.resolveSession(key, b.file, b.lines[i]);
        this.lastKey = key;
        this.lastSession = s;
      }
      this.session[i] = s;
    }
  }
}

function grown(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2)).fill(UNRESOLVED);
  b.set(a);
  return b;
}

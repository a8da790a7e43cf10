/**
 * Sessions by inactivity gap: a key's events (a CloudTrail principal, or a CSV session column) are ordered by time
 * and cut wherever the gap between two events exceeds the limit. This needs every event of a key before the first
 * session can be emitted, so events are held in compact columns (about 40 bytes each, strings pooled) and replayed
 * in (key, time, file order) as batches whose session ids are `<key>@<ISO start time>`.
 */
import { SecmlError } from '../errors';
import { newBatch, type EventBatch } from './log-event';
import { detach } from './read-context';

class StringPool {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  id(s: string | undefined): number {
    if (s === undefined) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(detach(s));
      this.index.set(this.values[i], i);
    }
    return i;
  }
}

function grow<T extends Float64Array | Int32Array | Int8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export function isoSeconds(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

export class GapSessionizer {
  private n = 0;
  private key = new Int32Array(1024);
  private type = new Int32Array(1024);
  private time = new Float64Array(1024);
  private label = new Int8Array(1024);
  private fileIx = new Int32Array(1024);
  private line = new Int32Array(1024);
  private ip = new Int32Array(1024);
  private agent = new Int32Array(1024);
  private error = new Int32Array(1024);
  private eventTime = new Int32Array(1024);
  private hasExtras = false;
  private readonly keys = new StringPool();
  private readonly strings = new StringPool();
  private readonly files = new StringPool();
  private order: Uint32Array | undefined;
  private sessionOf: Int32Array | undefined;
  private sessionIds: string[] = [];

  constructor(private readonly gapMs: number) {
    if (!(gapMs > 0)) throw new SecmlError('BAD_ARGUMENT', `The session gap must be a positive number of minutes, got ${gapMs / 60000}`);
  }

  get events(): number {
    return this.n;
  }

  add(b: EventBatch): void {
    const need = this.n + b.length;
    if (need > this.key.length) {
      this.key = grow(this.key, need);
      this.type = grow(this.type, need);
      this.time = grow(this.time, need);
      this.label = grow(this.label, need);
      this.fileIx = grow(this.fileIx, need);
      this.line = grow(this.line, need);
      this.ip = grow(this.ip, need);
      this.agent = grow(this.agent, need);
      this.error = grow(this.error, need);
      this.eventTime = grow(this.eventTime, need);
    }
    const f = this.files.id(b.file);
    const x = b.extras;
    if (x) this.hasExtras = true;
    for (let i = 0; i < b.length; i++) {
      const j = this.n++;
      this.key[j] = this.keys.id(b.sessions[i]);
      this.type[j] = this.strings.id(b.types[i]);
      this.time[j] = b.times[i];
      this.label[j] = b.labels[i];
      this.fileIx[j] = f;
      this.line[j] = b.lines[i];
      this.ip[j] = x ? this.strings.id(x.sourceIPAddress[i]) : -1;
      this.agent[j] = x ? this.strings.id(x.userAgent[i]) : -1;
      this.error[j] = x ? this.strings.id(x.errorCode[i]) : -1;
      this.eventTime[j] = x ? this.strings.id(x.eventTime[i]) : -1;
    }
    this.order = undefined;
  }

  /** Orders events and assigns sessions; called once after the last add (replay calls it when needed). */
  private finish(): void {
    const n = this.n;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const { key, time } = this;
    order.sort((a, b) => key[a] - key[b] || time[a] - time[b] || a - b);
    const sessionOf = new Int32Array(n);
    const ids: string[] = [];
    let prevKey = -1;
    let prevTime = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (key[i] !== prevKey || time[i] - prevTime > this.gapMs) {
        ids.push(`${this.keys.values[key[i]]}@${isoSeconds(time[i])}`);
        prevKey = key[i];
      }
      prevTime = time[i];
      sessionOf[i] = ids.length - 1;
    }
    this.order = order;
    this.sessionOf = sessionOf;
    this.sessionIds = ids;
  }

  get sessions(): number {
    if (!this.order) this.finish();
    return this.sessionIds.length;
  }

  /** Replays every event in session order, as batches that each hold rows of one file. */
  *batches(): Generator<EventBatch> {
    if (!this.order) this.finish();
    const order = this.order!;
    const sessionOf = this.sessionOf!;
    const s = this.strings.values;
    const b = newBatch('', this.hasExtras);
    let currentFile = -1;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      const f = this.fileIx[i];
      if (f !== currentFile || b.length === b.lines.length) {
        if (b.length > 0) {
          yield b;
          b.length = 0;
        }
        currentFile = f;
        b.file = this.files.values[f];
      }
      const j = b.length++;
      b.sessions[j] = this.sessionIds[sessionOf[i]];
      b.types[j] = s[this.type[i]];
      b.times[j] = this.time[i];
      b.labels[j] = this.label[i];
      b.lines[j] = this.line[i];
      if (b.extras) {
        b.extras.sourceIPAddress[j] = this.ip[i] >= 0 ? s[this.ip[i]] : undefined;
        b.extras.userAgent[j] = this.agent[i] >= 0 ? s[this.agent[i]] : undefined;
        b.extras.errorCode[j] = this.error[i] >= 0 ? s[this.error[i]] : undefined;
        b.extras.eventTime[j] = this.eventTime[i] >= 0 ? s[this.eventTime[i]] : '';
      }
    }
    if (b.length > 0) yield b;
  }
}

/**
 * Every session seen, by id: its length, label (1 if any event is bad, 0 if any is good, else unknown), where it
 * starts (file and line), whether its events arrived in time order, and whether it comes from the augmentation file.
 * Parallel typed arrays indexed by session number (order of first appearance).
 */
export const MAIN = 0;
export const AUGMENT = 1;

export class SessionTable {
  count = 0;
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  events: Int32Array;
  label: Int8Array;
  group: Uint8Array;
  fileIx: Int32Array;
  line: Int32Array;
  firstTime: Float64Array;
  lastTime: Float64Array;
  unordered: Uint8Array;
  readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();

  /** `capacity`: sessions to allocate room for up front (the table grows past it). */
  constructor(capacity = 1024) {
    this.events = new Int32Array(capacity);
    this.label = new Int8Array(capacity);
    this.group = new Uint8Array(capacity);
    this.fileIx = new Int32Array(capacity);
    this.line = new Int32Array(capacity);
    this.firstTime = new Float64Array(capacity);
    this.lastTime = new Float64Array(capacity);
    this.unordered = new Uint8Array(capacity);
  }

  get capacity(): number {
    return this.events.length;
  }

  find(id: string): number | undefined {
    return this.index.get(id);
  }

  fileNumber(file: string): number {
    let f = this.fileIndex.get(file);
    if (f === undefined) {
      f = this.files.length;
      this.files.push(file);
      this.fileIndex.set(file, f);
    }
    return f;
  }

  /** Adds a session (id must be new and already detached from any big string). */
  add(id: string, group: number, fileIx: number, line: number): number {
    const s = this.count++;
    if (s === this.events.length) this.grow();
    this.ids.push(id);
    this.index.set(id, s);
    this.label[s] = -1;
    this.group[s] = group;
    this.fileIx[s] = fileIx;
    this.line[s] = line;
    this.firstTime[s] = NaN;
    this.lastTime[s] = -Infinity;
    return s;
  }

  private grow(): void {
    const n = this.events.length * 2;
    const g = <T extends Int32Array | Int8Array | Uint8Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.events = g(this.events);
    this.label = g(this.label);
    this.group = g(this.group);
    this.fileIx = g(this.fileIx);
    this.line = g(this.line);
    this.firstTime = g(this.firstTime);
    this.lastTime = g(this.lastTime);
    this.unordered = g(this.unordered);
  }
}

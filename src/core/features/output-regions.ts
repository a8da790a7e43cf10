/**
 * Output buffering for the dataset writer: ONE byte buffer cut into a region per output file, flushed to its file
 * when full. Sharing one buffer lets the writer copy a row that goes to two files (a split file and sessions.csv)
 * with `copyWithin`, a native memmove, instead of a byte loop; a DataView over it writes two or four bytes at once.
 * The buffer is allocated once per flatten and reused for every variant.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { SecmlError } from '../errors';

/** A region's size: small, since fresh memory costs a page fault per 4 KB on first touch. */
const DEFAULT_REGION_BYTES = 1 << 20;

export class OutputRegions {
  readonly mem: Buffer;
  readonly view: DataView;
  /** Per region: where it starts, its write position, and where it ends. */
  readonly start: Int32Array;
  readonly pos: Int32Array;
  readonly end: Int32Array;
  private handles: (FileHandle | undefined)[];
  private paths: string[] = [];

  /**
   * `regions` files, each buffered in at least `minRegionBytes` (room for the largest row), then one more region of
   * `spareBytes` that belongs to no file (the caller's scratch space, kept from file set to file set).
   */
  constructor(
    readonly regions: number,
    minRegionBytes: number,
    spareBytes = 0,
  ) {
    const size = Math.max(DEFAULT_REGION_BYTES, minRegionBytes);
    this.mem = Buffer.allocUnsafeSlow(size * regions + spareBytes);
    this.view = new DataView(this.mem.buffer, this.mem.byteOffset, this.mem.byteLength);
    this.start = new Int32Array(regions + 1);
    this.pos = new Int32Array(regions + 1);
    this.end = new Int32Array(regions + 1);
    for (let r = 0; r <= regions; r++) {
      this.start[r] = this.pos[r] = r * size;
      this.end[r] = r < regions ? (r + 1) * size : this.mem.length;
    }
    this.handles = new Array<FileHandle | undefined>(regions);
  }

  /** Opens (creates or truncates) one file per region. */
  async open(paths: string[]): Promise<void> {
    this.paths = paths;
    for (let r = 0; r < this.regions; r++) this.pos[r] = this.start[r];
    try {
      this.handles = await Promise.all(paths.map((p) => fs.open(p, 'w')));
    } catch (e) {
      await this.close();
      throw new SecmlError('IO', `Could not create the dataset files in ${paths[0]}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Bytes free in region `r`. */
  room(r: number): number {
    return this.end[r] - this.pos[r];
  }

  /** Writes every region's pending bytes to its file. */
  async flush(): Promise<void> {
    await Promise.all(this.handles.map((_, r) => this.flushRegion(r)));
  }

  private async flushRegion(r: number): Promise<void> {
    const fh = this.handles[r];
    let off = this.start[r];
    const stop = this.pos[r];
    if (!fh || off === stop) return;
    try {
      while (off < stop) off += (await fh.write(this.mem, off, stop - off)).bytesWritten;
    } catch (e) {
      throw new SecmlError('IO', `Could not write ${this.paths[r]}: ${(e as Error).message}`, { cause: e });
    }
    this.pos[r] = this.start[r];
  }

  async close(): Promise<void> {
    const open = this.handles.filter((h): h is FileHandle => h !== undefined);
    this.handles = new Array<FileHandle | undefined>(this.regions);
    await Promise.all(open.map((h) => h.close()));
  }
}

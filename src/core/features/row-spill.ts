/**
 * The rows of pass 1, resolved to (session number, event-type id, time), kept in 1 MB blocks so that pass 2
 * replays typed arrays instead of parsing the logs again. The first MEMORY_BLOCKS blocks stay in memory (a small
 * input needs no temporary file); past that, every block goes to a temporary file (16 bytes a row, in the system
 * temp folder, removed when the flatten ends), so memory stays bounded whatever the number of rows.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecmlError } from '../errors';

const BLOCK_ROWS = 65536;
/** Blocks (1 MB each) held in memory before the spill moves to a file. */
const MEMORY_BLOCKS = 16;

export interface SpillBlock {
  length: number;
  session: Int32Array;
  type: Int32Array;
  time: Float64Array;
}

function newBlock(): SpillBlock {
  return { length: 0, session: new Int32Array(BLOCK_ROWS), type: new Int32Array(BLOCK_ROWS), time: new Float64Array(BLOCK_ROWS) };
}

export class RowSpill {
  private block: SpillBlock = newBlock();
  /** Full blocks kept in memory (while there are at most MEMORY_BLOCKS and no file). */
  private held: SpillBlock[] = [];
  private fh: FileHandle | undefined;
  private readonly file = path.join(tmpdir(), `secml-flatten-${process.pid}-${randomBytes(4).toString('hex')}.rows`);
  private blocks: number[] = [];
  rows = 0;

  /** Adds a row; call `flushIfFull` after each batch. */
  add(s: number, t: number, time: number): void {
    const b = this.block;
    const i = b.length++;
    b.session[i] = s;
    b.type[i] = t;
    b.time[i] = time;
  }

  /** Room for `n` more rows without flushing. */
  hasRoom(n: number): boolean {
    return this.block.length + n <= BLOCK_ROWS;
  }

  async flush(): Promise<void> {
    const b = this.block;
    if (b.length === 0) return;
    this.rows += b.length;
    if (!this.fh && this.held.length < MEMORY_BLOCKS) {
      this.held.push(b);
      this.block = newBlock();
      return;
    }
    for (const h of this.held) await this.write(h);
    this.held = [];
    await this.write(b);
    b.length = 0;
  }

  private async write(b: SpillBlock): Promise<void> {
    try {
      this.fh ??= await fs.open(this.file, 'w+');
      const n = b.length;
      await this.fh.write(new Uint8Array(b.time.buffer, 0, n * 8));
      await this.fh.write(new Uint8Array(b.session.buffer, 0, n * 4));
      await this.fh.write(new Uint8Array(b.type.buffer, 0, n * 4));
    } catch (e) {
      throw new SecmlError('IO', `Could not write the temporary file ${this.file}: ${(e as Error).message}`, { cause: e });
    }
    this.blocks.push(b.length);
  }

  /** Replays the rows in order, one block at a time (from memory, or through one reused block from the file). */
  async *replay(): AsyncGenerator<SpillBlock> {
    if (!this.fh) {
      yield* this.held;
      if (this.block.length > 0) yield this.block;
      return;
    }
    await this.flush();
    const b = this.block;
    let offset = 0;
    for (const n of this.blocks) {
      await this.fh!.read(new Uint8Array(b.time.buffer, 0, n * 8), 0, n * 8, offset);
      await this.fh!.read(new Uint8Array(b.session.buffer, 0, n * 4), 0, n * 4, offset + n * 8);
      await this.fh!.read(new Uint8Array(b.type.buffer, 0, n * 4), 0, n * 4, offset + n * 12);
      offset += n * 16;
      b.length = n;
      yield b;
    }
    b.length = 0;
  }

  async dispose(): Promise<void> {
    this.held = [];
    await this.fh?.close().catch(() => {});
    this.fh = undefined;
    await fs.rm(this.file, { force: true }).catch(() => {});
  }
}

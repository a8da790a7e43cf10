/**
 * The rows of pass 1, resolved to (session number, event-type id, time), written to a temporary file in 1 MB
 * blocks so that pass 2 replays typed arrays instead of parsing the logs again. Memory stays bounded (one block);
 * the file (16 bytes a row) lives in the system temp folder and is removed when the flatten ends.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecmlError } from '../errors';

const BLOCK_ROWS = 65536;

export interface SpillBlock {
  length: number;
  session: Int32Array;
  type: Int32Array;
  time: Float64Array;
}

export class RowSpill {
  private readonly block: SpillBlock = { length: 0, session: new Int32Array(BLOCK_ROWS), type: new Int32Array(BLOCK_ROWS), time: new Float64Array(BLOCK_ROWS) };
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
    this.rows += b.length;
    b.length = 0;
  }

  /** Replays the rows in order, one block at a time (the block is reused). */
  async *replay(): AsyncGenerator<SpillBlock> {
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
    await this.fh?.close().catch(() => {});
    this.fh = undefined;
    await fs.rm(this.file, { force: true }).catch(() => {});
  }
}

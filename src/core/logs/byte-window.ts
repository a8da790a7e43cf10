/**
 * A file's (decompressed) bytes through one reused buffer: each `fill` keeps the unconsumed tail (a partial line),
 * moves it to the front and reads as much as fits after it, in one `read` call for plain files (a file that fits is
 * read whole). The byte after the data is always a "\n" sentinel, so a scanner can run to the next line end without
 * checking the bounds on every byte.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { throwIfAborted } from '../progress';
import { fileBytes, ioError, type ByteReadOptions } from './file-bytes';

/**
 * Read size. Small on purpose: fresh memory costs a page fault per 4 KB on first touch (more than reading the bytes),
 * so one buffer of this size is reused from file to file (see `spare`) rather than a buffer per file.
 */
const WINDOW = 1 << 20;

/** A released window buffer, for the next file. */
let spare: Buffer | undefined;

export class ByteWindow {
  /** Valid bytes are `buf[0, length)`; `buf[length]` is a "\n" sentinel. */
  buf: Buffer;
  length = 0;
  /** True once the file's last byte is in the buffer. */
  atEnd = false;
  private fh: FileHandle | undefined;
  private gz: AsyncGenerator<Buffer> | undefined;
  private pending: Buffer | undefined;
  /** A decompression error met while filling: thrown by the next fill, after the bytes before it are scanned. */
  private failure: unknown;
  /** The first read (done by open) is not yet handed out. */
  private primed = false;

  private constructor(
    private readonly file: string,
    private readonly options: ByteReadOptions,
  ) {
    const size = options.windowBytes ?? WINDOW;
    if (size === WINDOW && spare) {
      this.buf = spare;
      spare = undefined;
    } else this.buf = Buffer.allocUnsafeSlow(size + 1);
    this.buf[0] = 10;
  }

  static async open(file: string, options: ByteReadOptions = {}): Promise<ByteWindow> {
    const w = new ByteWindow(file, options);
    try {
      w.fh = await fs.open(file, 'r');
      // The first read decides: gzip (by its magic number) goes through the decompressing stream instead. It takes
      // two bytes to tell, whatever the read size, and a read may return fewer than asked for.
      if (w.buf.length < 3) w.buf = Buffer.allocUnsafeSlow(3);
      let n = 0;
      while (n < 2) {
        const got = (await w.fh.read(w.buf, n, w.buf.length - 1 - n, null)).bytesRead;
        if (got === 0) break;
        n += got;
      }
      if (n >= 2 && w.buf[0] === 0x1f && w.buf[1] === 0x8b) {
        await w.fh.close();
        w.fh = undefined;
        w.gz = fileBytes(file, options);
      } else {
        w.length = n;
        w.atEnd = n === 0;
        w.primed = true;
        if (n > 0) options.onRawBytes?.(w.buf.subarray(0, n));
      }
    } catch (e) {
      await w.close();
      throw ioError(file, e);
    }
    return w;
  }

  /**
   * Drops the bytes before `keepFrom`, then reads more after what is kept. Grows the buffer when the kept bytes fill
   * it by half or more (a very long line). Sets `atEnd` when the file is exhausted.
   */
  async fill(keepFrom: number): Promise<void> {
    throwIfAborted(this.options.signal);
    if (this.primed) {
      // The bytes of the first read (see open).
      this.primed = false;
      this.buf[this.length] = 10;
      return;
    }
    if (this.failure !== undefined) throw this.failure;
    const kept = this.length - keepFrom;
    if (kept > 0 && keepFrom > 0) this.buf.copyWithin(0, keepFrom, this.length);
    this.length = kept;
    if (this.length * 2 >= this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    if (this.fh) await this.readPlain();
    else await this.readGzip();
    this.buf[this.length] = 10;
  }

  private async readPlain(): Promise<void> {
    const room = this.buf.length - 1 - this.length;
    let n: number;
    try {
      n = (await this.fh!.read(this.buf, this.length, room, null)).bytesRead;
    } catch (e) {
      throw ioError(this.file, e);
    }
    if (n > 0) this.options.onRawBytes?.(this.buf.subarray(this.length, this.length + n));
    this.length += n;
    if (n === 0) this.atEnd = true;
  }

  /** Copies decompressed chunks in until the buffer is full or the stream ends (a gzip error propagates). */
  private async readGzip(): Promise<void> {
    const cap = this.buf.length - 1;
    while (this.length < cap) {
      let chunk = this.pending;
      this.pending = undefined;
      if (!chunk) {
        let next: IteratorResult<Buffer>;
        try {
          next = await this.gz!.next();
        } catch (e) {
          if (this.length === 0) throw e;
          this.failure = e;
          return;
        }
        if (next.done) {
          this.atEnd = true;
          return;
        }
        chunk = next.value;
      }
      const take = Math.min(chunk.length, cap - this.length);
      chunk.copy(this.buf, this.length, 0, take);
      this.length += take;
      if (take < chunk.length) this.pending = chunk.subarray(take);
    }
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close().catch(() => {});
    await this.gz?.return(undefined).catch(() => {});
    if (this.buf.length === WINDOW + 1) spare = this.buf;
  }
}

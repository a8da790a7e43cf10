/**
 * A file's bytes as a stream of chunks, gunzipped when the content is gzip (by magic number, not by name). A truncated
 * or corrupt gzip ends the stream with a LogFormatError naming the file.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream';
import { LogFormatError, SecmlError } from '../errors';
import { throwIfAborted } from '../progress';

export const CHUNK_BYTES = 1 << 20;

export interface ByteReadOptions {
  /** Receives the file's raw (still compressed) bytes, e.g. to hash them while reading. */
  onRawBytes?: (chunk: Buffer) => void;
  signal?: AbortSignal;
  /** ByteWindow's read size, 1 MB unless given (tests make it tiny to put chunk boundaries anywhere). */
  windowBytes?: number;
}

export async function isGzipFile(file: string): Promise<boolean> {
  const fh = await fs.open(file, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export function ioError(file: string, e: unknown): SecmlError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SecmlError('NOT_FOUND', `${file}: no such file`, { cause: e });
  return new SecmlError('IO', `Cannot read ${file}: ${(e as Error).message}`, { cause: e });
}

/**
 * Refuses text that starts with a UTF-16 byte-order mark: read as UTF-8 it would become rows of NUL-padded garbage
 * (every other byte a NUL) instead of a clear error. Called on the first bytes of each (decompressed) log file.
 */
export function refuseUtf16(file: string, head: Uint8Array): void {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new LogFormatError('the file is UTF-16 text; save it as UTF-8 and try again', file, 1);
  }
}

/** Decompressed content of `file` in chunks of about 1 MB. */
export async function* fileBytes(file: string, options: ByteReadOptions = {}): AsyncGenerator<Buffer> {
  let gz: boolean;
  try {
    gz = await isGzipFile(file);
  } catch (e) {
    throw ioError(file, e);
  }
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  if (!gz) {
    try {
      for await (const chunk of raw as AsyncIterable<Buffer>) {
        throwIfAborted(options.signal);
        options.onRawBytes?.(chunk);
        yield chunk;
      }
    } catch (e) {
      if ((e as SecmlError).code === 'CANCELLED') throw e;
      throw ioError(file, e);
    } finally {
      raw.destroy();
    }
    return;
  }
  const onRaw = options.onRawBytes;
  if (onRaw) raw.on('data', (c) => onRaw(c as Buffer));
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  let rawError: unknown;
  pipeline(raw, gunzip, (e) => {
    if (e) rawError = e;
  });
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      throwIfAborted(options.signal);
      yield chunk;
    }
  } catch (e) {
    if ((e as SecmlError).code === 'CANCELLED') throw e;
    if ((rawError as NodeJS.ErrnoException | undefined)?.syscall) throw ioError(file, rawError);
    const msg = (e as Error).message || String(e);
    throw new LogFormatError(/unexpected end/i.test(msg) ? 'gzip data is truncated (the file ends early)' : `corrupt gzip data: ${msg}`, file);
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}

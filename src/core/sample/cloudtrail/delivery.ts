/**
 * Delivers recorded events the way CloudTrail does: per region, a gzip file about every five minutes under
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<random>.json.gz`,
 * each holding `{"Records":[...]}`. Busy windows are split over two files, as CloudTrail's delivery hosts do.
 * The gzip bytes are deterministic: no file name, mtime 0, a fixed OS byte.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { throwIfAborted } from '../../progress';
import type { Random } from '../prng';
import { fileSuffix, type RecordedEvent } from './trail-recorder';

const WINDOW_MS = 5 * 60_000;
const SPLIT_OVER = 60;

/** Deterministic gzip of `text`: zeroed mtime, no name, OS byte 3 (Unix) whatever the platform. */
export function gzipDeterministic(text: string): Buffer {
  const gz = gzipSync(Buffer.from(text, 'utf8'), { level: 9 });
  gz.writeUInt32LE(0, 4);
  gz[9] = 3;
  return gz;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';

export interface DeliveredFile {
  /** Path relative to the workspace root, with forward slashes. */
  relPath: string;
  records: number;
}

/** Writes the events under `root` (the workspace folder); returns the files in the order written. */
export async function deliverTrail(root: string, account: string, events: RecordedEvent[], rng: Random, signal?: AbortSignal): Promise<DeliveredFile[]> {
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.time - b.e.time || a.i - b.i);
  const windows = new Map<string, RecordedEvent[]>();
  for (const { e } of ordered) {
    const key = `${Math.floor(e.time / WINDOW_MS)}|${e.region}`;
    let list = windows.get(key);
    if (!list) windows.set(key, (list = []));
    list.push(e);
  }
  const out: DeliveredFile[] = [];
  for (const [key, list] of windows) {
    throwIfAborted(signal);
    const [windowNo, region] = key.split('|');
    const parts: RecordedEvent[][] = list.length > SPLIT_OVER ? [[], []] : [list];
    if (parts.length === 2) for (const e of list) parts[rng.int(2)].push(e);
    for (const part of parts) {
      if (part.length === 0) continue;
      const delivered = (Number(windowNo) + 1) * WINDOW_MS + rng.int(4) * 60_000;
      const day = new Date(delivered).toISOString().slice(0, 10).split('-');
      const relDir = ['AWSLogs', account, 'CloudTrail', region, ...day].join('/');
      const name = `${account}_CloudTrail_${region}_${stamp(delivered)}_${fileSuffix(rng)}.json.gz`;
      await mkdir(path.join(root, relDir), { recursive: true });
      await writeFile(path.join(root, relDir, name), gzipDeterministic(JSON.stringify({ Records: part.map((e) => e.record) })));
      out.push({ relPath: `${relDir}/${name}`, records: part.length });
    }
  }
  return out;
}

/**
 * One stream of event batches over all input files, which the flattening engine may scan more than once (a second
 * pass for the variants that need each session's length). Plain formats re-read their files on each scan; formats
 * sessionized by inactivity gap (CloudTrail) read once into a GapSessionizer and replay from memory.
 */
import { SecmlError } from '../errors';
import { readCloudTrailFile } from './cloudtrail-reader';
import { readMappedCsv } from './csv-reader';
import { GapSessionizer } from './gap-sessionizer';
import type { InputFile } from './input-files';
import type { EventBatch, ReaderOptions } from './log-event';
import type { ReadContext } from './read-context';
import type { RowIssues } from './row-issues';
import { readSeedTsv } from './seed-format';
import { SharedNames } from './shared-names';

export const DEFAULT_SESSION_GAP_MINUTES = 30;

export interface ScanOptions {
  issues: RowIssues;
  signal?: AbortSignal;
  /** Raw bytes of each file as read (only on scans that actually read files). */
  onRawBytes?: (file: InputFile, chunk: Buffer) => void;
}

/** Reads one file in its format, events in file order (sessions not yet split by gap). */
export function readLogFile(file: string, options: ReaderOptions, ctx: ReadContext): AsyncGenerator<EventBatch> {
  switch (options.format) {
    case 'seed':
      return readSeedTsv(file, ctx);
    case 'csv':
      return readMappedCsv(file, options.columns, ctx);
    case 'cloudtrail':
      return readCloudTrailFile(file, ctx);
    default:
      throw new SecmlError('BAD_ARGUMENT', `Unknown log format "${String((options as { format: unknown }).format)}" (expected seed, cloudtrail or csv)`);
  }
}

/** The gap in ms when the format sessionizes by gap, else undefined. */
export function sessionGapMs(options: ReaderOptions): number | undefined {
  if (options.format === 'cloudtrail') return (options.sessionGapMinutes ?? DEFAULT_SESSION_GAP_MINUTES) * 60000;
  if (options.format === 'csv' && options.sessionGapMinutes !== undefined) {
    if (!options.columns?.time) throw new SecmlError('BAD_ARGUMENT', 'Splitting CSV sessions at a gap needs a time column (--time COL)');
    return options.sessionGapMinutes * 60000;
  }
  return undefined;
}

export class EventSource {
  private sessionizer: GapSessionizer | undefined;

  constructor(
    readonly files: InputFile[],
    readonly options: ReaderOptions,
  ) {
    const gap = sessionGapMs(options);
    if (gap !== undefined) this.sessionizer = new GapSessionizer(gap);
  }

  /** True when the first scan holds every event in memory to sessionize by gap. */
  get sessionizesByGap(): boolean {
    return this.sessionizer !== undefined;
  }

  private scanned = false;

  async *scan(opts: ScanOptions): AsyncGenerator<EventBatch> {
    const gap = this.sessionizer;
    if (gap && this.scanned) {
      yield* gap.batches();
      return;
    }
    // Room for a session per 512 bytes of input, within bounds: an interner that grows rehashes into fresh memory.
    const bytes = this.files.reduce((a, f) => a + f.size, 0);
    const names = new SharedNames(Math.min(65536, Math.max(512, Math.ceil(bytes / 512))));
    for (const f of this.files) {
      const ctx: ReadContext = { issues: opts.issues, signal: opts.signal, onRawBytes: opts.onRawBytes ? (c) => opts.onRawBytes!(f, c) : undefined, names };
      for await (const batch of readLogFile(f.path, this.options, ctx)) {
        if (gap) gap.add(batch);
        else yield batch;
      }
    }
    this.scanned = true;
    if (gap) yield* gap.batches();
  }
}

/** Log readers: seed session TSV, CloudTrail, mapped CSV; format detection; the malformed-row policy. */
export * from './log-event';
export { detectFormat, sniffLogFile, type LogSniff } from './detect-format';
export { readEventBatches, readEvents, type ReadOptions } from './read-events';
export { EventSource, DEFAULT_SESSION_GAP_MINUTES, readLogFile, sessionGapMs, type ScanOptions } from './event-source';
export { listInputFiles, type InputFile } from './input-files';
export { RowIssues } from './row-issues';
export { parseTimestamp } from './timestamp';
export { parseLabel } from './label';
export { SEED_COLUMNS } from './seed-format';

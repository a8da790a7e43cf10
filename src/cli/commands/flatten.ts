/** `secml flatten`: logs -> a dataset folder (one row per session, per variant), with splits and a manifest. */
import type { CommandSpec, ParsedArgs } from '../command';
import { flag, list, num, positionals, str, usageError } from '../args';
import { flattenToDataset, vocabularyFromManifest, type FlattenSummary } from '../../core/features/flatten-dataset';
import { DEFAULT_SPLIT, parseSplitRatios, splitRatiosText } from '../../core/features/split';
import type { LogFormat, ReaderOptions } from '../../core/logs/log-event';
import { progressLine } from '../progress-line';

const FORMATS: LogFormat[] = ['seed', 'cloudtrail', 'csv'];

export const flattenCommand: CommandSpec = {
  name: 'flatten',
  summary: 'Flatten logs into one row per session (bag of events), with truncated variants and splits',
  description: [
    'Reads session logs (the seed\'s TSV, CloudTrail, or any CSV/TSV with --session/--event columns), counts each',
    'session\'s event types over a sorted vocabulary, adds session-time features when the log has times, and writes',
    'train.csv, validation.csv, test.csv (label first, no header: SageMaker\'s XGBoost CSV), sessions.csv and',
    'manifest.json. With several --variant, each goes to DIR/<name>/.',
    '',
    'Variants: full, first:N, last:N, middle:N, drop:P (seeded), min:N; combine with commas (first:5,min:5).',
    '',
    'examples:',
    '  secml flatten mixed-1.txt mixed-2.txt mixed-3.txt --augment known-attacker.txt --out ds \\',
    '      --variant full --variant drop:0.2 --variant first:5 --variant last:5',
    '  secml flatten AWSLogs/ --out ct --gap 15',
    '  secml flatten hdfs.csv --session BlockId --event EventId --label Label --out hdfs',
  ].join('\n'),
  positionals: [{ name: 'FILE_OR_DIR', description: 'log files or folders (read recursively)', required: true, variadic: true }],
  options: [
    { name: 'out', short: 'o', type: 'string', valueName: 'DIR', description: 'output folder (required)' },
    { name: 'format', type: 'string', valueName: 'FORMAT', description: 'seed, cloudtrail or csv (default: detected from content)' },
    { name: 'session', type: 'string', valueName: 'COL', description: 'csv: the session column (header name or 1-based number)' },
    { name: 'event', type: 'string', valueName: 'COL', description: 'csv: the event type column' },
    { name: 'time', type: 'string', valueName: 'COL', description: 'csv: the time column (optional)' },
    { name: 'label', type: 'string', valueName: 'COL', description: 'csv: the label column, 1 = bad (optional)' },
    { name: 'gap', type: 'number', valueName: 'MINUTES', description: 'a session ends after this many idle minutes (CloudTrail: default 30; csv: off unless given)' },
    { name: 'variant', short: 'v', type: 'string', multiple: true, valueName: 'SPEC', description: 'a variant; repeat for several (default: full)' },
    { name: 'vocab', type: 'string', valueName: 'MANIFEST', description: "reuse another dataset's vocabulary (its manifest.json or folder)" },
    { name: 'split', type: 'string', valueName: 'T,V,T', description: 'train,validation,test fractions', default: splitRatiosText(DEFAULT_SPLIT) },
    { name: 'seed', type: 'number', valueName: 'N', description: 'seed for the split and drop:P', default: 1 },
    { name: 'augment', type: 'string', valueName: 'FILE', description: 'an attacker-only log added to training only' },
    { name: 'no-time-features', type: 'boolean', description: 'leave out the session-time features' },
    { name: 'strict', type: 'boolean', description: 'stop at the first malformed row instead of skipping it' },
    { name: 'force', type: 'boolean', description: 'replace an existing dataset in DIR' },
    { name: 'name', type: 'string', valueName: 'NAME', description: 'dataset name in manifests (default: the folder name)' },
    { name: 'threads', type: 'number', valueName: '1|2', description: 'threads for several variants (default: 2 when the input is over 128 MB)' },
  ],
  async run(args, io) {
    const out = str(args, 'out');
    if (!out) throw usageError('--out DIR is required (see: secml flatten --help)');
    const reader = readerOptions(args);
    const vocab = str(args, 'vocab');
    const threads = num(args, 'threads');
    if (threads !== undefined && threads !== 1 && threads !== 2) throw usageError(`--threads must be 1 or 2, got ${threads}`);
    const progress = progressLine(io, flag(args, 'json'));
    const summary = await flattenToDataset(
      positionals(args, 'FILE_OR_DIR'),
      out,
      {
        reader,
        variants: list(args, 'variant'),
        vocabulary: vocab ? await vocabularyFromManifest(vocab) : undefined,
        split: parseSplitRatios(str(args, 'split') ?? splitRatiosText(DEFAULT_SPLIT)),
        seed: num(args, 'seed'),
        augment: str(args, 'augment'),
        timeFeatures: flag(args, 'no-time-features') ? false : undefined,
        name: str(args, 'name'),
        overwrite: flag(args, 'force'),
        threads,
      },
      { signal: io.signal, logger: io.logger, onProgress: progress.update },
    ).finally(progress.done);
    if (flag(args, 'json')) io.out(JSON.stringify(summary, null, 2));
    else io.out(describe(summary));
    return 0;
  },
};

function readerOptions(args: ParsedArgs): Partial<ReaderOptions> {
  const format = str(args, 'format');
  if (format !== undefined && !FORMATS.includes(format as LogFormat)) throw usageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const session = str(args, 'session');
  const event = str(args, 'event');
  const mapped = session !== undefined || event !== undefined || str(args, 'time') !== undefined || str(args, 'label') !== undefined;
  if (mapped && format !== undefined && format !== 'csv') throw usageError('--session/--event/--time/--label map the columns of a csv log; they do not apply to --format ' + format);
  if (mapped && (!session || !event)) throw usageError('a column mapping needs both --session COL and --event COL');
  const reader: Partial<ReaderOptions> = { strict: flag(args, 'strict') };
  if (format) reader.format = format as LogFormat;
  if (mapped) {
    reader.format = 'csv';
    reader.columns = { session: session!, event: event!, time: str(args, 'time'), label: str(args, 'label') };
  }
  const gap = num(args, 'gap');
  if (gap !== undefined) reader.sessionGapMinutes = gap;
  return reader;
}

function describe(s: FlattenSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `${n(s.events)} events, ${n(s.sessions)} sessions (${n(s.positives)} positive${s.unlabelled ? `, ${n(s.unlabelled)} unlabelled` : ''}) from ${s.files} ${s.format} file(s) in ${(s.elapsedMs / 1000).toFixed(2)} s (${n(s.eventsPerSecond)} events/s)`,
    `${s.vocabulary} event types; ${s.features.length} features${s.timeFeatures ? ' (with session-time features)' : ''}`,
  ];
  if (s.augment) lines.push(`augmentation: ${n(s.augment.sessions)} sessions, ${n(s.augment.events)} events added to train${s.augment.droppedOverlapping ? ` (${s.augment.droppedOverlapping} left out: also in the input)` : ''}`);
  if (s.reordered) lines.push(`${n(s.reordered)} session(s) were not in time order in the input and were sorted`);
  const unseen = Object.keys(s.unseen);
  if (unseen.length) lines.push(`${unseen.length} event type(s) not in the vocabulary counted as __other__: ${unseen.slice(0, 5).join(', ')}${unseen.length > 5 ? ', ...' : ''}`);
  if (s.skipped.count) {
    lines.push(`skipped ${n(s.skipped.count)} malformed row(s) (use --strict to stop at the first); first:`);
    for (const r of s.skipped.first.slice(0, 5)) lines.push(`  ${r.file}:${r.line}: ${r.reason}`);
  }
  const w = Math.max(...s.variants.map((v) => v.name.length), 7);
  lines.push('', `${'variant'.padEnd(w)}  sessions  positives  train/validation/test`);
  for (const v of s.variants) {
    const sp = v.splits;
    lines.push(`${v.name.padEnd(w)}  ${n(v.sessions).padStart(8)}  ${n(v.positives).padStart(9)}  ${sp.train.sessions}/${sp.validation.sessions}/${sp.test.sessions}`);
  }
  lines.push('', `wrote ${s.outDir}`);
  return lines.join('\n');
}

import { performance } from 'node:perf_hooks';
import type { CommandSpec } from '../command';
import { flag, num, str, usageError } from '../args';
import { generateSampleWorkspace } from '../../core/sample/sample-workspace';
import type { ProgressEvent } from '../../core/progress';

const fmt = (x: number) => x.toLocaleString('en-US');

export const sampleCommand: CommandSpec = {
  name: 'sample',
  summary: 'Create a sample workspace: realistic session logs, CloudTrail files and an experiment spec',
  description: [
    'Writes known-attacker.txt, mixed-1.txt .. mixed-3.txt and single.txt (tab-separated session logs in the seed\'s',
    'format), AWSLogs/<account>/CloudTrail/... (two days of CloudTrail with a small incident), sample.secml.json',
    '(an experiment spec), queries/hunting.sql and README.md. The same --seed and --scale always give identical files.',
    '',
    'examples:',
    '  secml sample --out ~/secml-sample',
    '  secml sample --out /tmp/big --scale 40        # about 10M rows in the training files, for benchmarks',
  ].join('\n'),
  options: [
    { name: 'out', short: 'o', type: 'string', valueName: 'DIR', description: 'Folder to write the workspace into (created if missing). Required.' },
    { name: 'seed', type: 'number', valueName: 'N', description: 'Random seed: the same seed gives byte-identical files.', default: 42 },
    { name: 'scale', type: 'number', valueName: 'S', description: 'Multiply the number of sessions (1 = about the seed\'s 256k rows; 40 = about 10M).', default: 1 },
    { name: 'force', short: 'f', type: 'boolean', description: 'Overwrite sample files already in DIR (without it, existing files are never touched).' },
  ],
  async run(args, io) {
    const out = str(args, 'out');
    if (!out) throw usageError('missing --out DIR (see: secml sample --help)');
    const seed = num(args, 'seed')!;
    const scale = num(args, 'scale')!;
    if (!Number.isSafeInteger(seed)) throw usageError(`--seed expects a whole number, got ${seed}`);
    if (!(scale > 0 && scale <= 1000)) throw usageError(`--scale expects a number above 0 and at most 1000, got ${scale}`);
    const json = flag(args, 'json');
    let lastLine = '';
    const onProgress = (p: ProgressEvent) => {
      if (json || !p.message) return;
      const pct = p.fraction !== undefined ? `${Math.floor(p.fraction * 100)}% ` : '';
      const line = `${pct}${p.message}`;
      if (line === lastLine) return;
      // On a terminal, each progress line replaces the previous one (cursor up, clear line).
      io.err(io.isTTY && lastLine ? `\x1b[1A\x1b[2K${line}` : line);
      lastLine = line;
    };
    const t0 = performance.now();
    const summary = await generateSampleWorkspace(out, { seed, scale, force: flag(args, 'force') }, { signal: io.signal, onProgress, logger: io.logger });
    const seconds = (performance.now() - t0) / 1000;
    if (json) {
      io.out(JSON.stringify({ ...summary, seconds: Number(seconds.toFixed(2)), rowsPerSecond: Math.round(summary.totals.rows / seconds) }));
      return 0;
    }
    io.out(`Sample workspace written to ${summary.outDir} (seed ${seed}, scale ${scale}) in ${seconds.toFixed(1)} s:`);
    const w = Math.max(...summary.sessionLogs.map((f) => f.file.length));
    for (const f of summary.sessionLogs) {
      io.out(`  ${f.file.padEnd(w)}  ${fmt(f.rows).padStart(11)} rows  ${fmt(f.sessions).padStart(9)} sessions  ${fmt(f.attackerSessions).padStart(7)} attacker sessions`);
    }
    io.out(`  ${summary.cloudTrail.folder}/  ${fmt(summary.cloudTrail.events)} events in ${fmt(summary.cloudTrail.files)} files (${summary.cloudTrail.attackEvents} from the intruder)`);
    io.out(`  sample.secml.json, queries/hunting.sql, README.md`);
    io.out(`${fmt(summary.totals.rows)} session-log rows at ${fmt(Math.round(summary.totals.rows / seconds))} rows/s. Next: open ${summary.outDir} in VS Code, or see its README.md.`);
    return 0;
  },
};

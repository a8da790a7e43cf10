/**
 * DuckDB over 1M generated CloudTrail events (AWSLogs layout, .json.gz, 1,000 events per file), written to a temp folder
 * at bench time and deleted afterwards. Measures the two questions of the issue (count by eventname, top principals)
 * through the `cloudtrail` view (every query re-reads the files) and on the materialized table (load once, then
 * query), against a peer measured in the same run: plain Node.js (gunzip + JSON.parse + Map counts) over the same files.
 *
 *   node --import tsx bench/query-duckdb.bench.ts [--events=1000000] [--quick]   (--quick = 100,000 events)
 */
import { promises as fs, mkdtempSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBEngine } from '../src/core/query/duckdb-engine';
import { collectRows } from '../src/core/query/engine';
import { generateCloudTrail } from './query-cloudtrail-generator';

const COUNT_BY_EVENTNAME = 'select eventname, count(*) as n from cloudtrail group by eventname order by n desc, eventname';
const TOP_PRINCIPALS = 'select useridentity.arn as principal, count(*) as n from cloudtrail group by 1 order by n desc, principal limit 20';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** The peer: what a script would do without a query engine. */
async function nodeCounts(root: string): Promise<{ byName: Map<string, number>; byPrincipal: Map<string, number> }> {
  const byName = new Map<string, number>();
  const byPrincipal = new Map<string, number>();
  for (const f of listFiles(root)) {
    const records = JSON.parse(gunzipSync(await fs.readFile(f)).toString('utf8')).Records as { eventName: string; userIdentity?: { arn?: string } }[];
    for (const r of records) {
      byName.set(r.eventName, (byName.get(r.eventName) ?? 0) + 1);
      const arn = r.userIdentity?.arn ?? '';
      byPrincipal.set(arn, (byPrincipal.get(arn) ?? 0) + 1);
    }
  }
  return { byName, byPrincipal };
}

async function main(): Promise<void> {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const events = Number(arg('events') ?? (process.argv.includes('--quick') ? 100_000 : 1_000_000));
  if (!Number.isInteger(events) || events < 1000) throw new Error('--events must be a whole number of at least 1000');
  const root = mkdtempSync(path.join(os.tmpdir(), 'secml-bench-cloudtrail-'));
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  try {
    const gen = await timed(() => generateCloudTrail(root, events));
    console.log(`generated ${events.toLocaleString()} events in ${gen.value.files} files (${(gen.value.bytes / 1e6).toFixed(0)} MB gzipped) in ${fmt(gen.ms)}; load: ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);

    // Opening finds the files, sniffs each and scans its JSON nesting depth (the guard against DuckDB's crash on deep JSON).
    const viewOpen = await timed(() => DuckDBEngine.open({ logs: [root], materialize: false }));
    const view = viewOpen.value;
    const run = async (engine: DuckDBEngine, sql: string) => {
      const exec = await engine.run({ sql });
      const r = await collectRows(exec);
      await exec.close();
      return r.rows;
    };
    const vName = await timed(() => run(view, COUNT_BY_EVENTNAME));
    const vTop = await timed(() => run(view, TOP_PRINCIPALS));
    await view.dispose();

    const load = await timed(() => DuckDBEngine.open({ logs: [root], materialize: true }));
    const table = load.value;
    const tName = await timed(() => run(table, COUNT_BY_EVENTNAME));
    const tTop = await timed(() => run(table, TOP_PRINCIPALS));
    const rss = process.memoryUsage().rss;
    await table.dispose();

    const peer = await timed(() => nodeCounts(root));

    // The answers agree with the generator's own counts and with the peer.
    const expected = gen.value.countsByEventName;
    if (vName.value.length !== expected.size || vName.value.some(([n, c]) => expected.get(String(n)) !== c)) throw new Error('DuckDB counts by eventname differ from the generator');
    if (JSON.stringify(vName.value) !== JSON.stringify(tName.value)) throw new Error('view and table disagree');
    const topArn = String(vTop.value[0][0]);
    if (peer.value.byPrincipal.get(topArn) !== vTop.value[0][1]) throw new Error('top principal count differs from the peer');

    const rows = [
      ['open the view (find, sniff, depth-check every file)', viewOpen.ms],
      ['count by eventname, view (reads the files)', vName.ms],
      ['top principals, view (reads the files)', vTop.ms],
      ['open + load into memory (materialize, once)', load.ms],
      ['count by eventname, materialized', tName.ms],
      ['top principals, materialized', tTop.ms],
      ['peer: Node gunzip + JSON.parse + Map (both counts)', peer.ms],
    ] as const;
    console.log(`\nDuckDB ${events.toLocaleString()} CloudTrail events`);
    for (const [label, ms] of rows) console.log(`  ${label.padEnd(52)} ${fmt(ms).padStart(9)}`);
    console.log(`  ratio peer / view (count by eventname)                ${(peer.ms / vName.ms).toFixed(1)}x`);
    console.log(`  ratio peer / materialized (count by eventname)        ${(peer.ms / tName.ms).toFixed(0)}x`);
    console.log(`  process RSS with the table loaded                     ${(rss / 1e6).toFixed(0)} MB`);
    const resultsDir = path.join(__dirname, 'results');
    await fs.mkdir(resultsDir, { recursive: true });
    await fs.writeFile(
      path.join(resultsDir, 'query-duckdb.json'),
      JSON.stringify({ events, files: gen.value.files, gzBytes: gen.value.bytes, loadavg: os.loadavg()[0], cores: os.cpus().length, ms: Object.fromEntries(rows), rssBytes: rss }, null, 2),
    );
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

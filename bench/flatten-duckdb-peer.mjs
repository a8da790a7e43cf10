// DuckDB as a peer of `secml flatten` in the flatten benchmark: the six seed variants with SQL window functions
// and PIVOT, each written to a CSV, through @duckdb/node-api in this process.
// usage: node bench/flatten-duckdb-peer.mjs OUTDIR FILE...   -> prints JSON {"seconds", "rows", "sessions"}
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

const [out, ...files] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const q = (s) => `'${s.replace(/'/g, "''")}'`;
const t0 = performance.now();
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(`CREATE TABLE t AS SELECT SessionNo, CAST(LogTime AS TIMESTAMP) AS LogTime, CAST(Act AS VARCHAR) AS Act, BadActor, row_number() OVER () AS seq
  FROM read_csv([${files.map(q).join(', ')}], delim = '\t', header = true, types = {'Act': 'VARCHAR'})`);
await c.run(`CREATE TABLE o AS SELECT SessionNo, Act,
  row_number() OVER (PARTITION BY SessionNo ORDER BY LogTime, seq) - 1 AS pos,
  count(*) OVER (PARTITION BY SessionNo) AS n,
  row_number() OVER (PARTITION BY SessionNo ORDER BY hash(seq, 1)) AS r
  FROM t`);
const vocab = (await (await c.runAndReadAll('SELECT DISTINCT Act FROM t ORDER BY Act')).getRows()).map((r) => String(r[0]));
const variants = {
  full: 'true',
  'drop0.2': 'r <= greatest(1, round(0.8 * n))',
  first5: 'pos < 5',
  first10: 'pos < 10',
  last5: 'pos >= n - 5',
  last10: 'pos >= n - 10',
};
for (const [name, where] of Object.entries(variants)) {
  await c.run(`COPY (
    SELECT l.label, p.* FROM (PIVOT (SELECT SessionNo, Act FROM o WHERE ${where}) ON Act IN (${vocab.map(q).join(', ')}) USING count(*) GROUP BY SessionNo) p
    JOIN (SELECT SessionNo, max(BadActor) AS label FROM t GROUP BY SessionNo) l USING (SessionNo)
  ) TO ${q(path.join(out, name + '.csv'))} (HEADER)`);
}
const rows = Number((await (await c.runAndReadAll('SELECT count(*) FROM t')).getRows())[0][0]);
const sessions = Number((await (await c.runAndReadAll('SELECT count(DISTINCT SessionNo) FROM t')).getRows())[0][0]);
const seconds = (performance.now() - t0) / 1000;
c.closeSync();
db.closeSync();
console.log(JSON.stringify({ seconds, rows, sessions }));

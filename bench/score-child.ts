// One measured step of the score benchmark, in its own process (bundled by bench/score.bench.ts so it runs like the
// product): `flatten` = read + flatten with the model's vocabulary only; `score` = read + flatten + score + rank, then the
// metrics when labelled (timed apart). Prints {seconds, rows, sessions, flagged, ...} as JSON; for `score`, `seconds`
// excludes the metrics and `metricsSeconds` has them.
import { flattenForScoring } from '../src/core/features/scoring-table';
import { loadLocalScoringModel } from '../src/core/scoring/local-model';
import { scoreLogs } from '../src/core/scoring/score-logs';

async function main(): Promise<void> {
  const [mode, modelDir, ...inputs] = process.argv.slice(2);
  const model = await loadLocalScoringModel(modelDir);
  const t0 = performance.now();
  if (mode === 'flatten') {
    const t = await flattenForScoring(inputs, model.info);
    process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000, rows: t.events, sessions: t.n, flagged: null }));
  } else {
    const r = await scoreLogs(inputs, model);
    const total = (performance.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ seconds: total - r.seconds.metrics, withMetrics: total, rows: r.table.events, sessions: r.table.n, flagged: r.flagged, flattenSeconds: r.seconds.flatten, scoreSeconds: r.seconds.score, rankSeconds: r.seconds.rank, metricsSeconds: r.seconds.metrics }));
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});

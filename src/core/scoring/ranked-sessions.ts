/**
 * The ranked sessions of a score run as the results panel pages through them: a threshold that can move, a search over
 * session ids and event types, "flagged only", and pages of rows with each session's top event counts. A page holds
 * only what is shown (a log may have a million sessions); the scores stay here.
 */
import { OTHER_COLUMN } from '../features/feature-columns';
import { countFlagged, labelledMetrics, type ScoreResult } from './score-logs';

export interface SessionRow {
  /** 1-based rank by probability. */
  rank: number;
  /** Index in the score result's session table. */
  index: number;
  id: string;
  probability: number;
  flagged: boolean;
  label?: 0 | 1;
  events: number;
  firstTime?: number;
  lastTime?: number;
  file: string;
  line: number;
  firstEvents: string[];
  lastEvents: string[];
  /** The session's most frequent event types in the model's vocabulary (unseen ones as __other__), most first. */
  counts: [string, number][];
}

export interface SessionQuery {
  /** Case-insensitive text found in the session id or one of its event types. */
  text: string;
  flaggedOnly: boolean;
}

export const TOP_COUNTS = 8;

export class RankedSessions {
  private cache: { key: string; ranks: Uint32Array | null } | undefined;
  private readonly countColumns: number[];
  flagged: number;

  constructor(readonly result: ScoreResult) {
    this.flagged = result.flagged;
    const vocab = new Set(result.info.vocabulary);
    this.countColumns = result.table.features.map((f, j) => (vocab.has(f) || f === OTHER_COLUMN ? j : -1)).filter((j) => j >= 0);
  }

  get threshold(): number {
    return this.result.threshold;
  }

  get total(): number {
    return this.result.table.n;
  }

  /** Moves the threshold: flagged count and metrics follow. */
  setThreshold(threshold: number): void {
    const r = this.result;
    r.threshold = threshold;
    r.flagged = countFlagged(r.scores, threshold);
    this.flagged = r.flagged;
    const m = labelledMetrics(r.table.labels, r.scores, threshold);
    r.metrics = m.metrics;
    this.cache = undefined;
  }

  /** Ranks (0-based) matching the query, best first; null means every rank. */
  private matches(q: SessionQuery): Uint32Array | null {
    const text = q.text.trim().toLowerCase();
    const key = `${q.flaggedOnly ? 1 : 0}\u0000${text}`;
    if (this.cache?.key === key) return this.cache.ranks;
    const limit = q.flaggedOnly ? this.flagged : this.total;
    let ranks: Uint32Array | null;
    if (!text) ranks = q.flaggedOnly ? Uint32Array.from({ length: limit }, (_, k) => k) : null;
    else {
      const { table, order } = this.result;
      const F = table.features.length;
      const columns = this.countColumns.filter((j) => table.features[j].toLowerCase().includes(text));
      const found: number[] = [];
      for (let k = 0; k < limit; k++) {
        const i = order[k];
        const s = table.sessions[i];
        let hit = s.id.toLowerCase().includes(text);
        for (let c = 0; !hit && c < columns.length; c++) hit = table.rows[i * F + columns[c]] > 0;
        if (!hit) hit = s.firstEvents.some((e) => e.toLowerCase().includes(text)) || s.lastEvents.some((e) => e.toLowerCase().includes(text));
        if (hit) found.push(k);
      }
      ranks = Uint32Array.from(found);
    }
    this.cache = { key, ranks };
    return ranks;
  }

  /** How many sessions match. */
  count(q: SessionQuery): number {
    const m = this.matches(q);
    return m ? m.length : this.total;
  }

  /** Rows `start .. start+count` of the matching sessions. */
  page(q: SessionQuery, start: number, count: number): SessionRow[] {
    const m = this.matches(q);
    const total = m ? m.length : this.total;
    const rows: SessionRow[] = [];
    for (let k = Math.max(0, start); k < Math.min(total, start + count); k++) rows.push(this.rowAtRank(m ? m[k] : k));
    return rows;
  }

  rowAtRank(rank: number): SessionRow {
    const { table, order, scores } = this.result;
    const i = order[rank];
    const s = table.sessions[i];
    const F = table.features.length;
    const counts: [string, number][] = [];
    for (const j of this.countColumns) {
      const v = table.rows[i * F + j];
      if (v > 0) counts.push([table.features[j], v]);
    }
    counts.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return {
      rank: rank + 1,
      index: i,
      id: s.id,
      probability: scores[i],
      flagged: scores[i] >= this.result.threshold,
      ...(s.label !== undefined ? { label: s.label } : {}),
      events: s.events,
      ...(s.firstTime !== undefined ? { firstTime: s.firstTime, lastTime: s.lastTime } : {}),
      file: s.file,
      line: s.firstLine,
      firstEvents: s.firstEvents,
      lastEvents: s.lastEvents,
      counts: counts.slice(0, TOP_COUNTS),
    };
  }

  /** The session at a table index (for "open in the log"). */
  session(index: number) {
    return this.result.table.sessions[index];
  }
}

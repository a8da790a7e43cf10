/**
 * The one timestamp SecML Lab puts in names (experiment launches, SageMaker jobs, model and export folders): UTC, so that
 * a name means the same instant on every machine and sorts in time order.
 */

/** `YYYYMMDD-HHMMSS` in UTC. */
export function utcStamp(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** LogTime as the seed wrote it: `2019-07-01 13:45:12.123` (UTC, millisecond precision; pandas.to_datetime parses it). */

export function formatLogTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.slice(0, 10) + ' ' + iso.slice(11, 23);
}

export function utcMs(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad date ${iso}`);
  return t;
}

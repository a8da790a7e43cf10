/**
 * How an Athena run's data scanned and estimated cost read in the results panel and the CLI: sizes in decimal units
 * with sub-0.1 MB shown as "<0.1 MB" (not a misleading "0.0 MB"), dollars to one or two significant digits below $1
 * (not "$0.0000"), and a note when the 10 MB per-query minimum is what is billed.
 */
import { ATHENA_MIN_BILLED_BYTES } from './engine';

/** "0 MB", "<0.1 MB", "12.3 MB", "3.22 GB", "1.50 TB". */
export function formatBytesScanned(bytes: number): string {
  if (bytes <= 0) return '0 MB';
  const mb = bytes / 1e6;
  if (mb < 0.1) return '<0.1 MB';
  if (mb < 1000) return `${mb.toFixed(1)} MB`;
  if (mb < 1e6) return `${(mb / 1e3).toFixed(2)} GB`;
  return `${(mb / 1e6).toFixed(2)} TB`;
}

/** "$0", "$0.00005", "$0.015", "$0.48", "$12.50": small amounts keep their significant digits, never an exponent. */
export function formatUsd(usd: number): string {
  if (!(usd > 0)) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  const significant = usd < 0.001 ? 1 : 2;
  const decimals = Math.min(12, significant - 1 - Math.floor(Math.log10(usd)));
  return `$${Number(usd.toPrecision(significant)).toFixed(decimals).replace(/(\.\d*?[1-9])0+$/, '$1')}`;
}

/** ["<0.1 MB scanned", "~$0.00005 (10 MB minimum)"]: the panel joins them with " · ", the CLI with ", ". */
export function describeAthenaScan(bytesScanned: number, costUsd: number | undefined): [string, string] {
  const cost = costUsd ?? 0;
  const minimum = cost > 0 && bytesScanned < ATHENA_MIN_BILLED_BYTES ? ' (10 MB minimum)' : '';
  return [`${formatBytesScanned(bytesScanned)} scanned`, `~${formatUsd(cost)}${minimum}`];
}

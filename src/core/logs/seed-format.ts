/**
 * The seed's session log: tab-separated, header `SessionNo LogTime CustID GroupID ProfID Act BadActor` (columns found
 * by name, in any order; a headerless file in the seed's column order is accepted too).
 */
import { readDelimited, notAHeader, type DelimitedLayout } from './delimited-reader';
import type { EventBatch } from './log-event';
import type { ReadContext } from './read-context';

export const SEED_COLUMNS = ['SessionNo', 'LogTime', 'CustID', 'GroupID', 'ProfID', 'Act', 'BadActor'];

const NAMES = { session: 'SessionNo', event: 'Act', time: 'LogTime', label: 'BadActor' };

/** The layout from a header line, the seed's default layout for a headerless 7-field line, or undefined. */
export function seedLayout(firstLine: string): { layout: DelimitedLayout; header: boolean } | undefined {
  const names = firstLine.split('\t').map((f) => f.trim().replace(/^"(.*)"$/, '$1').toLowerCase());
  const at = (n: string) => names.indexOf(n.toLowerCase());
  if (at('SessionNo') >= 0 && at('Act') >= 0) {
    return { header: true, layout: { delimiter: '\t', fields: names.length, session: at('SessionNo'), event: at('Act'), time: at('LogTime'), label: at('BadActor'), names: NAMES } };
  }
  if (names.length === SEED_COLUMNS.length) return { header: false, layout: { delimiter: '\t', fields: 7, session: 0, event: 5, time: 1, label: 6, names: NAMES } };
  return undefined;
}

export function readSeedTsv(file: string, ctx: ReadContext): AsyncGenerator<EventBatch> {
  return readDelimited(
    file,
    (line, f, n) => seedLayout(line) ?? notAHeader(f, n, `not in the seed's session format: expected a tab-separated header "${SEED_COLUMNS.join(' ')}"`),
    ctx,
  );
}

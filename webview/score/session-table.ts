/**
 * The ranked sessions, one page at a time: rank, probability, session (a link to its first line in the log when the
 * format allows), label, events, start and span, then the first and last events over the most frequent event types.
 * Every value from the logs is a text node.
 */
import { el, formatDuration, formatNumber } from '../shared/dom';
import type { SessionRowView } from './protocol';

export interface SessionTableOptions {
  canOpenLines: boolean;
  hasLabels: boolean;
  openSession(index: number): void;
}

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** `a b c d e … v w x y z`; sessions of up to ten events show each event once. */
function eventsText(r: SessionRowView): string {
  if (r.events <= r.firstEvents.length) return r.firstEvents.join(' ');
  const tail = r.lastEvents.slice(Math.max(0, r.lastEvents.length - (r.events - r.firstEvents.length)));
  const gap = r.events > r.firstEvents.length + r.lastEvents.length ? ' … ' : ' ';
  return `${r.firstEvents.join(' ')}${gap}${tail.join(' ')}`;
}

function sessionCell(r: SessionRowView, o: SessionTableOptions): HTMLElement {
  if (!o.canOpenLines) return el('td', { class: 'session mono', title: r.id }, r.id);
  const link = el('button', { class: 'link mono', type: 'button', title: `Open ${r.file} at line ${r.line}` }, r.id);
  link.addEventListener('click', () => o.openSession(r.index));
  return el('td', { class: 'session' }, link);
}

function row(r: SessionRowView, o: SessionTableOptions): HTMLElement {
  const span = r.firstTime !== undefined && r.lastTime !== undefined ? formatDuration((r.lastTime - r.firstTime) / 1000) : '–';
  return el(
    'tr',
    { class: r.flagged ? 'flagged' : '', 'data-index': r.index },
    el('td', { class: 'num' }, formatNumber(r.rank)),
    el('td', { class: 'prob' }, el('span', { class: 'prob-wrap' }, el('meter', { min: 0, max: 1, value: r.probability, 'aria-hidden': 'true' }), el('span', { class: 'num' }, r.probability.toFixed(4)))),
    el('td', { class: 'flag' }, r.flagged ? el('span', { class: 'badge-flagged' }, 'flagged') : ''),
    sessionCell(r, o),
    o.hasLabels ? el('td', { class: `label label-${r.label ?? 'none'}` }, r.label === 1 ? 'attacker' : r.label === 0 ? 'normal' : '–') : null,
    el('td', { class: 'num' }, formatNumber(r.events)),
    el('td', { class: 'mono' }, r.firstTime !== undefined ? utc(r.firstTime) : '–'),
    el('td', { class: 'num' }, span),
    el(
      'td',
      { class: 'activity' },
      el('div', { class: 'events mono', title: eventsText(r) }, eventsText(r)),
      el('div', { class: 'counts muted' }, ...r.counts.flatMap(([t, c], k) => [k ? ' ' : null, el('span', { class: 'count mono' }, `${t} ×${formatNumber(c)}`)])),
    ),
  );
}

export function sessionTable(rows: SessionRowView[], o: SessionTableOptions): HTMLElement {
  const head = ['#', 'Probability', '', 'Session', ...(o.hasLabels ? ['Label'] : []), 'Events', 'Start (UTC)', 'Span', 'Events: first … last, most frequent'];
  return el(
    'table',
    { class: 'grid sessions', 'aria-label': 'Sessions ranked by attack probability' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => row(r, o))),
  );
}

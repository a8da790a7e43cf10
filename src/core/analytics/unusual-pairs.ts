/**
 * Unusual principal/address pairs in CloudTrail: every event is replayed in time order through an IpHistory, and each
 * distinct <principal, address> pair active in the scored window is judged once, at its first event in the window,
 * against everything before that event (earlier days in the input are history only). So "ci-deploy, which has only
 * ever called from the CI runner's network, suddenly calls from an address nobody in the account has used" is caught
 * the moment it happens, and the pairs a principal keeps using afterwards do not hide it.
 */
import { IpHistory, type NoveltyLevel } from './ip-history';
import { timeOrder, type AddressEvents } from './cloudtrail-addresses';

export interface UnusualPair {
  principal: string;
  address: string;
  /** principal novelty x account novelty (see ip-history.ts), in [0, 1]. */
  score: number;
  principalNovelty: number;
  accountNovelty: number;
  /** How new the address was for the principal / the account at the pair's first event. */
  level: NoveltyLevel;
  accountLevel: NoveltyLevel;
  /** The principal's events and distinct addresses before that first event. */
  principalEvents: number;
  principalAddresses: number;
  /** Distinct principals that had used the address before. */
  addressPrincipals: number;
  /** Events of this pair in the window. */
  events: number;
  firstTime: string;
  lastTime: string;
  /** The pair's first call, `eventSource:eventName`, and where it is. */
  firstEvent: string;
  file: string;
  line: number;
}

export interface PairWindow {
  /** Scored window [from, to) in ms since the epoch; events before `from` are history only, after `to` ignored. */
  from?: number;
  to?: number;
}

export interface UnusualPairsResult {
  /** Every pair active in the window, highest score first. */
  pairs: UnusualPair[];
  /** Events (with an address) in the window, and before it (history only). */
  windowEvents: number;
  historyEvents: number;
  principals: number;
  addresses: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Scores every <principal, address> pair active in the window (all events when no window is given). */
export function findUnusualPairs(ev: AddressEvents, window: PairWindow = {}): UnusualPairsResult {
  const from = window.from ?? -Infinity;
  const to = window.to ?? Infinity;
  const history = new IpHistory();
  const pairs = new Map<number, UnusualPair>();
  const order = timeOrder(ev);
  const stride = ev.addresses.length;
  let windowEvents = 0;
  let historyEvents = 0;
  const principals = new Set<number>();
  const addresses = new Set<number>();
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const t = ev.time[i];
    if (t >= to) break;
    const p = ev.principal[i];
    const a = ev.address[i];
    const address = ev.addresses[a];
    const principal = ev.principals[p];
    if (t >= from) {
      windowEvents++;
      principals.add(p);
      addresses.add(a);
      const key = p * stride + a;
      let pair = pairs.get(key);
      if (!pair) {
        const s = history.score(principal, address);
        pair = {
          principal,
          address: address.ip!,
          score: s.score,
          principalNovelty: s.principal.novelty,
          accountNovelty: s.account.novelty,
          level: s.principal.level,
          accountLevel: s.account.level,
          principalEvents: s.principal.events,
          principalAddresses: s.principalAddresses,
          addressPrincipals: s.addressPrincipals,
          events: 0,
          firstTime: iso(t),
          lastTime: iso(t),
          firstEvent: ev.types[ev.type[i]],
          file: ev.files[ev.file[i]],
          line: ev.line[i],
        };
        pairs.set(key, pair);
      }
      pair.events++;
      pair.lastTime = iso(t);
    } else {
      historyEvents++;
    }
    history.add(principal, address);
  }
  const list = [...pairs.values()].sort((x, y) => y.score - x.score || (x.firstTime < y.firstTime ? -1 : x.firstTime > y.firstTime ? 1 : 0) || (x.principal < y.principal ? -1 : 1));
  return { pairs: list, windowEvents, historyEvents, principals: principals.size, addresses: addresses.size };
}

/** A fitted history of every event (to score tuples from elsewhere, e.g. GuardDuty findings). */
export function fitIpHistory(ev: AddressEvents): IpHistory {
  const h = new IpHistory();
  const order = timeOrder(ev);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    h.add(ev.principals[ev.principal[i]], ev.addresses[ev.address[i]]);
  }
  return h;
}

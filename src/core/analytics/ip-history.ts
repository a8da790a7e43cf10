/**
 * The local, explainable model of which addresses each principal uses: counts per principal (and for the whole
 * account) of each address, its subnet (/24, IPv6 /64) and network (/16, IPv6 /48), kept in plain Maps as events
 * stream in. A new event is judged at the most specific level its history knows:
 *
 *   known address | new address in a known subnet | new subnet in a known network | new network | no history
 *
 * and gets a tail probability e, the estimated chance that the history's next event is at least as unusual: the
 * Witten-Bell estimate (with one pseudo-count) that a history of n events with D distinct keys at that level produces
 * something new, plus the events of every subnet (network) used no more often than the event's own known one:
 *
 *   e = min(1, (D + 1 + sum of c_s over s with c_s <= c_known) / (n + D + 1))
 *
 * (D counts distinct addresses for the first two levels, subnets for the third, networks for the last; c_known is the
 * events in the event's subnet, or its network for the third level, and the sum is empty for a new network. The
 * history's busiest subnet has e = 1; with no history e = 1.)
 * A level's novelty is its surprise in bits over FULL_NOVELTY_BITS, capped at 1: novelty = min(1, log2(1 / e) / 10),
 * so an event its history gives a 1-in-1024 chance (or less) is entirely novel and a coin flip is 0.1. The principal's
 * novelty is taken over its own history, the account's over every principal's, and
 *
 *   score = principal novelty x account novelty, in [0, 1]
 *
 * So a pair scores high only when this principal rarely changes networks AND the address is new (or rare) for the
 * whole account; an address shared across the account, or a principal that roams, scores low; a principal seen for
 * the first time has no habits to break and scores 0 (level `no-history`). Deterministic, O(1) per event.
 */
import type { SourceAddress } from './source-address';

/** Surprise (bits) at which a level's novelty reaches 1. */
export const FULL_NOVELTY_BITS = 10;

export type NoveltyLevel = 'known-address' | 'new-address' | 'new-subnet' | 'new-network' | 'no-history';

export interface Novelty {
  level: NoveltyLevel;
  /** min(1, log2(1/e) / 10), in [0, 1]: 0 = entirely usual for this history. */
  novelty: number;
  /** Events in the history. */
  events: number;
}

export interface PairScore {
  /** principal novelty x account novelty, in [0, 1]. */
  score: number;
  principal: Novelty;
  account: Novelty;
  /** Distinct addresses the principal used before. */
  principalAddresses: number;
  /** Distinct principals that used this exact address before. */
  addressPrincipals: number;
}

/** Events of the keys used at most `count` times (the history's mass at least as rare as a key used `count` times). */
function massAtMost(counts: Map<string, number>, count: number): number {
  let sum = 0;
  for (const c of counts.values()) if (c <= count) sum += c;
  return sum;
}

class Usage {
  n = 0;
  readonly addresses = new Map<string, number>();
  readonly subnets = new Map<string, number>();
  readonly networks = new Map<string, number>();

  /** Adds `count` events; returns true when the address was new to this history. */
  add(a: SourceAddress, count: number): boolean {
    this.n += count;
    const before = this.addresses.get(a.ip!) ?? 0;
    this.addresses.set(a.ip!, before + count);
    this.subnets.set(a.net24!, (this.subnets.get(a.net24!) ?? 0) + count);
    this.networks.set(a.net16!, (this.networks.get(a.net16!) ?? 0) + count);
    return before === 0;
  }

  novelty(a: SourceAddress): Novelty {
    const n = this.n;
    if (n === 0) return { level: 'no-history', novelty: 0, events: 0 };
    const inSubnet = this.subnets.get(a.net24!) ?? 0;
    const inNetwork = this.networks.get(a.net16!) ?? 0;
    let level: NoveltyLevel;
    let distinct: number;
    let known: number;
    if (inSubnet > 0) {
      level = this.addresses.has(a.ip!) ? 'known-address' : 'new-address';
      distinct = this.addresses.size;
      known = inSubnet;
    } else if (inNetwork > 0) {
      level = 'new-subnet';
      distinct = this.subnets.size;
      known = inNetwork;
    } else {
      level = 'new-network';
      distinct = this.networks.size;
      known = 0;
    }
    const usual = known === 0 ? 0 : massAtMost(level === 'new-subnet' ? this.networks : this.subnets, known);
    const tail = Math.min(1, (distinct + 1 + usual) / (n + distinct + 1));
    return { level, novelty: Math.min(1, Math.log2(1 / tail) / FULL_NOVELTY_BITS), events: n };
  }
}

export class IpHistory {
  private readonly principals = new Map<string, Usage>();
  private readonly account = new Usage();
  /** Distinct principals per exact address. */
  private readonly users = new Map<string, number>();

  /** Events added so far. */
  get events(): number {
    return this.account.n;
  }

  get principalCount(): number {
    return this.principals.size;
  }

  /** Records `count` events of `principal` from address `a` (an address of kind 'ip'). */
  add(principal: string, a: SourceAddress, count = 1): void {
    if (a.kind !== 'ip') return;
    let u = this.principals.get(principal);
    if (!u) {
      u = new Usage();
      this.principals.set(principal, u);
    }
    if (u.add(a, count)) this.users.set(a.ip!, (this.users.get(a.ip!) ?? 0) + 1);
    this.account.add(a, count);
  }

  /** How unusual address `a` is for `principal` given everything added so far (the history is not changed). */
  score(principal: string, a: SourceAddress): PairScore {
    const u = this.principals.get(principal);
    const p = u ? u.novelty(a) : ({ level: 'no-history', novelty: 0, events: 0 } as Novelty);
    const acc = this.account.novelty(a);
    return {
      score: p.novelty * acc.novelty,
      principal: p,
      account: acc,
      principalAddresses: u?.addresses.size ?? 0,
      addressPrincipals: this.users.get(a.ip!) ?? 0,
    };
  }
}

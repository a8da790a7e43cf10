/**
 * The site's customers: organisations (CustID) with groups (GroupID) and profiles (ProfID), used with a
 * long-tailed popularity. Attackers log in with stolen credentials of real customers, so their CustIDs are
 * ones innocent users of the same organisation also use.
 */
import type { Behaviour } from './behaviours';
import { cumulativeWeights, type Random } from './prng';

export interface Customer {
  custId: string;
  groups: string[];
}

export interface Account {
  custId: string;
  groupId: string;
  profId: string;
}

const EXTRA_GROUPS = ['lib', 'med', 'law', 'eng', 'bus', 'sci', 'hum', 'remote'];

export class CustomerBase {
  readonly customers: Customer[] = [];
  private readonly popularity: Float64Array;
  /** Customers whose credentials the attacker holds (indices into customers). */
  readonly compromised: number[];

  constructor(rng: Random, count: number, compromisedCount: number) {
    const used = new Set<number>();
    for (let i = 0; i < count; i++) {
      let id = rng.range(1_000_000, 9_999_999);
      while (used.has(id)) id = rng.range(1_000_000, 9_999_999);
      used.add(id);
      const groups = ['main'];
      const extra = rng.chance(0.4) ? 1 + rng.geometric(0.5) : 0;
      for (let g = 0; g < extra && groups.length <= EXTRA_GROUPS.length; g++) {
        const name = rng.pick(EXTRA_GROUPS);
        if (!groups.includes(name)) groups.push(name);
      }
      this.customers.push({ custId: `s${id}`, groups });
    }
    // Zipf-like popularity: a few large universities, a long tail of small libraries.
    this.popularity = cumulativeWeights(this.customers.map((_, i) => 1 / Math.pow(i + 1, 0.8)));
    // Stolen credentials come from mid-sized customers (rank 20..40% of the list), not the giants or the tail.
    const lo = Math.floor(count * 0.02);
    const hi = Math.max(lo + compromisedCount, Math.floor(count * 0.4));
    this.compromised = rng.sample(hi - lo, Math.min(compromisedCount, hi - lo)).map((i) => i + lo);
  }

  /** An account for an innocent session of behaviour `b`. */
  innocentAccount(rng: Random, b: Behaviour): Account {
    const c = this.customers[rng.weighted(this.popularity)];
    return { custId: c.custId, groupId: pickGroup(rng, c), profId: pickProfile(rng, b) };
  }

  /** An account for an attacker session: one of the stolen credentials (`pool` limits which, e.g. those in use lately). */
  attackerAccount(rng: Random, b: Behaviour, pool = this.compromised.length): Account {
    const c = this.customers[this.compromised[rng.int(Math.min(pool, this.compromised.length))]];
    return { custId: c.custId, groupId: pickGroup(rng, c), profId: pickProfile(rng, b) };
  }
}

function pickGroup(rng: Random, c: Customer): string {
  return c.groups.length === 1 || rng.chance(0.7) ? c.groups[0] : c.groups[1 + rng.int(c.groups.length - 1)];
}

const profileWeights = new WeakMap<Behaviour, { names: string[]; cumulative: Float64Array }>();

function pickProfile(rng: Random, b: Behaviour): string {
  let w = profileWeights.get(b);
  if (!w) {
    const names = Object.keys(b.profiles);
    profileWeights.set(b, (w = { names, cumulative: cumulativeWeights(names.map((n) => b.profiles[n])) }));
  }
  return w.names.length === 1 ? w.names[0] : w.names[rng.weighted(w.cumulative)];
}

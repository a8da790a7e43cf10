/**
 * Sessions in progress, ordered by the time of each one's next event (ties by session number), so a file's
 * rows come out time-ordered with concurrent sessions interleaved, as a real log is. Memory holds only the
 * sessions open at the current instant, never the whole file.
 */

export interface OpenSession {
  no: number;
  acts: number[];
  times: number[];
  /** Index of the next event to write. */
  next: number;
  /** `SessionNo\t`, `\tCustID\tGroupID\tProfID\t`, `\tBadActor\n`: the fixed parts of this session's rows (ASCII bytes). */
  head: Uint8Array;
  middle: Uint8Array;
  tail: Uint8Array;
}

function before(a: OpenSession, b: OpenSession): boolean {
  const ta = a.times[a.next];
  const tb = b.times[b.next];
  return ta < tb || (ta === tb && a.no < b.no);
}

export class SessionHeap {
  private readonly items: OpenSession[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The session whose next event comes first. */
  peek(): OpenSession | undefined {
    return this.items[0];
  }

  /** Time of the earliest pending event (Infinity when empty). */
  nextTime(): number {
    const top = this.items[0];
    return top ? top.times[top.next] : Infinity;
  }

  push(s: OpenSession): void {
    const h = this.items;
    h.push(s);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** After the top session's `next` advanced: re-position it, or remove it when it has no events left. */
  advanceTop(): void {
    const h = this.items;
    const top = h[0];
    if (top.next >= top.acts.length) {
      const last = h.pop()!;
      if (h.length === 0) return;
      h[0] = last;
    }
    this.siftDown(0);
  }

  private siftDown(i: number): void {
    const h = this.items;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const c = r < n && before(h[r], h[l]) ? r : l;
      if (!before(h[c], h[i])) return;
      [h[i], h[c]] = [h[c], h[i]];
      i = c;
    }
  }
}

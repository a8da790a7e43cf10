/**
 * What a panel host sends its page, in order: nothing reaches a page before it says `ready`; then its snapshot, then
 * every message posted while the snapshot was being built (newer than the snapshot). Messages posted before `ready`
 * are dropped: the snapshot brings a fresh page up to date. Pure (no `vscode`): unit-tested in plain Node.
 */
export class PageOutbox<Out> {
  private ready = false;
  private queue: Out[] = [];
  /** Bumped whenever the page is re-created: a snapshot built for an older page is not sent. */
  private page = 0;

  constructor(private readonly send: (msg: Out) => void) {}

  /** Sends now if the page is listening, else queues (until `open`). */
  post(msg: Out): void {
    if (this.ready) this.send(msg);
    else this.queue.push(msg);
  }

  /** The page is being re-created: hold everything until it says `ready` again. */
  reset(): void {
    this.ready = false;
    this.queue = [];
    this.page++;
  }

  /** The page said `ready`: sends the snapshot, then what was posted while it was being built. */
  async open(snapshot: () => Out[] | Promise<Out[]>): Promise<void> {
    const page = this.page;
    this.ready = false;
    this.queue = [];
    const snap = await snapshot();
    if (page !== this.page) return;
    this.ready = true;
    for (const m of [...snap, ...this.queue.splice(0)]) this.send(m);
  }
}

/** A slot whose bytes are not known yet (writeLater), or that turned out to have none. */
const EMPTY = Buffer.alloc(0);

/**
 * A connection's output held back behind promises, in order. While anything is held every later
 * write waits too, so frames reach the client in the order the connection produced them:
 * - hold(until): a declare-ok waits for its definitions command on disk (RabbitMQ answers after
 *   its Mnesia transaction), and so does what follows it;
 * - later(bytes): a slot filled when `bytes` resolves (basic.get waiting for a paging queue's
 *   read-ahead).
 * Holds chain: the output goes out once every hold so far has settled.
 */
export class HeldOutput {
  private held: Buffer[] | null = null;
  private chain: Promise<void> | null = null;

  /** `fail`: a hold was rejected (the write it waited for failed); what was held is dropped. */
  constructor(private readonly send: (bytes: Buffer) => void, private readonly fail: (err: Error) => void) {}

  /** Something is held: settles when the output held so far has gone out (or was dropped). */
  get pending(): Promise<void> | null { return this.chain; }

  /** Send now, or keep behind what is held; true when kept. */
  write(bytes: Buffer): boolean {
    if (!this.held) return false;
    this.held.push(bytes);
    return true;
  }

  hold(until: Promise<unknown>): void {
    this.held ??= [];
    const chain: Promise<void> = this.chain = Promise.all([this.chain, until]).then(() => {
      if (this.chain !== chain) return;
      const out = this.held ?? [];
      this.held = null;
      this.chain = null;
      for (const bytes of out) if (bytes !== EMPTY) this.send(bytes);
    }, (err: Error) => {
      this.held = null;
      this.chain = null;
      this.fail(err);
    });
  }

  later(bytes: Promise<Buffer | null>): void {
    this.held ??= [];
    const held = this.held;
    const slot = held.push(EMPTY) - 1;
    this.hold(bytes.then((b) => { if (b) held[slot] = b; }, () => undefined));
  }
}

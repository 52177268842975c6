/**
 * One connection's requests in arrival order, for protocols that answer strictly in request order
 * (ZooKeeper: a read sees the session's earlier writes and none of its later ones, and replies go
 * out in request order; Kafka: responses in request order per connection).
 *
 * Writes are submitted to the log at once, so many share one fsync (group commit); their reply
 * is set when the command is applied. A read waits in the queue until everything before it is
 * answered and then runs — synchronously, inside the apply of the write before it, so it sees
 * exactly the state after that write and before any later one.
 */
/** A reply: one Buffer, or pieces written back to back (a Kafka Fetch response referencing its
 *  stored batches instead of copying them). */
export type ReplyFrame = Buffer | readonly Buffer[];

type Item =
  | { kind: 'write'; reply: ReplyFrame | null; onSent?: () => void }
  | { kind: 'read'; run: () => ReplyFrame | null };

/** Told when a request starts waiting in the queue and when it leaves it (answered or dropped),
 *  so a listener can count outstanding requests across connections. */
export interface QueueObserver {
  added(): void;
  settled(ownLeft: number, count: number): void;
}

export class ReplyQueue {
  private items: Item[] = [];
  private drained: (() => void) | null = null;

  constructor(private readonly send: (frame: ReplyFrame) => void, private readonly observer?: QueueObserver) {}

  /** Requests waiting for their reply (ZooKeeper's per-connection outstanding count). */
  get length(): number { return this.items.length; }

  /** A request answered from current state (reads, pings, sync, watch ops). `run` may return null
   *  when it has nothing to send. */
  read(run: () => ReplyFrame | null): void {
    if (this.items.length === 0) {
      const frame = run();
      if (frame) this.send(frame);
      return;
    }
    this.items.push({ kind: 'read', run });
    this.observer?.added();
  }

  /** A request whose reply comes later; call the returned function with the reply frame. */
  write(onSent?: () => void): (reply: ReplyFrame) => void {
    const item: Item = { kind: 'write', reply: null, ...(onSent ? { onSent } : {}) };
    this.items.push(item);
    this.observer?.added();
    return (reply) => {
      item.reply = reply;
      this.flush();
    };
  }

  /** Run `fn` once every queued request is answered (now if none is pending). */
  whenDrained(fn: () => void): void {
    if (this.items.length === 0) fn();
    else this.drained = fn;
  }

  private flush(): void {
    while (this.items.length > 0) {
      const head = this.items[0]!;
      if (head.kind === 'write') {
        if (!head.reply) return;
        this.items.shift();
        this.send(head.reply);
        this.observer?.settled(this.items.length, 1);
        head.onSent?.();
      } else {
        this.items.shift();
        const frame = head.run();
        if (frame) this.send(frame);
        this.observer?.settled(this.items.length, 1);
      }
    }
    const drained = this.drained;
    this.drained = null;
    drained?.();
  }

  /** The connection closed: nothing more will be sent. */
  clear(): void {
    const dropped = this.items.length;
    this.items = [];
    this.drained = null;
    if (dropped > 0) this.observer?.settled(0, dropped);
  }
}

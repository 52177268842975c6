import type { QueuedMessage } from '../broker/message.js';
import type { AmqpQueue, QueueConsumer } from '../broker/queue.js';
import { countDelivery } from '../broker/stats.js';
import type { Channel } from './channel.js';

/**
 * A basic.consume on a queue. Takes messages while under both prefetch limits — its own
 * (basic.qos global=false at the time it was created) and the channel's shared one (global=true),
 * RabbitMQ's meaning of `global` — and while its connection's socket is not backed up.
 */
export class Consumer implements QueueConsumer {
  unacked = 0;
  private waitingForDrain = false;
  /** The tag's bytes, encoded once for every basic.deliver. */
  private readonly tagBytes: Buffer;

  constructor(readonly channel: Channel, readonly queue: AmqpQueue, readonly tag: string, readonly noAck: boolean,
    readonly exclusive: boolean, readonly prefetch: number) {
    this.tagBytes = Buffer.from(tag, 'utf8');
  }

  canTake(): boolean {
    const ch = this.channel;
    if (!ch.open) return false;
    if (!this.noAck) {
      if (this.prefetch !== 0 && this.unacked >= this.prefetch) return false;
      if (ch.channelPrefetch !== 0 && ch.consumerUnacked >= ch.channelPrefetch) return false;
    }
    if (!ch.conn.writable()) {
      if (!this.waitingForDrain) {
        this.waitingForDrain = true;
        ch.conn.whenWritable(() => {
          this.waitingForDrain = false;
          this.queue.dispatch();
        });
      }
      return false;
    }
    return true;
  }

  deliver(queue: AmqpQueue, entry: QueuedMessage): void {
    const ch = this.channel;
    const tag = ch.nextDeliveryTag();
    // Node, channel and queue message_stats (no array: this runs for every delivery).
    countDelivery(ch.vhost.stats, this.noAck, entry.redelivered);
    countDelivery(ch.stats, this.noAck, entry.redelivered);
    countDelivery(queue.stats, this.noAck, entry.redelivered);
    if (this.noAck) {
      queue.settle(entry);
    } else {
      ch.addUnacked({ tag, queue, entry, consumer: this, deliveredAt: Date.now() });
      this.unacked++;
      ch.consumerUnacked++;
    }
    ch.conn.writeDelivery(ch.id, this.tagBytes, tag, entry.redelivered, entry.message);
  }

  /** consumer_cancel_notify: the queue was deleted under this consumer. */
  cancelledByQueue(queue: AmqpQueue): void {
    void queue;
    this.channel.consumers.delete(this.tag);
    if (this.channel.open && this.channel.conn.hasCapability('consumer_cancel_notify')) {
      this.channel.send('basic.cancel', { consumerTag: this.tag, nowait: true });
    }
  }

  /** Leave the queue; returns true when the queue is auto-delete and this was its last consumer. */
  detach(): void {
    if (this.queue.removeConsumer(this) && !this.queue.deleted) {
      this.channel.broker.definitions.apply({ type: 'queue.delete', vhost: this.queue.def.vhost, name: this.queue.name });
    }
  }
}

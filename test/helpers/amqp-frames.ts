// Frames of an AMQP byte stream for test clients and codec tests, cut by the server's own framer
// (src/amqp/connection/framer.ts), so what the tests read is what the server parses.
import { AmqpFramer } from '../../src/amqp/connection/framer.js';
import type { RawFrame } from '../../src/amqp/protocol/frames.js';

export class FrameSplitter {
  private readonly framer = new AmqpFramer();

  /** `frameMax`: the largest frame accepted, header and end octet included; 0 = no limit (a client
   *  reading what a server sends). */
  constructor(frameMax = 0) { this.framer.frameMax = frameMax; }

  set frameMax(value: number) { this.framer.frameMax = value; }

  /** Bytes received but not yet part of a whole frame. */
  get buffered(): number { return this.framer.buffered; }

  /** The frames `chunk` completes. Payloads are copies: the framer hands out views of its input.
   *  Throws AmqpFrameError (a bad end octet, a frame over frameMax) as the server's connection sees it. */
  push(chunk: Buffer): RawFrame[] {
    this.framer.append(chunk);
    const frames: RawFrame[] = [];
    for (let payload = this.framer.next(); payload !== null; payload = this.framer.next()) {
      frames.push({ type: this.framer.type, channel: this.framer.channel, payload: Buffer.from(payload) });
    }
    return frames;
  }
}

import { BufferSlab } from '../../core/net/buffer-slab.js';
import { AmqpError } from '../connection/errors.js';
import { FrameType } from '../protocol/frames.js';
import type { DecodedMethod } from '../protocol/methods.js';
import { ReplyCodes } from '../protocol/reply-codes.js';

/** A content-carrying method with its header payload and body, once complete. */
export interface AssembledContent {
  readonly method: DecodedMethod;
  readonly header: Buffer;
  readonly body: Buffer;
}

/** Where every connection's message contents are carved from (core/net/buffer-slab.ts). */
const CONTENT_SLAB = new BufferSlab();

/**
 * rabbit_command_assembler: after a content method comes exactly one header frame of its class,
 * then body frames until body-size bytes; anything else in between is 505 UNEXPECTED_FRAME with
 * RabbitMQ's texts. The body is checked against max_message_size as soon as the header announces
 * it, so an oversized message is refused before it is buffered.
 */
export class ContentAssembler {
  private method: DecodedMethod | null = null;
  private header: Buffer | null = null;
  private expected = 0;
  private received = 0;
  /** The message's one buffer, header payload then body, filled as body frames arrive. */
  private content: Buffer | null = null;
  /** The body of a refused (oversized) message is read and dropped, keeping the frame sequence. */
  private discarding = false;

  constructor(private readonly maxMessageSize: () => number) {}

  get busy(): boolean { return this.method !== null; }

  /** 505 carrying the pending content method's ids, as RabbitMQ reports them. */
  private unexpected(detail: string): AmqpError {
    const error = AmqpError.of(ReplyCodes.UNEXPECTED_FRAME, detail);
    return this.method ? error.withMethod(this.method.spec.classId, this.method.spec.methodId) : error;
  }

  /** A method frame arrived: nothing else is allowed mid-content. */
  methodFrame(): void {
    if (this.method === null) return;
    throw this.header === null
      ? this.unexpected(`expected content header for class ${this.method.spec.classId}, got non content header frame instead`)
      : this.unexpected('expected content body, got non content body frame instead');
  }

  begin(method: DecodedMethod): void {
    this.method = method;
    this.header = null;
    this.content = null;
    this.received = 0;
  }

  /** A header or body frame; returns the content once its last byte arrived. */
  frame(type: number, payload: Buffer): AssembledContent | null {
    if (this.method === null) throw this.unexpected('expected method frame, got non method frame instead');
    if (this.header === null) {
      if (type !== FrameType.HEADER) throw this.unexpected(`expected content header for class ${this.method.spec.classId}, got non content header frame instead`);
      return this.headerFrame(payload);
    }
    if (type !== FrameType.BODY) throw this.unexpected('expected content body, got non content body frame instead');
    if (this.received + payload.length > this.expected) throw this.unexpected('content body longer than announced in the content header');
    if (!this.discarding) payload.copy(this.content!, this.header.length + this.received);
    this.received += payload.length;
    if (this.received < this.expected) return null;
    if (this.discarding) {
      this.reset();
      return null;
    }
    return this.finish();
  }

  reset(): void {
    this.method = null;
    this.header = null;
    this.content = null;
    this.discarding = false;
  }

  private headerFrame(payload: Buffer): AssembledContent | null {
    if (payload.length < 14) throw AmqpError.of(ReplyCodes.FRAME_ERROR, 'content header frame too short');
    const classId = payload.readUInt16BE(0);
    if (classId !== this.method!.spec.classId) {
      throw this.unexpected(`expected content header for class ${this.method!.spec.classId}, got one for class ${classId} instead`);
    }
    // body-size is a u64; max_message_size is below 2^32, so the high word settles most cases
    // without a BigInt (this runs for every publish).
    const high = payload.readUInt32BE(4);
    const size = high * 0x1_0000_0000 + payload.readUInt32BE(8);
    const max = this.maxMessageSize();
    if (high !== 0 || size > max) {
      const method = this.method!;
      this.header = payload;
      this.expected = size;
      this.received = 0;
      this.discarding = true;
      throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, `message size ${payload.readBigUInt64BE(4)} is larger than configured max size ${max}`)
        .withMethod(method.spec.classId, method.spec.methodId);
    }
    // One copy into one buffer for header and body: the frames are views of socket chunks that
    // the message may outlive by hours, and a body cut into many frames needs no concatenation.
    const content = this.content = CONTENT_SLAB.take(payload.length + size);
    payload.copy(content, 0);
    this.header = content.subarray(0, payload.length);
    this.expected = size;
    return this.expected === 0 ? this.finish() : null;
  }

  private finish(): AssembledContent {
    const header = this.header!;
    const done = { method: this.method!, header, body: this.content!.subarray(header.length) };
    this.reset();
    return done;
  }
}

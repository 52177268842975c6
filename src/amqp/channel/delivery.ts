import type { AmqpMessage } from '../broker/message.js';
import { FRAME_END, FRAME_OVERHEAD, FrameType } from '../protocol/frames.js';

/**
 * A content method (deliver, get-ok, return) as ONE buffer: method frame, the message's content
 * header as published, body frames cut to frame_max. One allocation and one socket write per
 * delivery; only the method's arguments are encoded.
 */
export function encodeContent(channel: number, methodPayload: Buffer, message: AmqpMessage, frameMax: number): Buffer {
  const out = Buffer.allocUnsafe(contentSize(methodPayload.length, message, frameMax));
  const at = writeFrame(out, 0, FrameType.METHOD, channel, methodPayload);
  writeHeaderAndBody(out, at, channel, message, frameMax);
  return out;
}

/** Bytes of a content method with a `methodLength`-byte payload: its frame, the header frame, the
 *  body frames (what encodeContent and encodeDeliveryInto write). */
export function contentSize(methodLength: number, message: AmqpMessage, frameMax: number): number {
  const body = message.body;
  const chunk = frameMax === 0 ? Math.max(body.length, 1) : frameMax - FRAME_OVERHEAD;
  return methodLength + message.header.length + body.length + FRAME_OVERHEAD * (2 + Math.ceil(body.length / chunk));
}

function writeHeaderAndBody(out: Buffer, at: number, channel: number, message: AmqpMessage, frameMax: number): number {
  const body = message.body;
  const chunk = frameMax === 0 ? Math.max(body.length, 1) : frameMax - FRAME_OVERHEAD;
  at = writeFrame(out, at, FrameType.HEADER, channel, message.header);
  for (let from = 0; from < body.length; from += chunk) at = writeFrame(out, at, FrameType.BODY, channel, body, from, Math.min(from + chunk, body.length));
  return at;
}

/** Bytes of basic.deliver's arguments (60/60) for this consumer tag and message. */
export function deliverArgsLength(consumerTag: Buffer, message: AmqpMessage): number {
  return 4 + 1 + consumerTag.length + 8 + 1 + 1 + Buffer.byteLength(message.exchange, 'utf8') + 1 + Buffer.byteLength(message.routingKey, 'utf8');
}

/**
 * basic.deliver (60/60) with its content as ONE buffer, the method's arguments written in place:
 * one allocation per delivery instead of four (the arguments, the exchange and routing key bytes,
 * the frames) — it runs for every message every consumer receives.
 */
export function encodeDelivery(channel: number, consumerTag: Buffer, deliveryTag: number, redelivered: boolean,
  message: AmqpMessage, frameMax: number): Buffer {
  const argsLength = deliverArgsLength(consumerTag, message);
  const out = Buffer.allocUnsafe(contentSize(argsLength, message, frameMax));
  encodeDeliveryInto(out, 0, argsLength, channel, consumerTag, deliveryTag, redelivered, message, frameMax);
  return out;
}

/** encodeDelivery into `out` from `start` (contentSize(argsLength, …) bytes): the output buffer
 *  connections share, so deliveries need no buffer each (core/net CorkedWriter.reserve). */
export function encodeDeliveryInto(out: Buffer, start: number, argsLength: number, channel: number, consumerTag: Buffer,
  deliveryTag: number, redelivered: boolean, message: AmqpMessage, frameMax: number): void {
  out[start] = FrameType.METHOD;
  out.writeUInt16BE(channel, start + 1);
  out.writeUInt32BE(argsLength, start + 3);
  let at = start + 7;
  out.writeUInt32BE((60 << 16) | 60, at);
  at += 4;
  out[at++] = consumerTag.length;
  at += consumerTag.copy(out, at);
  // u64 as two u32 halves: no BigInt per delivery (tags stay below 2^53).
  out.writeUInt32BE(Math.floor(deliveryTag / 0x1_0000_0000), at);
  out.writeUInt32BE(deliveryTag >>> 0, at + 4);
  at += 8;
  out[at++] = redelivered ? 1 : 0;
  const exLength = out.write(message.exchange, at + 1, 'utf8');
  out[at] = exLength;
  at += 1 + exLength;
  const rkLength = out.write(message.routingKey, at + 1, 'utf8');
  out[at] = rkLength;
  at += 1 + rkLength;
  out[at++] = FRAME_END;
  writeHeaderAndBody(out, at, channel, message, frameMax);
}

/** A frame whose payload is payload[from, end) (a body frame copies its slice of the body, no view). */
function writeFrame(out: Buffer, at: number, type: number, channel: number, payload: Buffer, from = 0, end = payload.length): number {
  const length = end - from;
  out[at] = type;
  out.writeUInt16BE(channel, at + 1);
  out.writeUInt32BE(length, at + 3);
  payload.copy(out, at + 7, from, end);
  out[at + 7 + length] = FRAME_END;
  return at + 8 + length;
}

/** basic.deliver's arguments (60/60), written by hand: it is the hot path. */
export function deliverPayload(consumerTag: string | Buffer, deliveryTag: number, redelivered: boolean, exchange: string, routingKey: string): Buffer {
  const tag = typeof consumerTag === 'string' ? Buffer.from(consumerTag, 'utf8') : consumerTag;
  const ex = Buffer.from(exchange, 'utf8');
  const rk = Buffer.from(routingKey, 'utf8');
  const out = Buffer.allocUnsafe(4 + 1 + tag.length + 8 + 1 + 1 + ex.length + 1 + rk.length);
  out.writeUInt32BE((60 << 16) | 60, 0);
  let at = 4;
  out[at++] = tag.length; tag.copy(out, at); at += tag.length;
  // u64 as two u32 halves: no BigInt per delivery (tags stay below 2^53).
  out.writeUInt32BE(Math.floor(deliveryTag / 0x1_0000_0000), at);
  out.writeUInt32BE(deliveryTag >>> 0, at + 4);
  at += 8;
  out[at++] = redelivered ? 1 : 0;
  out[at++] = ex.length; ex.copy(out, at); at += ex.length;
  out[at++] = rk.length; rk.copy(out, at);
  return out;
}

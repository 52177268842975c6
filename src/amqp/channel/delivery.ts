import type { AmqpMessage } from '../broker/message.js';
import { FRAME_END, FRAME_OVERHEAD, FrameType } from '../protocol/frames.js';

/**
 * A content method (deliver, get-ok, return) as ONE buffer: method frame, the message's content
 * header as published, body frames cut to frame_max. One allocation and one socket write per
 * delivery; only the method's arguments are encoded.
 */
export function encodeContent(channel: number, methodPayload: Buffer, message: AmqpMessage, frameMax: number): Buffer {
  const body = message.body;
  const chunk = frameMax === 0 ? Math.max(body.length, 1) : frameMax - FRAME_OVERHEAD;
  const bodyFrames = Math.ceil(body.length / chunk);
  const size = methodPayload.length + message.header.length + body.length + FRAME_OVERHEAD * (2 + bodyFrames);
  const out = Buffer.allocUnsafe(size);
  let at = writeFrame(out, 0, FrameType.METHOD, channel, methodPayload);
  at = writeFrame(out, at, FrameType.HEADER, channel, message.header);
  for (let from = 0; from < body.length; from += chunk) at = writeFrame(out, at, FrameType.BODY, channel, body.subarray(from, from + chunk));
  return out;
}

function writeFrame(out: Buffer, at: number, type: number, channel: number, payload: Buffer): number {
  out[at] = type;
  out.writeUInt16BE(channel, at + 1);
  out.writeUInt32BE(payload.length, at + 3);
  payload.copy(out, at + 7);
  out[at + 7 + payload.length] = FRAME_END;
  return at + 8 + payload.length;
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

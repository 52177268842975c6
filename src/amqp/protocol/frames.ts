import { type ContentHeader, type BasicProperties, decodeContentHeader, encodeContentHeader, splitBody } from './content.js';
import { AmqpCodecError } from './errors.js';
import { type DecodedMethod, type MethodArgs, decodeMethodPayload, encodeMethodPayload, methodByName } from './methods.js';
import type { MethodSpec } from './method-spec.js';
import { ReplyCodes } from './reply-codes.js';

// Constants of rabbitmq-codegen amqp-rabbitmq-0.9.1.json.
export const FrameType = { METHOD: 1, HEADER: 2, BODY: 3, HEARTBEAT: 8 } as const;
export const FRAME_END = 0xce;
/** Largest frame any peer must accept; RabbitMQ's limit before tune-ok (rabbit_reader initial_frame_max). */
export const FRAME_MIN_SIZE = 4096;
/** type u8 + channel u16 + size u32. */
export const FRAME_HEADER_SIZE = 7;
/** Header plus end octet: frame_max − 8 is the largest payload ([GEN] ?EMPTY_FRAME_SIZE). */
export const FRAME_OVERHEAD = 8;
/** RabbitMQ tolerates clients overshooting frame_max by this much (rabbit_reader ?FRAME_SIZE_FUDGE). */
export const FRAME_SIZE_FUDGE = FRAME_OVERHEAD;
/** "AMQP" 0 0 9 1, the 0-9-1 protocol header (spec §4.2.2). */
export const PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);
export const HEARTBEAT_FRAME = Buffer.from([FrameType.HEARTBEAT, 0, 0, 0, 0, 0, 0, FRAME_END]);

/** A frame as cut from the stream, payload not yet interpreted. */
export interface RawFrame { readonly type: number; readonly channel: number; readonly payload: Buffer }

export type AmqpFrame =
  | { readonly kind: 'method'; readonly channel: number; readonly method: DecodedMethod }
  | { readonly kind: 'header'; readonly channel: number; readonly header: ContentHeader }
  | { readonly kind: 'body'; readonly channel: number; readonly body: Buffer }
  | { readonly kind: 'heartbeat'; readonly channel: 0 };

export function encodeFrame(type: number, channel: number, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(payload.length + FRAME_OVERHEAD);
  frame.writeUInt8(type, 0);
  frame.writeUInt16BE(channel, 1);
  frame.writeUInt32BE(payload.length, 3);
  payload.copy(frame, FRAME_HEADER_SIZE);
  frame.writeUInt8(FRAME_END, payload.length + FRAME_HEADER_SIZE);
  return frame;
}

export function encodeMethodFrame(channel: number, method: MethodSpec | string, args?: MethodArgs): Buffer {
  return encodeFrame(FrameType.METHOD, channel, encodeMethodPayload(method, args));
}

/**
 * A content-carrying method (basic.publish/deliver/return/get-ok) with its header and body frames,
 * bodies cut to frame_max (0 = unlimited). Returned as one buffer per frame so a writer can cork them.
 */
export function encodeContentFrames(channel: number, method: MethodSpec | string, args: MethodArgs,
  properties: BasicProperties, body: Buffer, frameMax: number): Buffer[] {
  const spec = typeof method === 'string' ? methodByName(method) : method;
  const header = encodeContentHeader({ classId: spec.classId, weight: 0, bodySize: BigInt(body.length), properties });
  return [
    encodeFrame(FrameType.METHOD, channel, encodeMethodPayload(spec, args)),
    encodeFrame(FrameType.HEADER, channel, header),
    ...splitBody(body, frameMax).map((part) => encodeFrame(FrameType.BODY, channel, part)),
  ];
}

/** Interprets a raw frame (rabbit_reader analyze_frame / handle_frame). */
export function parseFrame(raw: RawFrame): AmqpFrame {
  switch (raw.type) {
    case FrameType.METHOD: return { kind: 'method', channel: raw.channel, method: decodeMethodPayload(raw.payload) };
    case FrameType.HEADER: return { kind: 'header', channel: raw.channel, header: decodeContentHeader(raw.payload) };
    case FrameType.BODY: return { kind: 'body', channel: raw.channel, body: raw.payload };
    case FrameType.HEARTBEAT:
      if (raw.payload.length !== 0) throw new AmqpCodecError(ReplyCodes.FRAME_ERROR, 'heartbeat frame with a payload');
      // RabbitMQ: a heartbeat on a channel other than 0 is UNEXPECTED_FRAME (rabbit_reader handle_frame).
      if (raw.channel !== 0) throw new AmqpCodecError(ReplyCodes.UNEXPECTED_FRAME, `heartbeat frame on channel ${raw.channel}`);
      return { kind: 'heartbeat', channel: 0 };
    default:
      throw new AmqpCodecError(ReplyCodes.FRAME_ERROR, `unknown frame type ${raw.type}`);
  }
}

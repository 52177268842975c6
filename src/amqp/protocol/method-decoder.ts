import { type DecodedMethod, decodeMethodPayload } from './methods.js';

/** basic.publish's class and method ids, the first 4 bytes of its method payload. */
const PUBLISH_ID = (60 << 16) | 40;
/** ticket, two shortstrs and a flags octet fit here whenever names are of everyday length. */
const MAX_CACHED_BYTES = 128;

/**
 * One channel's method decoding with the hot path kept off the generic decoder: a publisher sends
 * the same basic.publish (exchange, routing key, flags) again and again, so the last one's bytes
 * and decoding are kept and an identical payload reuses the decoding (args are read-only). Any
 * other method, or a changed publish, goes through decodeMethodPayload as before.
 */
export class MethodDecoder {
  private lastPublish: Buffer | null = null;
  private lastDecoded: DecodedMethod | null = null;

  decode(payload: Buffer): DecodedMethod {
    if (payload.length > MAX_CACHED_BYTES || payload.length < 4 || payload.readUInt32BE(0) !== PUBLISH_ID) return decodeMethodPayload(payload);
    if (this.lastPublish !== null && this.lastPublish.equals(payload)) return this.lastDecoded!;
    const decoded = decodeMethodPayload(payload);
    // A copy: the payload is a view of a socket chunk.
    this.lastPublish = Buffer.from(payload);
    this.lastDecoded = decoded;
    return decoded;
  }
}

/** Shared helpers of the Kafka protocol tests: fixtures, framing, decode/encode of whole requests. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { API_GRAMMARS } from '../../src/kafka/protocol/apis/index.js';
import { readRequestHeader, type RequestHeaderValue, writeRequestHeader } from '../../src/kafka/protocol/headers.js';
import { decode, encode } from '../../src/kafka/protocol/schema.js';
import { Writer } from '../../src/kafka/protocol/writer.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/kafka/', import.meta.url));

/** The hex fixtures written by test/fixtures/kafka/capture-requests.mjs, by file name. */
export function clientFrames(): Map<string, Buffer> {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.hex')).sort();
  return new Map(files.map((f) => [f, Buffer.from(readFileSync(FIXTURES + f, 'utf8').trim(), 'hex')]));
}

export interface DecodedRequest { header: RequestHeaderValue; body: Record<string, unknown>; trailing: number }

/** Decodes a request frame without its size prefix: header, then the body by its API's grammar. */
export function decodeRequest(frame: Buffer): DecodedRequest {
  const { header, body } = readRequestHeader(frame);
  const grammar = API_GRAMMARS.get(header.requestApiKey);
  if (!grammar) throw new Error(`no grammar for API key ${header.requestApiKey}`);
  const value = decode(grammar.request, header.requestApiVersion, body);
  return { header, body: value, trailing: body.remaining };
}

/** Encodes a request (header + body, no size prefix), as a client would. */
export function encodeRequest(header: RequestHeaderValue, body: Record<string, unknown>): Buffer {
  const w = new Writer();
  writeRequestHeader(w, header);
  encode(API_GRAMMARS.get(header.requestApiKey)!.request, header.requestApiVersion, body, w);
  return Buffer.from(w.finish());
}

export { seededRandom } from '../helpers/seeded-random.js';

/** API key → the one version the client must have used (kafka.md §2.1: min(client max, our max)). */
export function assertVersions(versions: Map<number, number[]>, expected: Record<number, number>): void {
  for (const [key, version] of Object.entries(expected)) assert.deepEqual(versions.get(Number(key)), [version], `API key ${key}`);
}

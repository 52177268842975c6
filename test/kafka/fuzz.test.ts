import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_GRAMMARS } from '../../src/kafka/protocol/apis/index.js';
import { readRequestHeader } from '../../src/kafka/protocol/headers.js';
import { KafkaProtocolError } from '../../src/kafka/protocol/protocol-error.js';
import { Reader } from '../../src/kafka/protocol/reader.js';
import { decode, encode, type MessageSpec } from '../../src/kafka/protocol/schema.js';
import { Writer } from '../../src/kafka/protocol/writer.js';
import { clientFrames, seededRandom } from './helpers.js';
import { sampleValue, versionsOf } from './sample-values.js';

type Random = () => number;

/** Runs `f`; anything thrown other than KafkaProtocolError fails the test with the input that caused it. */
function onlyProtocolErrors(what: string, input: Buffer, f: () => unknown): void {
  try { f(); } catch (e) {
    if (!(e instanceof KafkaProtocolError)) assert.fail(`${what} on ${input.toString('hex')}: ${String(e)}`);
  }
}

function mutate(bytes: Buffer, random: Random): Buffer {
  const out = Buffer.from(bytes);
  const pick = random();
  if (pick < 0.4 && out.length > 0) {
    for (let i = 0; i < 1 + Math.floor(random() * 3); i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
    return out;
  }
  if (pick < 0.6) return out.subarray(0, Math.floor(random() * out.length));
  if (pick < 0.8 && out.length > 0) {
    // A length-looking field set to an extreme: 0x7f.. or 0xff.. at a random position.
    const at = Math.floor(random() * out.length);
    out.fill(random() < 0.5 ? 0x7f : 0xff, at, Math.min(out.length, at + 1 + Math.floor(random() * 4)));
    return out;
  }
  const extra = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)));
  const at = Math.floor(random() * (out.length + 1));
  return Buffer.concat([out.subarray(0, at), extra, out.subarray(at)]);
}

function validBody(spec: MessageSpec, version: number, random: Random): Buffer {
  const w = new Writer();
  encode(spec, version, sampleValue(spec, version, random), w);
  return Buffer.from(w.finish());
}

test('random and mutated bodies through every decoder: only KafkaProtocolError, bounded time', () => {
  const random = seededRandom(20261205);
  const started = Date.now();
  let inputs = 0;
  for (const { request, response } of API_GRAMMARS.values()) {
    for (const spec of [request, response]) {
      for (const version of versionsOf(spec)) {
        for (let i = 0; i < 60; i++) {
          const input = i < 10
            ? Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)))
            : mutate(validBody(spec, version, random), random);
          onlyProtocolErrors(`${spec.name} v${version}`, input, () => decode(spec, version, new Reader(input)));
          inputs++;
        }
      }
    }
  }
  assert.equal(inputs, 2 * 167 * 60);
  assert.ok(Date.now() - started < 20_000, `fuzzing took ${Date.now() - started} ms`);
});

test('mutated client frames through header and body decoding: only KafkaProtocolError', () => {
  const random = seededRandom(42);
  const frames = [...clientFrames().values()].map((f) => f.subarray(4));
  for (let i = 0; i < 3000; i++) {
    const input = mutate(frames[i % frames.length]!, random);
    onlyProtocolErrors('request', input, () => {
      const { header, body } = readRequestHeader(input);
      const grammar = API_GRAMMARS.get(header.requestApiKey);
      if (grammar) decode(grammar.request, header.requestApiVersion, body);
    });
  }
});

test('hostile lengths are refused before allocation', () => {
  const { request } = API_GRAMMARS.get(3)!;
  // Metadata v1: a topic array claiming 2^31-1 elements in a 9-byte frame.
  const input = Buffer.from('7fffffff' + '0001' + '61' + '0000', 'hex');
  assert.throws(() => decode(request, 1, new Reader(input)), /array: length 2147483647 but 5 bytes remain/);
  // Produce v3: records claiming 2 GB.
  const produce = API_GRAMMARS.get(0)!.request;
  const frame = Buffer.from('ffff' + 'ffff' + '00000000' + '00000001' + '0001' + '74' + '00000001' + '00000000' + '7fffffff', 'hex');
  assert.throws(() => decode(produce, 3, new Reader(frame)), /bytes: length 2147483647 but 0 bytes remain/);
});

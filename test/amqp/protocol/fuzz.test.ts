import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeContentHeader } from '../../../src/amqp/protocol/content.js';
import { AmqpFrameError } from '../../../src/amqp/connection/framer.js';
import { AmqpCodecError } from '../../../src/amqp/protocol/errors.js';
import { readTable } from '../../../src/amqp/protocol/field-table.js';
import { encodeContentFrames, encodeMethodFrame, parseFrame } from '../../../src/amqp/protocol/frames.js';
import { decodeMethodPayload, encodeMethodPayload } from '../../../src/amqp/protocol/methods.js';
import { AmqpReader } from '../../../src/amqp/protocol/reader.js';
import { METHOD_SPECS } from '../../../src/amqp/protocol/spec-table.js';
import { FrameSplitter } from '../../helpers/amqp-frames.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { EVERY_TAG_TABLE, sampleArgs } from './sample-args.js';

const SEED = 0xa3c9;
const rand = seededRandom(SEED);
const int = (n: number) => Math.floor(rand() * n);

/** Only the codec's typed errors may escape a decoder (the framer's: AmqpFrameError, answered 501). */
function onlyTyped(what: string, fn: () => unknown): void {
  try { fn(); } catch (e) {
    if (!(e instanceof AmqpCodecError) && !(e instanceof AmqpFrameError)) {
      assert.fail(`${what} threw ${(e as Error)?.stack ?? String(e)} (seed ${SEED})`);
    }
  }
}

function mutate(b: Buffer): Buffer {
  const out = Buffer.from(b);
  const op = int(4);
  if (op === 0 && out.length > 0) out[int(out.length)] = int(256);
  if (op === 1 && out.length > 0) return out.subarray(0, int(out.length));
  if (op === 2) return Buffer.concat([out, Buffer.from([int(256), int(256)])]);
  if (op === 3 && out.length > 0) { for (let i = 0; i < 4; i++) out[int(out.length)] = int(256); }
  return out;
}

const samples = METHOD_SPECS.map((spec) => encodeMethodPayload(spec, sampleArgs(spec, int(5))));

test('method, header and table decoders: mutated and random payloads only raise AmqpCodecError', () => {
  for (let i = 0; i < 20000; i++) {
    const payload = rand() < 0.8 ? mutate(samples[int(samples.length)]!) : Buffer.from(Array.from({ length: int(40) }, () => int(256)));
    onlyTyped('decodeMethodPayload', () => decodeMethodPayload(payload));
    onlyTyped('decodeContentHeader', () => decodeContentHeader(payload));
    onlyTyped('readTable', () => readTable(new AmqpReader(payload)));
  }
});

test('the server\'s framer + parseFrame: mutated streams in random chunks never hang or throw untyped', () => {
  const clean = Buffer.concat([
    ...METHOD_SPECS.slice(0, 20).map((spec) => encodeMethodFrame(int(3), spec, sampleArgs(spec))),
    ...encodeContentFrames(1, 'basic.publish', {}, { headers: EVERY_TAG_TABLE }, Buffer.alloc(500, 1), 4096),
  ]);
  for (let i = 0; i < 2000; i++) {
    const bytes = rand() < 0.9 ? mutate(clean) : Buffer.from(Array.from({ length: int(200) }, () => int(256)));
    const d = new FrameSplitter([0, 4096, 131072][int(3)]!);
    onlyTyped('stream', () => {
      for (let at = 0; at < bytes.length;) {
        const step = 1 + int(300);
        for (const frame of d.push(bytes.subarray(at, at + step))) onlyTyped('parseFrame', () => parseFrame(frame));
        at += step;
      }
    });
  }
});

// Fuzz the codec with 20k+ random and mutated frames: the only error allowed out of a decoder
// is ZkCodecError (ARCHITECTURE principle 3). Deterministic: a fixed-seed PRNG, so a failure
// reproduces; the failing seed input is printed in the assertion message.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FrameError } from '../../../src/core/errors.js';
import { LengthPrefixedFramer } from '../../../src/core/net/framer.js';
import { decodeConnectRequest, decodeConnectResponse } from '../../../src/zk/codec/connect.js';
import { ZkCodecError } from '../../../src/zk/codec/errors.js';
import { DEFAULT_MAX_BUFFER } from '../../../src/zk/codec/frames.js';
import { decodeRequest, encodeRequest } from '../../../src/zk/codec/requests.js';
import { decodeNotification, decodeReply } from '../../../src/zk/codec/responses.js';
import { OpCode } from '../../../src/zk/codec/types.js';
import { seededRandom as prng } from '../../helpers/seeded-random.js';


const DIR = new URL('../../../../test/fixtures/zk/', import.meta.url);
const SEEDS: Buffer[] = readdirSync(DIR).filter((f) => f.endsWith('.bin')).map((f) => readFileSync(new URL(f, DIR)).subarray(4));
const OPCODES = Object.values(OpCode) as number[];
const SPECIAL_INTS = [-1, -2, -5, 0, 1, 0x7fffffff, -0x80000000, 0xfffff, 0x100000, 68];

function mutate(rand: () => number, seed: Buffer): Buffer {
  const int = (n: number) => Math.floor(rand() * n);
  const b = Buffer.from(seed);
  switch (int(7)) {
    case 0: { // bit flips
      for (let i = 0, n = 1 + int(4); i < n && b.length > 0; i++) b[int(b.length)] ^= 1 << int(8);
      return b;
    }
    case 1: return b.subarray(0, int(b.length + 1)); // truncation
    case 2: { // a length/count field set to something hostile (huge, negative, past the end)
      if (b.length >= 4) b.writeInt32BE(SPECIAL_INTS[int(SPECIAL_INTS.length)] | 0, int(b.length - 3));
      return b;
    }
    case 3: { // another opcode in the RequestHeader
      if (b.length >= 8) b.writeInt32BE(OPCODES[int(OPCODES.length)], 4);
      return b;
    }
    case 4: return Buffer.concat([b, Buffer.from(Array.from({ length: int(16) }, () => int(256)))]);
    case 5: { // random bytes after a valid header
      const tail = Buffer.from(Array.from({ length: int(64) }, () => int(256)));
      const head = Buffer.alloc(8);
      head.writeInt32BE(int(100), 0);
      head.writeInt32BE(OPCODES[int(OPCODES.length)], 4);
      return Buffer.concat([head, tail]);
    }
    default: return Buffer.from(Array.from({ length: int(80) }, () => int(256))); // pure noise
  }
}

function onlyCodecErrors(what: string, input: Buffer, fn: () => unknown): 'ok' | 'rejected' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof ZkCodecError, `${what} threw ${String(err)} for ${input.toString('hex')}`);
    return 'rejected';
  }
}

test('20k mutated frames into every decoder: only ZkCodecError, and decoded requests re-encode stably', () => {
  const rand = prng(0x5eed);
  const tally = { ok: 0, rejected: 0 };
  for (let i = 0; i < 20_000; i++) {
    const input = mutate(rand, SEEDS[Math.floor(rand() * SEEDS.length)]);
    const outcome = onlyCodecErrors('decodeRequest', input, () => {
      const req = decodeRequest(input);
      // A decoded request is a fixed point of encode → decode.
      assert.deepEqual(decodeRequest(encodeRequest(req).subarray(4)), req);
    });
    tally[outcome]++;
    onlyCodecErrors('decodeConnectRequest', input, () => decodeConnectRequest(input));
    onlyCodecErrors('decodeConnectResponse', input, () => decodeConnectResponse(input));
    onlyCodecErrors('decodeReply', input, () => decodeReply(input, OPCODES[i % OPCODES.length]));
    onlyCodecErrors('decodeNotification', input, () => decodeNotification(input));
  }
  // The mutations must reach both outcomes, or the fuzzer is not testing anything.
  assert.ok(tally.ok > 1000 && tally.rejected > 1000, JSON.stringify(tally));
});

test('the frame reader on mutated streams in random chunks: only FrameError, never a frame over the limit', () => {
  const rand = prng(0xf00d);
  let rejected = 0;
  for (let i = 0; i < 2_000; i++) {
    const parts = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
      const body = mutate(rand, SEEDS[Math.floor(rand() * SEEDS.length)]);
      const len = Buffer.alloc(4);
      len.writeInt32BE(rand() < 0.1 ? SPECIAL_INTS[Math.floor(rand() * SPECIAL_INTS.length)] | 0 : body.length);
      return Buffer.concat([len, body]);
    });
    const stream = Buffer.concat(parts);
    const reader = new LengthPrefixedFramer(4096);
    let at = 0;
    try {
      while (at < stream.length) {
        const next = Math.min(stream.length, at + 1 + Math.floor(rand() * 40));
        for (const f of reader.push(stream.subarray(at, next))) assert.ok(f.length <= 4096);
        at = next;
      }
    } catch (err) {
      assert.ok(err instanceof FrameError, `the framer threw ${String(err)}`);
      rejected++;
    }
  }
  assert.ok(rejected > 0);
});

test('the captured ZooKeeper stream split at every offset gives the same frames', () => {
  const stream = Buffer.concat(SEEDS.map((body) => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(body.length);
    return Buffer.concat([len, body]);
  }));
  for (let i = 0; i <= stream.length; i++) {
    const reader = new LengthPrefixedFramer(DEFAULT_MAX_BUFFER);
    const got = [...reader.push(stream.subarray(0, i)), ...reader.push(stream.subarray(i))];
    assert.deepEqual(got, SEEDS, `split at ${i}`);
    assert.equal(reader.buffered, 0);
  }
});

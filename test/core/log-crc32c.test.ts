// crc32cRange (src/core/log/crc32c.ts), the table loop for small inputs, against @node-rs/crc32 on
// random inputs and ranges, continued from random CRCs as a record's header, head and body are
// (below and above the size that goes to the addon).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { crc32c } from '@node-rs/crc32';
import { crc32cRange } from '../../src/core/log/crc32c.js';

test('crc32cRange equals the addon for every length 0..200, any range and any CRC it continues from', () => {
  for (let length = 0; length <= 200; length++) {
    for (let round = 0; round < 5; round++) {
      const buf = randomBytes(length + 16);
      const start = round === 0 ? 0 : Math.floor(Math.random() * 8);
      const end = start + length;
      const from = round === 0 ? 0 : randomBytes(4).readUInt32BE(0);
      assert.equal(crc32cRange(buf, start, end, from), crc32c(buf.subarray(start, end), from), `length ${length}, start ${start}, from ${from}`);
    }
  }
  // Continuing over pieces is the CRC of their concatenation, as the record header relies on.
  const pieces = [randomBytes(12), randomBytes(37), randomBytes(1024), randomBytes(5)];
  let crc = 0;
  for (const p of pieces) crc = crc32cRange(p, 0, p.length, crc);
  assert.equal(crc, crc32c(Buffer.concat(pieces)));
  // The check value of the Castagnoli CRC (RFC 3720 B.4): "123456789".
  assert.equal(crc32cRange(Buffer.from('123456789'), 0, 9), 0xe3069283);
});

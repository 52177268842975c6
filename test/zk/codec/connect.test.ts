import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeConnectRequest, decodeConnectResponse, encodeConnectRequest, encodeConnectResponse } from '../../../src/zk/codec/connect.js';
import { ZkCodecError } from '../../../src/zk/codec/errors.js';

/** A captured frame (length prefix included) from test/fixtures/zk (see its README). */
const fixture = (name: string): Buffer => readFileSync(new URL(`../../../../test/fixtures/zk/${name}.bin`, import.meta.url));
const body = (frame: Buffer): Buffer => frame.subarray(4);

test('kazoo ConnectRequest (fixture): decode, and encode back to the same bytes', () => {
  const frame = fixture('connect-request');
  const req = decodeConnectRequest(body(frame));
  assert.deepEqual(req, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 10_000, sessionId: 0n, passwd: Buffer.alloc(16), readOnly: false });
  assert.deepEqual(encodeConnectRequest(req), frame);
});

test('ZooKeeper ConnectResponse (fixture): readOnly byte present because the client sent one', () => {
  const frame = fixture('connect-response');
  const res = decodeConnectResponse(body(frame));
  assert.equal(res.protocolVersion, 0);
  assert.equal(res.timeOut, 10_000);
  assert.equal(res.sessionId, 0x100005d3341001fn);
  assert.equal(res.passwd.length, 16);
  assert.equal(res.readOnly, false);
  assert.deepEqual(encodeConnectResponse(res), frame);
});

test('an old client without the readOnly byte: readOnly undefined, and not written back', () => {
  const frame = fixture('connect-request');
  const old = body(frame).subarray(0, body(frame).length - 1);
  const req = decodeConnectRequest(old);
  assert.equal(req.readOnly, undefined);
  assert.equal(encodeConnectRequest(req).length, frame.length - 1);
  const res = { protocolVersion: 0, timeOut: 4000, sessionId: -2n, passwd: Buffer.alloc(16, 9) };
  const out = encodeConnectResponse(res);
  assert.equal(out.readInt32BE(0), 4 + 4 + 8 + 4 + 16);
  assert.deepEqual(decodeConnectResponse(out.subarray(4)), res);
  assert.equal(encodeConnectResponse({ ...res, readOnly: true }).at(-1), 1);
});

test('session ids use all 64 bits', () => {
  const req = { protocolVersion: 0, lastZxidSeen: 5, timeOut: 30_000, sessionId: 0xffff_0000_0000_0001n, passwd: Buffer.alloc(16, 1), readOnly: true };
  const back = decodeConnectRequest(encodeConnectRequest(req).subarray(4));
  assert.deepEqual(back, { ...req, sessionId: BigInt.asIntN(64, req.sessionId) });
});

test('a truncated ConnectRequest is a ZkCodecError (ZooKeeper closes the connection)', () => {
  const full = body(fixture('connect-request'));
  for (let n = 0; n < full.length - 1; n++) {
    assert.throws(() => decodeConnectRequest(full.subarray(0, n)),
      (e: unknown) => e instanceof ZkCodecError && e.reason === 'truncated' && e.action === 'close', `length ${n}`);
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ZkCodecError } from '../../../src/zk/codec/errors.js';
import {
  decodeNotification, decodeReply, decodeReplyHeader, encodeNotification, encodeReply, responseKindFor, type ZkReplyBody,
} from '../../../src/zk/codec/responses.js';
import { OpCode, type Stat } from '../../../src/zk/codec/types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../../test/fixtures/zk/${name}.bin`, import.meta.url));
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Decode a captured reply and encode it back: both must match ZooKeeper's bytes. */
function roundTrip(name: string, type: number) {
  const frame = fixture(name);
  const decoded = decodeReply(frame.subarray(4), type);
  assert.deepEqual(encodeReply(decoded.header, decoded.response), frame, name);
  return decoded;
}

test('create reply (fixture): CreateResponse with the path', () => {
  const { header, response } = roundTrip('create-response', OpCode.create);
  assert.deepEqual(header, { xid: 1, zxid: 0x4d, err: 0 });
  assert.deepEqual(response, { kind: 'path', path: '/fixture' });
});

test('getData reply (fixture): data + Stat', () => {
  const { header, response } = roundTrip('getdata-response', OpCode.getData);
  assert.deepEqual(header, { xid: 2, zxid: 0x4d, err: 0 });
  assert.ok(response?.kind === 'data');
  assert.deepEqual(response.data, Buffer.from('hello'));
  const stat: Stat = response.stat;
  assert.equal(stat.czxid, 0x4d);
  assert.equal(stat.mzxid, 0x4d);
  assert.equal(stat.pzxid, 0x4d);
  assert.equal(stat.ctime, stat.mtime);
  assert.ok(stat.ctime > 1_600_000_000_000);
  assert.deepEqual([stat.version, stat.cversion, stat.aversion, stat.ephemeralOwner, stat.dataLength, stat.numChildren], [0, 0, 0, 0n, 5, 0]);
});

test('failed multi (fixture): header err 0, ErrorResults 0 / NONODE / RUNTIMEINCONSISTENCY', () => {
  const { header, response } = roundTrip('multi-failed-response', OpCode.multi);
  assert.deepEqual(header, { xid: 3, zxid: 0x4e, err: 0 });
  assert.deepEqual(response, { kind: 'multi', results: [{ type: -1, err: 0 }, { type: -1, err: -101 }, { type: -1, err: -2 }] });
});

test('notification (fixture): xid -1, zxid -1 in 3.8, WatcherEvent NodeDataChanged', () => {
  const frame = fixture('notification');
  const { header, event } = decodeNotification(frame.subarray(4));
  assert.deepEqual(header, { xid: -1, zxid: -1, err: 0 });
  assert.deepEqual(event, { type: 3, state: 3, path: '/fixture' });
  assert.deepEqual(encodeNotification(event), frame);
  assert.equal(encodeNotification(event, 0x4f).subarray(8, 16).readBigInt64BE(0), 0x4fn);
});

test('setData, addWatch, whoAmI and createContainer replies (fixtures)', () => {
  const set = roundTrip('setdata-response', OpCode.setData);
  assert.ok(set.response?.kind === 'stat' && set.response.stat.version === 1 && set.response.stat.dataLength === 5);
  // addWatch: FinalRequestProcessor answers with ErrorResponse(0), a 4-byte body.
  assert.deepEqual(roundTrip('addwatch-response', OpCode.addWatch).response, { kind: 'error', err: 0 });
  assert.deepEqual(roundTrip('whoami-response', OpCode.whoAmI).response,
    { kind: 'whoAmI', clientInfo: [{ authScheme: 'ip', user: '127.0.0.1' }] });
  // createContainer is answered with a Create2Response.
  const cc = roundTrip('createcontainer-response', OpCode.createContainer);
  assert.ok(cc.response?.kind === 'create2' && cc.response.path === '/fixctr' && cc.response.stat.dataLength === 0);
});

test('responseKindFor follows FinalRequestProcessor', () => {
  const expected: Record<number, string> = {
    1: 'path', 15: 'create2', 19: 'create2', 21: 'create2', 2: 'empty', 20: 'empty', 3: 'stat', 5: 'stat', 7: 'stat',
    13: 'stat', 4: 'data', 16: 'data', 6: 'acl', 8: 'children', 12: 'children2', 9: 'path', 14: 'multi', 22: 'multi',
    104: 'number', 103: 'ephemerals', 107: 'whoAmI', 106: 'error', 11: 'empty', 100: 'empty', 101: 'empty',
    105: 'empty', 17: 'empty', 18: 'empty', [-11]: 'empty', 999: 'empty',
  };
  for (const [type, kind] of Object.entries(expected)) assert.equal(responseKindFor(Number(type)), kind, `type ${type}`);
});

const STAT: Stat = { czxid: 1, mzxid: 2, ctime: 3, mtime: 4, version: 5, cversion: 6, aversion: 7, ephemeralOwner: -8n, dataLength: 9, numChildren: 10, pzxid: 11 };

test('every response kind round-trips', () => {
  const cases: Array<[number, ZkReplyBody]> = [
    [OpCode.delete, { kind: 'empty' }],
    [OpCode.sync, { kind: 'path', path: '/s' }],
    [OpCode.create2, { kind: 'create2', path: '/c', stat: STAT }],
    [OpCode.exists, { kind: 'stat', stat: STAT }],
    [OpCode.getData, { kind: 'data', data: Buffer.from('d'), stat: STAT }],
    [OpCode.getACL, { kind: 'acl', acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], stat: STAT }],
    [OpCode.getChildren, { kind: 'children', children: ['a', 'b'] }],
    [OpCode.getChildren2, { kind: 'children2', children: [], stat: STAT }],
    [OpCode.multiRead, { kind: 'multi', results: [
      { type: 4, data: Buffer.from('x'), stat: STAT }, { type: 8, children: ['k'] }, { type: -1, err: -101 }] }],
    [OpCode.multi, { kind: 'multi', results: [{ type: 1, path: '/p' }, { type: 15, path: '/q', stat: STAT }, { type: 2 }, { type: 13 }, { type: 5, stat: STAT }] }],
    [OpCode.getAllChildrenNumber, { kind: 'number', totalNumber: 42 }],
    [OpCode.getEphemerals, { kind: 'ephemerals', ephemerals: ['/e1'] }],
    [OpCode.whoAmI, { kind: 'whoAmI', clientInfo: [] }],
    [OpCode.addWatch, { kind: 'error', err: 0 }],
  ];
  for (const [type, body] of cases) {
    const frame = encodeReply({ xid: 9, zxid: 0x1_0000_0001, err: 0 }, body);
    assert.equal(frame.readInt32BE(0), frame.length - 4);
    assert.deepEqual(decodeReply(frame.subarray(4), type), { header: { xid: 9, zxid: 0x1_0000_0001, err: 0 }, response: body });
  }
});

test('a failed request is header-only, even if a body is passed; multi keeps its body', () => {
  const frame = encodeReply({ xid: 4, zxid: 7, err: -101 }, { kind: 'stat', stat: STAT });
  assert.deepEqual(frame, hex('00000010 00000004 0000000000000007 ffffff9b'));
  assert.deepEqual(decodeReply(frame.subarray(4), OpCode.exists), { header: { xid: 4, zxid: 7, err: -101 } });
  const multi = encodeReply({ xid: 5, zxid: 7, err: -5 }, { kind: 'multi', results: [] });
  assert.deepEqual(decodeReply(multi.subarray(4), OpCode.multi).response, { kind: 'multi', results: [] });
  // A multi refused before it ran (e.g. MARSHALLINGERROR) comes without a body.
  assert.deepEqual(decodeReply(encodeReply({ xid: 6, zxid: 7, err: -5 }).subarray(4), OpCode.multi), { header: { xid: 6, zxid: 7, err: -5 } });
  // Ping reply: xid -2, header only.
  assert.deepEqual(decodeReplyHeader(encodeReply({ xid: -2, zxid: 7, err: 0 }).subarray(4)), { xid: -2, zxid: 7, err: 0 });
});

test('client-side decoding rejects what ZooKeeper\'s client would (ZkCodecError only)', () => {
  const isCodec = (e: unknown) => e instanceof ZkCodecError;
  assert.throws(() => decodeReply(hex('00000001 00000000'), OpCode.create), isCodec);
  assert.throws(() => decodeReply(hex('00000001 0000000000000001 00000000'), OpCode.exists), isCodec);
  // MultiResponse.deserialize: "Invalid type 19 in MultiResponse".
  assert.throws(() => decodeReply(hex('00000001 0000000000000001 00000000 00000013 00 00000000 00000001 2f'), OpCode.multi),
    (e: unknown) => e instanceof ZkCodecError && e.reason === 'bad-multi');
});

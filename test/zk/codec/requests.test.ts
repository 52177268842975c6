import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ZkCodecError } from '../../../src/zk/codec/errors.js';
import { NULL_BUFFER } from '../../../src/zk/codec/jute.js';
import { decodeRequest, encodeRequest } from '../../../src/zk/codec/requests.js';
import { OpCode, type ZkRequest } from '../../../src/zk/codec/types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../../test/fixtures/zk/${name}.bin`, import.meta.url));
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

test('kazoo create (fixture)', () => {
  const frame = fixture('create-request');
  const req = decodeRequest(frame.subarray(4));
  assert.deepEqual(req, { xid: 1, type: 1, op: 'create', req: { path: '/fixture', data: Buffer.from('hello'), acl: OPEN, flags: 0 } });
  assert.deepEqual(encodeRequest(req), frame);
});

test('kazoo getData with watch (fixture)', () => {
  const frame = fixture('getdata-request');
  const req = decodeRequest(frame.subarray(4));
  assert.deepEqual(req, { xid: 2, type: 4, op: 'read', req: { path: '/fixture', watch: true } });
  assert.deepEqual(encodeRequest(req), frame);
});

test('kazoo multi (fixture): MultiHeaders with err -1, ended by {-1, true, -1}', () => {
  const frame = fixture('multi-failed-request');
  const req = decodeRequest(frame.subarray(4));
  assert.deepEqual(req, { xid: 3, type: 14, op: 'multi', req: { ops: [
    { op: 'create', type: 1, req: { path: '/fixture/a', data: Buffer.alloc(0), acl: OPEN, flags: 0 } },
    { op: 'delete', type: 2, req: { path: '/missing', version: -1 } },
    { op: 'create', type: 1, req: { path: '/fixture/b', data: Buffer.alloc(0), acl: OPEN, flags: 0 } },
  ] } });
  assert.deepEqual(encodeRequest(req), frame);
});

test('zkCli addWatch and createContainer with null data (fixtures)', () => {
  const aw = fixture('addwatch-request');
  assert.deepEqual(decodeRequest(aw.subarray(4)), { xid: 2, type: 106, op: 'addWatch', req: { path: '/fixw', mode: 1 } });
  assert.deepEqual(encodeRequest(decodeRequest(aw.subarray(4))), aw);
  const ccFrame = fixture('createcontainer-request');
  const cc = decodeRequest(ccFrame.subarray(4));
  // zkCli sends data length -1 (null): it reads as NULL_BUFFER, which is written back as -1.
  assert.deepEqual(cc, { xid: 4, type: 19, op: 'create', req: { path: '/fixctr', data: Buffer.alloc(0), acl: OPEN, flags: 4 } });
  assert.ok(cc.op === 'create' && cc.req.data === NULL_BUFFER);
  assert.deepEqual(encodeRequest(cc), ccFrame);
});

/** One request of every opcode types.ts knows: encode → decode must give it back. */
const EVERY: ZkRequest[] = [
  { xid: 1, type: 1, op: 'create', req: { path: '/a', data: Buffer.from('x'), acl: OPEN, flags: 3 } },
  { xid: 2, type: 15, op: 'create', req: { path: '/a', data: Buffer.alloc(0), acl: OPEN, flags: 0 } },
  { xid: 3, type: 19, op: 'create', req: { path: '/c', data: Buffer.alloc(2), acl: OPEN, flags: 4 } },
  { xid: 4, type: 21, op: 'create', req: { path: '/t', data: Buffer.alloc(0), acl: OPEN, flags: 5, ttl: 60_000 } },
  { xid: 5, type: 2, op: 'delete', req: { path: '/a', version: 7 } },
  { xid: 6, type: 20, op: 'delete', req: { path: '/c' } },
  { xid: 7, type: 3, op: 'read', req: { path: '/a', watch: true } },
  { xid: 8, type: 4, op: 'read', req: { path: '/a', watch: false } },
  { xid: 9, type: 8, op: 'read', req: { path: '/', watch: true } },
  { xid: 10, type: 12, op: 'read', req: { path: '/', watch: false } },
  { xid: 11, type: 5, op: 'setData', req: { path: '/a', data: Buffer.from('y'), version: -1 } },
  { xid: 12, type: 6, op: 'path', req: { path: '/a' } },
  { xid: 13, type: 9, op: 'path', req: { path: '/a' } },
  { xid: 14, type: 104, op: 'path', req: { path: '/' } },
  { xid: 15, type: 7, op: 'setACL', req: { path: '/a', acl: [{ perms: 1, id: { scheme: 'digest', id: 'u:p' } }], version: 0 } },
  { xid: 16, type: 13, op: 'check', req: { path: '/a', version: 2 } },
  { xid: 17, type: 14, op: 'multi', req: { ops: [
    { op: 'create', type: 21, req: { path: '/t', data: Buffer.alloc(0), acl: OPEN, flags: 6, ttl: 5 } },
    { op: 'create', type: 15, req: { path: '/u', data: Buffer.alloc(0), acl: OPEN, flags: 0 } },
    { op: 'setData', type: 5, req: { path: '/a', data: Buffer.from('z'), version: 1 } },
    { op: 'check', type: 13, req: { path: '/a', version: 2 } },
    { op: 'delete', type: 2, req: { path: '/u', version: -1 } },
  ] } },
  { xid: 18, type: 22, op: 'multi', req: { ops: [{ op: 'getData', type: 4, req: { path: '/a' } }, { op: 'getChildren', type: 8, req: { path: '/' } }] } },
  { xid: 19, type: 14, op: 'multi', req: { ops: [] } },
  { xid: 20, type: 16, op: 'reconfig', req: { joiningServers: 'server.2=h:1:2', leavingServers: '', newMembers: '', curConfigId: -1n } },
  { xid: 21, type: 17, op: 'watches', req: { path: '/a', type: 3 } },
  { xid: 22, type: 18, op: 'watches', req: { path: '/a', type: 1 } },
  { xid: -4, type: 100, op: 'auth', req: { type: 0, scheme: 'digest', auth: Buffer.from('u:p') } },
  { xid: -8, type: 101, op: 'setWatches', req: { relativeZxid: 9, dataWatches: ['/a'], existWatches: [], childWatches: ['/', '/b'] } },
  { xid: -8, type: 105, op: 'setWatches2', req: { relativeZxid: 9, dataWatches: [], existWatches: ['/x'], childWatches: [], persistentWatches: ['/p'], persistentRecursiveWatches: ['/r'] } },
  { xid: 23, type: 106, op: 'addWatch', req: { path: '/a', mode: 0 } },
  { xid: 24, type: 103, op: 'getEphemerals', req: { prefixPath: '/e' } },
  { xid: -2, type: 11, op: 'empty', req: {} },
  { xid: 25, type: 107, op: 'empty', req: {} },
  { xid: 26, type: -11, op: 'empty', req: {} },
];

test('every opcode round-trips through encodeRequest/decodeRequest', () => {
  const opcodes = new Set(EVERY.map((r) => r.type));
  for (const [name, code] of Object.entries(OpCode)) {
    const clientRequest = !['notification', 'createSession', 'error', 'sasl'].includes(name);
    assert.equal(opcodes.has(code as never), clientRequest, `coverage of ${name}`);
  }
  for (const req of EVERY) {
    const frame = encodeRequest(req);
    assert.equal(frame.readInt32BE(0), frame.length - 4);
    assert.deepEqual(decodeRequest(frame.subarray(4)), req, `type ${req.type}`);
  }
});

test('bytes after a complete record are ignored, as ZooKeeper does', () => {
  assert.deepEqual(decodeRequest(hex('00000001 00000004 00000001 2f 00 deadbeef')),
    { xid: 1, type: 4, op: 'read', req: { path: '/', watch: false } });
});

test('null ustrings read as empty: kazoo sends "" as length -1 (e.g. the id of an auth ACL)', () => {
  const req = decodeRequest(hex('00000001 00000001 00000002 2f61 ffffffff 00000001 0000001f 00000004 61757468 ffffffff 00000000'));
  assert.deepEqual(req.req, { path: '/a', data: Buffer.alloc(0), acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }], flags: 0 });
  // A null path reads as "" too; ZooKeeper 3.8 answers a null-path read MARSHALLINGERROR (NPE).
  assert.deepEqual(decodeRequest(hex('00000001 00000008 ffffffff 00')).req, { path: '', watch: false });
});

test('a negative ACL count reads as an empty list (ZooKeeper then answers INVALIDACL)', () => {
  const req = decodeRequest(hex('00000001 00000001 00000002 2f61 00000000 fffffffb 00000000'));
  assert.deepEqual(req.req, { path: '/a', data: Buffer.alloc(0), acl: [], flags: 0 });
});

const rejects = (reason: string, action: string, xid?: number, type?: number) => (e: unknown) =>
  e instanceof ZkCodecError && e.reason === reason && e.action === action && e.xid === xid && e.opType === type;

test('unknown opcodes: what ZooKeeper 3.8 does with each', () => {
  // Request.isValid false → UnimplementedRequestProcessor: UNIMPLEMENTED, then close.
  assert.throws(() => decodeRequest(hex('00000001 00000063')), rejects('unknown-op', 'unimplemented', 1, 99));
  assert.throws(() => decodeRequest(hex('00000005 00000000 00')), rejects('unknown-op', 'unimplemented', 5, 0));
  assert.throws(() => decodeRequest(hex('00000005 ffffffff')), rejects('unknown-op', 'unimplemented', 5, -1));
  // createSession passes isValid, then fails to parse: MARSHALLINGERROR.
  assert.throws(() => decodeRequest(hex('00000001 fffffff6')), rejects('unknown-op', 'marshalling', 1, -10));
  // sasl without a SASL server: the connection is closed.
  assert.throws(() => decodeRequest(hex('00000001 00000066')), rejects('unknown-op', 'close', 1, 102));
});

test('malformed bodies: MARSHALLINGERROR with xid/type; auth and headers close', () => {
  // Verified on 3.8.0: truncated getData, null path, bad multi op → err -5, connection open.
  assert.throws(() => decodeRequest(hex('00000001 00000004 00000010 2f61')), rejects('truncated', 'marshalling', 1, 4));
  assert.throws(() => decodeRequest(hex('00000001 0000000e 00000063 00 ffffffff')), rejects('bad-multi', 'marshalling', 1, 14));
  assert.throws(() => decodeRequest(hex('00000001 0000000e 00000001 00 ffffffff')), rejects('truncated', 'marshalling', 1, 14));
  // A multi without its terminator runs off the end.
  assert.throws(() => decodeRequest(hex('00000001 0000000e')), rejects('truncated', 'marshalling', 1, 14));
  // AuthPacket is parsed in ZooKeeperServer.processPacket: an IOException there closes.
  assert.throws(() => decodeRequest(hex('fffffffc 00000064 00000000')), rejects('truncated', 'close', -4, 100));
  // Less than a RequestHeader (including an empty frame): closed, no reply.
  for (const h of ['', '000001', '00000001000000']) {
    assert.throws(() => decodeRequest(hex(h)), rejects('truncated', 'close'));
  }
});

test('a MultiHeader with done=true ends the ops whatever its type', () => {
  const req = decodeRequest(hex('00000001 00000016 00000000 01 00000000'));
  assert.deepEqual(req.req, { ops: [] });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JunctionError } from '../../../src/core/errors.js';
import { Err, errCodeMessage, errMessage, errName, ZkCodecError, ZkError } from '../../../src/zk/codec/errors.js';

// KeeperException.Code in ZooKeeper 3.8 (zookeeper-server/.../KeeperException.java, release-3.8.0):
// every enum constant with its intValue, in declaration order.
const SPEC: ReadonlyArray<readonly [string, number]> = [
  ['OK', 0], ['SYSTEMERROR', -1], ['RUNTIMEINCONSISTENCY', -2], ['DATAINCONSISTENCY', -3],
  ['CONNECTIONLOSS', -4], ['MARSHALLINGERROR', -5], ['UNIMPLEMENTED', -6], ['OPERATIONTIMEOUT', -7],
  ['BADARGUMENTS', -8], ['UNKNOWNSESSION', -12], ['NEWCONFIGNOQUORUM', -13], ['RECONFIGINPROGRESS', -14],
  ['APIERROR', -100], ['NONODE', -101], ['NOAUTH', -102], ['BADVERSION', -103],
  ['NOCHILDRENFOREPHEMERALS', -108], ['NODEEXISTS', -110], ['NOTEMPTY', -111], ['SESSIONEXPIRED', -112],
  ['INVALIDCALLBACK', -113], ['INVALIDACL', -114], ['AUTHFAILED', -115], ['SESSIONMOVED', -118],
  ['NOTREADONLY', -119], ['EPHEMERALONLOCALSESSION', -120], ['NOWATCHER', -121], ['REQUESTTIMEOUT', -122],
  ['RECONFIGDISABLED', -123], ['SESSIONCLOSEDREQUIRESASLAUTH', -124], ['QUOTAEXCEEDED', -125], ['THROTTLEDOP', -127],
];

test('Err has exactly the KeeperException.Code names and numbers', () => {
  assert.deepEqual(Object.entries(Err).sort(([a], [b]) => a.localeCompare(b)),
    SPEC.map(([n, c]) => [n, c]).sort(([a], [b]) => String(a).localeCompare(String(b))));
});

test('Err has no duplicate numbers, so errName is a true inverse', () => {
  const codes = Object.values(Err);
  assert.equal(new Set(codes).size, codes.length);
  for (const [name, code] of SPEC) assert.equal(errName(code), name);
  assert.equal(errName(-9), undefined);
  assert.equal(errName(-126), undefined);
});

test('messages follow KeeperException.getCodeMessage / getMessage', () => {
  assert.equal(errMessage(Err.NONODE), 'KeeperErrorCode = NoNode');
  assert.equal(errMessage(Err.NONODE, '/a/b'), 'KeeperErrorCode = NoNode for /a/b');
  assert.equal(errMessage(Err.NOTEMPTY, '/a'), 'KeeperErrorCode = Directory not empty for /a');
  assert.equal(errMessage(Err.SESSIONEXPIRED), 'KeeperErrorCode = Session expired');
  assert.equal(errCodeMessage(Err.OK), 'ok');
  assert.equal(errCodeMessage(Err.INVALIDACL), 'InvalidACL');
  // No case in getCodeMessage: its default branch prints the enum constant.
  assert.equal(errCodeMessage(Err.REQUESTTIMEOUT), 'Unknown error REQUESTTIMEOUT');
  assert.equal(errCodeMessage(Err.UNKNOWNSESSION), 'Unknown error UNKNOWNSESSION');
  assert.equal(errCodeMessage(-999), 'Unknown error -999');
  for (const [, code] of SPEC) assert.ok(errCodeMessage(code).length > 0);
});

test('ZkError and ZkCodecError are JunctionErrors carrying their codes', () => {
  const e = new ZkError(Err.NODEEXISTS, '/x');
  assert.ok(e instanceof JunctionError);
  assert.equal(e.zkCode, -110);
  assert.equal(e.code, 'ZK_NODEEXISTS');
  assert.equal(e.message, 'KeeperErrorCode = NodeExists for /x');
  assert.equal(e.name, 'ZkError');
  const c = new ZkCodecError('unknown-op', 'x', { xid: 7, type: 99, action: 'unimplemented' });
  assert.ok(c instanceof JunctionError);
  assert.deepEqual([c.code, c.reason, c.xid, c.opType, c.action], ['ZK_CODEC', 'unknown-op', 7, 99, 'unimplemented']);
  assert.equal(new ZkCodecError('truncated', 'y').action, 'close');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ZkRequest } from '../../../src/zk/codec/types.js';
import { toWriteOp } from '../../../src/zk/model/index.js';
import { OPEN } from './harness.js';

const data = Buffer.from([0, 1, 2, 255]);

test('toWriteOp converts each write request', () => {
  const cases: [ZkRequest, unknown][] = [
    [{ xid: 1, type: 1, op: 'create', req: { path: '/a', data, acl: OPEN, flags: 3 } },
      { op: 'create', opcode: 1, path: '/a', data: 'AAEC/w==', acl: OPEN, flags: 3 }],
    [{ xid: 1, type: 15, op: 'create', req: { path: '/a', data, acl: OPEN, flags: 0 } },
      { op: 'create', opcode: 15, path: '/a', data: 'AAEC/w==', acl: OPEN, flags: 0 }],
    [{ xid: 1, type: 21, op: 'create', req: { path: '/a', data, acl: OPEN, flags: 5, ttl: 99 } },
      { op: 'create', opcode: 21, path: '/a', data: 'AAEC/w==', acl: OPEN, flags: 5, ttl: 99 }],
    [{ xid: 1, type: 2, op: 'delete', req: { path: '/a', version: 4 } }, { op: 'delete', path: '/a', version: 4 }],
    [{ xid: 1, type: 5, op: 'setData', req: { path: '/a', data, version: -1 } }, { op: 'setData', path: '/a', data: 'AAEC/w==', version: -1 }],
    [{ xid: 1, type: 7, op: 'setACL', req: { path: '/a', acl: OPEN, version: 2 } }, { op: 'setACL', path: '/a', acl: OPEN, version: 2 }],
    [{ xid: 1, type: 13, op: 'check', req: { path: '/a', version: 2 } }, { op: 'check', path: '/a', version: 2 }],
    [{ xid: 1, type: 14, op: 'multi', req: { ops: [{ op: 'setData', type: 5, req: { path: '/a', data, version: 1 } }, { op: 'delete', type: 2, req: { path: '/b', version: -1 } }, { op: 'check', type: 13, req: { path: '/c', version: 0 } }] } },
      { op: 'multi', ops: [{ op: 'setData', path: '/a', data: 'AAEC/w==', version: 1 }, { op: 'delete', path: '/b', version: -1 }, { op: 'check', path: '/c', version: 0 }] }],
  ];
  for (const [request, op] of cases) assert.deepEqual(toWriteOp(request), op);
});

test('toWriteOp returns null for reads and session requests', () => {
  const reads: ZkRequest[] = [
    { xid: 1, type: 4, op: 'read', req: { path: '/a', watch: true } },
    { xid: 1, type: 22, op: 'multi', req: { ops: [] } },
    { xid: 1, type: 20, op: 'delete', req: { path: '/a' } },
    { xid: 1, type: 11, op: 'empty', req: {} },
  ];
  for (const r of reads) assert.equal(toWriteOp(r), null);
});

test('the command op survives JSON (it is logged as JSON)', () => {
  const op = toWriteOp({ xid: 1, type: 14, op: 'multi', req: { ops: [{ op: 'getData', type: 4, req: { path: '/a' } }] } });
  assert.deepEqual(JSON.parse(JSON.stringify(op)), op);
  assert.deepEqual(op, { op: 'multi', ops: [], marshallingError: true });
});

/**
 * Opcode → the `op` tag of ZkRequest, so callers can say request(OpCode.getData, {path, watch})
 * without building the tagged union themselves. Mirrors decodeRequest's opcode cases.
 */
import { ZkCodecError } from '../codec/errors.js';
import { OpCode, type ZkRequest } from '../codec/types.js';

const OP_BY_TYPE: ReadonlyMap<number, ZkRequest['op']> = new Map<number, ZkRequest['op']>([
  [OpCode.create, 'create'], [OpCode.create2, 'create'], [OpCode.createContainer, 'create'], [OpCode.createTTL, 'create'],
  [OpCode.delete, 'delete'], [OpCode.deleteContainer, 'delete'],
  [OpCode.exists, 'read'], [OpCode.getData, 'read'], [OpCode.getChildren, 'read'], [OpCode.getChildren2, 'read'],
  [OpCode.setData, 'setData'],
  [OpCode.getACL, 'path'], [OpCode.sync, 'path'], [OpCode.getAllChildrenNumber, 'path'],
  [OpCode.setACL, 'setACL'], [OpCode.check, 'check'],
  [OpCode.multi, 'multi'], [OpCode.multiRead, 'multi'],
  [OpCode.reconfig, 'reconfig'], [OpCode.checkWatches, 'watches'], [OpCode.removeWatches, 'watches'],
  [OpCode.auth, 'auth'], [OpCode.setWatches, 'setWatches'], [OpCode.setWatches2, 'setWatches2'],
  [OpCode.addWatch, 'addWatch'], [OpCode.getEphemerals, 'getEphemerals'],
  [OpCode.ping, 'empty'], [OpCode.whoAmI, 'empty'], [OpCode.closeSession, 'empty'],
]);

/** The ZkRequest for opcode `type`; the record's shape is the caller's responsibility. */
export function toZkRequest(xid: number, type: number, req: unknown): ZkRequest {
  const op = OP_BY_TYPE.get(type);
  if (op === undefined) {
    throw new ZkCodecError('unknown-op', `no request record for opcode ${type}`, { xid, type, action: 'unimplemented' });
  }
  return { xid, type, op, req } as ZkRequest;
}

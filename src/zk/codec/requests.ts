/**
 * Client requests: RequestHeader {xid, type} + the record ZooDefs.OpCode selects (zookeeper.jute,
 * module org.apache.zookeeper.proto). decodeRequest is the server side, encodeRequest the client
 * side. Like ZooKeeper, bytes after a complete record are ignored.
 */
import { ZkCodecError, type ZkCodecAction } from './errors.js';
import { JuteReader, JuteWriter } from './jute.js';
import { decodeMultiOps, writeMultiOps } from './multi.js';
import { OpCode, type ZkRequest } from './types.js';

/** xid + type: 8 bytes. A frame shorter than this closes the connection (processPacket EOF). */
const REQUEST_HEADER_SIZE = 8;

/**
 * What ZooKeeper does with an opcode it has no request for. Request.isValid rejects it and
 * UnimplementedRequestProcessor answers UNIMPLEMENTED, then closes; sasl (102) without a SASL
 * server closes the connection; createSession (-10) passes isValid but its body does not parse in
 * PrepRequestProcessor, so it is answered MARSHALLINGERROR (all verified on ZooKeeper 3.8.0).
 */
function unknownOpAction(type: number): ZkCodecAction {
  if (type === OpCode.sasl) return 'close';
  if (type === OpCode.createSession) return 'marshalling';
  return 'unimplemented';
}

/** Decode one frame body (without its length prefix). Throws only ZkCodecError. */
export function decodeRequest(body: Buffer): ZkRequest {
  if (body.length < REQUEST_HEADER_SIZE) {
    throw new ZkCodecError('truncated', `RequestHeader needs ${REQUEST_HEADER_SIZE} bytes, frame has ${body.length}`);
  }
  const r = new JuteReader(body);
  const xid = r.readInt();
  const type = r.readInt();
  try {
    return decodeBody(xid, type, r);
  } catch (err) {
    if (!(err instanceof ZkCodecError) || err.xid !== undefined) throw err;
    // ZooKeeperServer.processPacket parses AuthPacket itself and an IOException there closes the
    // connection; other bodies are parsed by the request processors, which answer MARSHALLINGERROR.
    const action: ZkCodecAction = type === OpCode.auth ? 'close' : 'marshalling';
    throw new ZkCodecError(err.reason, `${err.message} (xid ${xid}, type ${type})`, { xid, type, action });
  }
}

function decodeBody(xid: number, type: number, r: JuteReader): ZkRequest {
  switch (type) {
    case OpCode.create: case OpCode.create2: case OpCode.createContainer:
      return { xid, type, op: 'create', req: { path: r.readUstring(), data: r.readBuffer(), acl: r.readAclVector(), flags: r.readInt() } };
    case OpCode.createTTL:
      return { xid, type, op: 'create', req: { path: r.readUstring(), data: r.readBuffer(), acl: r.readAclVector(), flags: r.readInt(), ttl: r.readLongNumber() } };
    case OpCode.delete:
      return { xid, type, op: 'delete', req: { path: r.readUstring(), version: r.readInt() } };
    case OpCode.deleteContainer:
      return { xid, type, op: 'delete', req: { path: r.readUstring() } };
    case OpCode.exists: case OpCode.getData: case OpCode.getChildren: case OpCode.getChildren2:
      return { xid, type, op: 'read', req: { path: r.readUstring(), watch: r.readBool() } };
    case OpCode.setData:
      return { xid, type, op: 'setData', req: { path: r.readUstring(), data: r.readBuffer(), version: r.readInt() } };
    case OpCode.getACL: case OpCode.sync: case OpCode.getAllChildrenNumber:
      return { xid, type, op: 'path', req: { path: r.readUstring() } };
    case OpCode.setACL:
      return { xid, type, op: 'setACL', req: { path: r.readUstring(), acl: r.readAclVector(), version: r.readInt() } };
    case OpCode.check:
      return { xid, type, op: 'check', req: { path: r.readUstring(), version: r.readInt() } };
    case OpCode.multi: case OpCode.multiRead:
      return { xid, type, op: 'multi', req: { ops: decodeMultiOps(r) } };
    case OpCode.reconfig:
      // ZooKeeper.reconfig sends null for the lists a caller leaves out.
      return { xid, type, op: 'reconfig', req: {
        joiningServers: r.readUstringOrNull() ?? '', leavingServers: r.readUstringOrNull() ?? '',
        newMembers: r.readUstringOrNull() ?? '', curConfigId: r.readLong() } };
    case OpCode.checkWatches: case OpCode.removeWatches:
      return { xid, type, op: 'watches', req: { path: r.readUstring(), type: r.readInt() } };
    case OpCode.auth:
      return { xid, type, op: 'auth', req: { type: r.readInt(), scheme: r.readUstring(), auth: r.readBuffer() } };
    case OpCode.setWatches:
      return { xid, type, op: 'setWatches', req: {
        relativeZxid: r.readLongNumber(), dataWatches: r.readUstringVector(),
        existWatches: r.readUstringVector(), childWatches: r.readUstringVector() } };
    case OpCode.setWatches2:
      return { xid, type, op: 'setWatches2', req: {
        relativeZxid: r.readLongNumber(), dataWatches: r.readUstringVector(),
        existWatches: r.readUstringVector(), childWatches: r.readUstringVector(),
        persistentWatches: r.readUstringVector(), persistentRecursiveWatches: r.readUstringVector() } };
    case OpCode.addWatch:
      return { xid, type, op: 'addWatch', req: { path: r.readUstring(), mode: r.readInt() } };
    case OpCode.getEphemerals:
      // FinalRequestProcessor treats a null prefixPath like "" or "/": every ephemeral.
      return { xid, type, op: 'getEphemerals', req: { prefixPath: r.readUstringOrNull() ?? '' } };
    case OpCode.ping: case OpCode.whoAmI: case OpCode.closeSession:
      return { xid, type, op: 'empty', req: {} };
    default:
      throw new ZkCodecError('unknown-op', `unknown request type ${type} (xid ${xid})`, { xid, type, action: unknownOpAction(type) });
  }
}

/** Client side: RequestHeader + record as a whole frame, length prefix included. */
export function encodeRequest(request: ZkRequest): Buffer {
  const w = new JuteWriter(128).writeInt(request.xid).writeInt(request.type);
  switch (request.op) {
    case 'create': {
      const { req } = request;
      w.writeUstring(req.path).writeBuffer(req.data).writeAclVector(req.acl).writeInt(req.flags);
      if (request.type === OpCode.createTTL) w.writeLong(request.req.ttl);
      break;
    }
    case 'delete':
      w.writeUstring(request.req.path);
      if ('version' in request.req) w.writeInt(request.req.version);
      break;
    case 'read': w.writeUstring(request.req.path).writeBool(request.req.watch); break;
    case 'setData': w.writeUstring(request.req.path).writeBuffer(request.req.data).writeInt(request.req.version); break;
    case 'path': w.writeUstring(request.req.path); break;
    case 'setACL': w.writeUstring(request.req.path).writeAclVector(request.req.acl).writeInt(request.req.version); break;
    case 'check': w.writeUstring(request.req.path).writeInt(request.req.version); break;
    case 'multi': writeMultiOps(w, request.req.ops); break;
    case 'reconfig': {
      const { req } = request;
      w.writeUstring(req.joiningServers).writeUstring(req.leavingServers).writeUstring(req.newMembers).writeLong(req.curConfigId);
      break;
    }
    case 'watches': w.writeUstring(request.req.path).writeInt(request.req.type); break;
    case 'auth': w.writeInt(request.req.type).writeUstring(request.req.scheme).writeBuffer(request.req.auth); break;
    case 'setWatches': case 'setWatches2': {
      const { req } = request;
      w.writeLong(req.relativeZxid).writeUstringVector(req.dataWatches).writeUstringVector(req.existWatches)
        .writeUstringVector(req.childWatches);
      if (request.op === 'setWatches2') {
        w.writeUstringVector(request.req.persistentWatches).writeUstringVector(request.req.persistentRecursiveWatches);
      }
      break;
    }
    case 'addWatch': w.writeUstring(request.req.path).writeInt(request.req.mode); break;
    case 'getEphemerals': w.writeUstring(request.req.prefixPath); break;
    case 'empty': break;
  }
  return w.toFrame();
}

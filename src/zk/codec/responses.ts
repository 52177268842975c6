/**
 * Server → client frames: ReplyHeader {xid, zxid, err} + the response record the request's
 * opcode calls for (FinalRequestProcessor.processRequest), and WatcherEvent notifications
 * (NIOServerCnxn.process). encode* are the server side, decode* the client side.
 */
import { Err } from './errors.js';
import { JuteReader, JuteWriter } from './jute.js';
import { decodeMultiResults, writeMultiResults } from './multi.js';
import { OpCode, Xid, type ReplyHeader, type WatcherEvent, type ZkResponse } from './types.js';

/**
 * ZkResponse plus ErrorResponse {int err}, which FinalRequestProcessor sends as addWatch's
 * successful answer (`rsp = new ErrorResponse(0)`: a 4-byte body, verified on 3.8.0; the Java
 * client fails to read a reply without it). types.ts has no such kind yet.
 */
export type ZkReplyBody = ZkResponse | { kind: 'error'; err: number };
export type ResponseKind = ZkReplyBody['kind'];

/** Opcode → the record FinalRequestProcessor answers it with (on success). */
const KIND_BY_TYPE: ReadonlyMap<number, ResponseKind> = new Map<number, ResponseKind>([
  [OpCode.create, 'path'],
  // create2, createTTL and createContainer all get a Create2Response (path + stat).
  [OpCode.create2, 'create2'], [OpCode.createContainer, 'create2'], [OpCode.createTTL, 'create2'],
  // check alone is answered with a SetDataResponse.
  [OpCode.exists, 'stat'], [OpCode.setData, 'stat'], [OpCode.setACL, 'stat'], [OpCode.check, 'stat'],
  // reconfig is answered with a GetDataResponse holding the new configuration.
  [OpCode.getData, 'data'], [OpCode.reconfig, 'data'],
  [OpCode.getACL, 'acl'],
  [OpCode.getChildren, 'children'],
  [OpCode.getChildren2, 'children2'],
  [OpCode.sync, 'path'],
  [OpCode.multi, 'multi'], [OpCode.multiRead, 'multi'],
  [OpCode.getAllChildrenNumber, 'number'],
  [OpCode.getEphemerals, 'ephemerals'],
  [OpCode.whoAmI, 'whoAmI'],
  [OpCode.addWatch, 'error'],
]);

/** The response kind a successful reply to `type` carries; 'empty' for header-only replies
 *  (delete, deleteContainer, ping, auth, setWatches, setWatches2, checkWatches, removeWatches,
 *  closeSession, and anything unknown). */
export function responseKindFor(type: number): ResponseKind {
  return KIND_BY_TYPE.get(type) ?? 'empty';
}

/** Upper bound on a body's size, so most replies are written without growing the buffer. */
function sizeHint(body: ZkReplyBody | undefined): number {
  if (body === undefined) return 20;
  if (body.kind === 'data') return 112 + body.data.length;
  if (body.kind === 'children' || body.kind === 'children2' || body.kind === 'ephemerals') return 1024;
  return 256;
}

/**
 * A whole reply frame (length prefix included). A failed request is header-only, except multi:
 * ZooKeeper answers a failed multi with err 0 in the header and the per-op ErrorResults in a
 * MultiResponse (verified on 3.8.0), so a 'multi' body is always written.
 */
export function encodeReply(header: ReplyHeader, body?: ZkReplyBody): Buffer {
  const w = new JuteWriter(sizeHint(body)).writeInt(header.xid).writeLong(header.zxid).writeInt(header.err);
  if (body !== undefined && (header.err === Err.OK || body.kind === 'multi')) writeBody(w, body);
  return w.toFrame();
}

function writeBody(w: JuteWriter, b: ZkReplyBody): void {
  switch (b.kind) {
    case 'empty': break;
    case 'path': w.writeUstring(b.path); break;
    case 'create2': w.writeUstring(b.path).writeStat(b.stat); break;
    case 'stat': w.writeStat(b.stat); break;
    case 'data': w.writeBuffer(b.data).writeStat(b.stat); break;
    case 'acl': w.writeAclVector(b.acl).writeStat(b.stat); break;
    case 'children': w.writeUstringVector(b.children); break;
    case 'children2': w.writeUstringVector(b.children).writeStat(b.stat); break;
    case 'multi': writeMultiResults(w, b.results); break;
    case 'number': w.writeInt(b.totalNumber); break;
    case 'ephemerals': w.writeUstringVector(b.ephemerals); break;
    case 'whoAmI': w.writeClientInfoVector(b.clientInfo); break;
    case 'error': w.writeInt(b.err); break;
  }
}

/**
 * A notification frame: ReplyHeader {xid -1, zxid, err 0} + WatcherEvent. ZooKeeper 3.8's
 * NIOServerCnxn.process writes zxid -1 (verified on 3.8.0), hence the default; later versions
 * send the triggering zxid.
 */
export function encodeNotification(event: WatcherEvent, zxid = -1): Buffer {
  return new JuteWriter(32 + event.path.length * 3)
    .writeInt(Xid.notification).writeLong(zxid).writeInt(Err.OK)
    .writeInt(event.type).writeInt(event.state).writeUstring(event.path)
    .toFrame();
}

function readReplyHeader(r: JuteReader): ReplyHeader {
  return { xid: r.readInt(), zxid: r.readLongNumber(), err: r.readInt() };
}

/** Just the ReplyHeader of a frame body (the client looks at xid before anything else). */
export function decodeReplyHeader(body: Buffer): ReplyHeader {
  return readReplyHeader(new JuteReader(body));
}

/**
 * Client side: a reply body to a request of opcode `expectType`. Header-only when err ≠ 0,
 * except a multi that still carries a MultiResponse. Throws only ZkCodecError.
 */
export function decodeReply(body: Buffer, expectType: number): { header: ReplyHeader; response?: ZkReplyBody } {
  const r = new JuteReader(body);
  const header = readReplyHeader(r);
  const kind = responseKindFor(expectType);
  if (header.err !== Err.OK && !(kind === 'multi' && r.remaining > 0)) return { header };
  return { header, response: readBody(r, kind) };
}

function readBody(r: JuteReader, kind: ResponseKind): ZkReplyBody {
  switch (kind) {
    case 'empty': return { kind };
    case 'path': return { kind, path: r.readUstring() };
    case 'create2': return { kind, path: r.readUstring(), stat: r.readStat() };
    case 'stat': return { kind, stat: r.readStat() };
    case 'data': return { kind, data: r.readBuffer(), stat: r.readStat() };
    case 'acl': return { kind, acl: r.readAclVector(), stat: r.readStat() };
    case 'children': return { kind, children: r.readUstringVector() };
    case 'children2': return { kind, children: r.readUstringVector(), stat: r.readStat() };
    case 'multi': return { kind, results: decodeMultiResults(r) };
    case 'number': return { kind, totalNumber: r.readInt() };
    case 'ephemerals': return { kind, ephemerals: r.readUstringVector() };
    case 'whoAmI': return { kind, clientInfo: r.readClientInfoVector() };
    case 'error': return { kind, err: r.readInt() };
  }
}

/** Client side: a notification body (xid -1) into its header and WatcherEvent. */
export function decodeNotification(body: Buffer): { header: ReplyHeader; event: WatcherEvent } {
  const r = new JuteReader(body);
  const header = readReplyHeader(r);
  return { header, event: { type: r.readInt(), state: r.readInt(), path: r.readUstringOrNull() ?? '' } };
}

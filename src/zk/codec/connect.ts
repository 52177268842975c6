/**
 * The session handshake: ConnectRequest / ConnectResponse (zookeeper.jute, module
 * org.apache.zookeeper.proto) plus the trailing readOnly boolean that ClientCnxnSocket and
 * ZooKeeperServer.processConnectRequest append outside the jute record.
 */
import { JuteReader, JuteWriter } from './jute.js';
import type { ConnectRequest, ConnectResponse } from './types.js';

/**
 * Server side. ZooKeeperServer.processConnectRequest reads the readOnly byte in a try/catch:
 * a frame that ends after passwd is an old client, so readOnly stays undefined. Bytes after it
 * are ignored, as ZooKeeper does.
 */
export function decodeConnectRequest(body: Buffer): ConnectRequest {
  const r = new JuteReader(body);
  const req: ConnectRequest = {
    protocolVersion: r.readInt(),
    lastZxidSeen: r.readLongNumber(),
    timeOut: r.readInt(),
    sessionId: r.readLong(),
    passwd: Buffer.from(r.readBuffer()),
  };
  if (r.remaining > 0) req.readOnly = r.readBool();
  return req;
}

/** Client side: a whole frame, length prefix included. readOnly is written only when set. */
export function encodeConnectRequest(req: ConnectRequest): Buffer {
  const w = new JuteWriter(64)
    .writeInt(req.protocolVersion).writeLong(req.lastZxidSeen).writeInt(req.timeOut)
    .writeLong(req.sessionId).writeBuffer(req.passwd);
  if (req.readOnly !== undefined) w.writeBool(req.readOnly);
  return w.toFrame();
}

/**
 * Server side: a whole frame. ServerCnxn writes the readOnly byte only to clients that sent one
 * (ZooKeeperServer.finishSessionInit: `if (cnxn.isOldClient == false) bos.writeBool(...)`).
 */
export function encodeConnectResponse(res: ConnectResponse): Buffer {
  const w = new JuteWriter(64)
    .writeInt(res.protocolVersion).writeInt(res.timeOut).writeLong(res.sessionId).writeBuffer(res.passwd);
  if (res.readOnly !== undefined) w.writeBool(res.readOnly);
  return w.toFrame();
}

/** Client side (ClientCnxnSocket.readConnectResult): readOnly is optional here too. */
export function decodeConnectResponse(body: Buffer): ConnectResponse {
  const r = new JuteReader(body);
  const res: ConnectResponse = {
    protocolVersion: r.readInt(),
    timeOut: r.readInt(),
    sessionId: r.readLong(),
    passwd: Buffer.from(r.readBuffer()),
  };
  if (r.remaining > 0) res.readOnly = r.readBool();
  return res;
}

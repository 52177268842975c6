import { Xid, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';

/** ping (xid -2): answered in order with the last zxid; the session was touched on receipt. */
export function handlePing(conn: ZkConnection, req: ZkRequest): void {
  conn.replies.read(() => conn.reply(Xid.ping, conn.ctx.service.lastZxid(), 0, undefined, 'PING', 0));
  void req;
}

import type { ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';

/** sync: on a standalone server every earlier write is already applied, so the reply (the path)
 *  only has to come after the session's earlier requests, which the reply queue guarantees. */
export function handleSync(conn: ZkConnection, req: ZkRequest, started: number): void {
  const path = (req.req as { path: string }).path;
  conn.replies.read(() => conn.reply(req.xid, conn.ctx.service.lastZxid(), 0, { kind: 'path', path }, 'SYNC', started));
}

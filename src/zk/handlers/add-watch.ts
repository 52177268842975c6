import { AddWatchMode, type AddWatchRequest, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';

/** addWatch (3.6+): a persistent or persistent-recursive watch that stays until removed. The
 *  reply carries an ErrorResponse(0) body (FinalRequestProcessor), which the Java client reads. */
export function handleAddWatch(conn: ZkConnection, req: ZkRequest, started: number): void {
  const { path, mode } = req.req as AddWatchRequest;
  conn.replies.read(() => {
    conn.ctx.service.watches.addPersistent(path, mode === AddWatchMode.PERSISTENT_RECURSIVE, conn);
    return conn.reply(req.xid, conn.ctx.service.lastZxid(), 0, { kind: 'error', err: 0 }, 'ADDW', started);
  });
}

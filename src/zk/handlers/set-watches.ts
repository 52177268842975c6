import { Xid, type SetWatches2, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';
import { nodeView } from '../model/index.js';

/**
 * SetWatches / SetWatches2 (xid -8) after a reconnect: events the client missed while it was away
 * are delivered now (DataTree.setWatches compares mzxid/pzxid with relativeZxid), the rest are
 * registered again. The reply follows the events, so the client sees them first.
 */
export function handleSetWatches(conn: ZkConnection, req: ZkRequest, started: number): void {
  const body = req.req as SetWatches2;
  conn.replies.read(() => {
    const { service } = conn.ctx;
    const zxid = service.lastZxid();
    service.watches.replay(body, conn, (path) => nodeView(service.state, path)?.stat ?? null, zxid);
    return conn.reply(Xid.setWatches, zxid, 0, undefined, req.type === 105 ? 'STW2' : 'SETW', started);
  });
}

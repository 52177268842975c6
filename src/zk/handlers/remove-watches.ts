import { Err } from '../codec/errors.js';
import { OpCode, type WatchesRequest, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';
import { isKnownWatcherType } from '../watches/watch-table.js';

/** checkWatches / removeWatches: NOWATCHER when this connection has no such watch on the path
 *  (FinalRequestProcessor → DataTree.containsWatcher / removeWatch). */
export function handleRemoveWatches(conn: ZkConnection, req: ZkRequest, started: number): void {
  const { path, type } = req.req as WatchesRequest;
  const remove = req.type === OpCode.removeWatches;
  conn.replies.read(() => {
    // ZooKeeper 3.8 knows WatcherType 1..3 here; others fail to deserialise (MARSHALLINGERROR).
    const err = !isKnownWatcherType(type) ? Err.MARSHALLINGERROR
      : conn.ctx.service.watches.removeWatches(path, type, conn, remove) ? Err.OK : Err.NOWATCHER;
    return conn.reply(req.xid, conn.ctx.service.lastZxid(), err, undefined, remove ? 'REMW' : 'CHKW', started);
  });
}

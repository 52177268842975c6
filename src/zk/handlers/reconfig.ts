import { Err } from '../codec/errors.js';
import type { ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';

/** reconfig on a standalone server with reconfigEnabled=false (ZooKeeper's default) answers
 *  RECONFIGDISABLED — the real 3.8 server prints "KeeperErrorCode = Reconfig is disabled". */
export function handleReconfig(conn: ZkConnection, req: ZkRequest, started: number): void {
  conn.replies.read(() => conn.reply(req.xid, conn.ctx.service.lastZxid(), Err.RECONFIGDISABLED, undefined, 'RECO', started));
}

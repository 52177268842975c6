import type { ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';

/** closeSession: a logged txn that deletes the session's ephemerals (firing their watches); the
 *  reply goes out, then the connection closes (NIOServerCnxn closes after the close response). */
export function handleCloseSession(conn: ZkConnection, req: ZkRequest, started: number): void {
  const session = conn.session!;
  const done = conn.replies.write(() => conn.closeAfterFlush());
  conn.ctx.service.closeSession(session.id, (result) => {
    done(conn.reply(req.xid, result.zxid, 0, undefined, 'CLOS', started));
  }).catch((err: unknown) => conn.fail(err, 'closeSession'));
}

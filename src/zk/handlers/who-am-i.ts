import type { ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';

/** whoAmI (3.7+): the connection's auth ids as ClientInfo (AuthUtil.getClientInfos: digest ids
 *  show their user name, ip ids the address). */
export function handleWhoAmI(conn: ZkConnection, req: ZkRequest, started: number): void {
  conn.replies.read(() => {
    const clientInfo = conn.authIds.map((a) => ({
      authScheme: a.scheme,
      user: a.scheme === 'digest' ? a.id.slice(0, a.id.indexOf(':')) : a.id,
    }));
    return conn.reply(req.xid, conn.ctx.service.lastZxid(), 0, { kind: 'whoAmI', clientInfo }, 'HOMI', started);
  });
}

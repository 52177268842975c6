import { Err } from '../codec/errors.js';
import { Xid, type AuthPacket, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';
import { generateDigest } from '../model/index.js';

/**
 * addauth (xid -4). Only the digest scheme is built in (DigestAuthenticationProvider): the id is
 * "user:" + base64(sha1("user:password")); when it equals the configured superDigest the
 * connection also gets the super id, which passes every ACL check. Any other scheme, or a
 * malformed digest credential, answers AUTHFAILED and closes the connection, as ZooKeeper does.
 */
export function handleAuth(conn: ZkConnection, req: ZkRequest): void {
  const packet = req.req as AuthPacket;
  conn.replies.read(() => {
    const credential = packet.auth.toString('utf8');
    if (packet.scheme !== 'digest' || !credential.includes(':')) {
      conn.ctx.logger.info({ conn: conn.id, scheme: packet.scheme }, 'zk authentication failed');
      setImmediate(() => conn.closeAfterFlush());
      return conn.reply(Xid.auth, 0, Err.AUTHFAILED, undefined, 'AUTH', 0);
    }
    const digest = generateDigest(credential);
    const superDigest = conn.ctx.settings.superDigest;
    if (superDigest !== null && digest === superDigest && !has(conn, 'super', '')) conn.authIds.push({ scheme: 'super', id: '' });
    if (!has(conn, 'digest', digest)) conn.authIds.push({ scheme: 'digest', id: digest });
    return conn.reply(Xid.auth, 0, Err.OK, undefined, 'AUTH', 0);
  });
}

function has(conn: ZkConnection, scheme: string, id: string): boolean {
  return conn.authIds.some((a) => a.scheme === scheme && a.id === id);
}

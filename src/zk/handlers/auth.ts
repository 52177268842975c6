import { Err } from '../codec/errors.js';
import { Xid, type AuthPacket, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';
import { generateDigest } from '../model/index.js';

/**
 * addauth (xid -4). Only the digest scheme is built in (DigestAuthenticationProvider): the id is
 * "user:" + base64(sha1("user:password")); when it equals the configured superDigest the
 * connection gets the super id (which passes every ACL check) before the digest id, as the real
 * server's whoAmI shows. Any other scheme, or a credential without ':', answers AUTHFAILED and
 * closes the connection, as ZooKeeper does. With Junction's --auth the password must also match
 * the shared user store.
 */
export function handleAuth(conn: ZkConnection, req: ZkRequest): void {
  const packet = req.req as AuthPacket;
  const credential = packet.auth.toString('utf8');
  const colon = credential.indexOf(':');
  const check = conn.ctx.authenticate;
  if (packet.scheme !== 'digest' || colon < 0) {
    conn.replies.read(() => refuse(conn, packet.scheme));
    return;
  }
  if (!check) {
    conn.replies.read(() => accept(conn, credential));
    return;
  }
  const done = conn.replies.write();
  conn.authCheck(true);
  check(credential.slice(0, colon), credential.slice(colon + 1)).then(
    (ok) => { done(ok ? accept(conn, credential) : refuse(conn, packet.scheme)); conn.authCheck(false); },
    (err: unknown) => conn.fail(err, 'auth'));
}

function accept(conn: ZkConnection, credential: string): Buffer {
  const digest = generateDigest(credential);
  const superDigest = conn.ctx.settings.superDigest;
  if (superDigest !== null && digest === superDigest && !has(conn, 'super', '')) conn.authIds.push({ scheme: 'super', id: '' });
  if (!has(conn, 'digest', digest)) conn.authIds.push({ scheme: 'digest', id: digest });
  return conn.reply(Xid.auth, 0, Err.OK, undefined, 'AUTH', 0);
}

function refuse(conn: ZkConnection, scheme: string): Buffer {
  conn.ctx.logger.info({ conn: conn.id, scheme }, 'zk authentication failed');
  setImmediate(() => conn.closeAfterFlush());
  return conn.reply(Xid.auth, 0, Err.AUTHFAILED, undefined, 'AUTH', 0);
}

function has(conn: ZkConnection, scheme: string, id: string): boolean {
  return conn.authIds.some((a) => a.scheme === scheme && a.id === id);
}

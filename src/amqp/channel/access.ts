import type { PermissionKind } from '../../core/auth/vhosts.js';
import { AmqpError } from '../connection/errors.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';
import type { Channel } from './channel.js';

/** rabbit_channel ?MAX_PERMISSION_CACHE_SIZE: a channel remembers this many granted checks. */
const PERMISSION_CACHE_SIZE = 12;

/**
 * rabbit_channel check_resource_access: the connection's user needs `perm` on the resource in
 * the channel's vhost, else 403 ACCESS_REFUSED with RabbitMQ's text (the default exchange is named
 * amq.default, as rabbit_access_control renames it). Granted checks are cached per channel, as
 * RabbitMQ does, so a permission change applies to channels opened afterwards. With --auth off
 * everything is allowed.
 */
export function checkAccess(ch: Channel, perm: PermissionKind, kind: 'exchange' | 'queue', name: string): void {
  const access = ch.conn.access;
  if (access === null) return;
  const key = `${perm}\u0000${kind}\u0000${name}`;
  const cache = ch.permissionCache;
  if (cache.includes(key)) return;
  const vhost = ch.vhost.name;
  if (!access.permitted(ch.conn.user, vhost, perm, { kind, name })) {
    const shown = kind === 'exchange' && name === '' ? 'amq.default' : name;
    throw AmqpError.text(ReplyCodes.ACCESS_REFUSED, ReplyTexts.resourceAccessRefused(kind, shown, vhost, ch.conn.user));
  }
  cache.unshift(key);
  if (cache.length > PERMISSION_CACHE_SIZE) cache.pop();
}

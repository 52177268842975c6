import { createHash } from 'node:crypto';
import type { ACL, Id } from '../codec/types.js';

/**
 * ACL rules of ZooKeeper 3.8 with its default providers: "world", "digest"
 * (DigestAuthenticationProvider) and "ip" (IPAuthenticationProvider). "super" is not a provider:
 * it is an auth id that bypasses every check (ZooKeeperServer.checkACL).
 */

/** DigestAuthenticationProvider.generateDigest: "user:" + base64(sha1("user:password")). */
export function generateDigest(idPassword: string): string {
  const user = idPassword.split(':', 1)[0]!;
  return user + ':' + createHash('sha1').update(idPassword, 'utf8').digest('base64');
}

/** Java's String.split(regex) with a literal separator: trailing empty strings are dropped. */
function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  if (parts.length === 1) return parts;
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java Integer.parseInt: optional sign, decimal digits, int range; NaN when invalid. */
function javaParseInt(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) return NaN;
  const n = Number(s);
  return n >= -2147483648 && n <= 2147483647 ? n : NaN;
}

/** IPAuthenticationProvider.v4addr2Bytes (the provider only understands IPv4). */
function ipv4Bytes(addr: string): number[] | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    const v = javaParseInt(p);
    if (!(v >= 0 && v <= 255)) return null;
    out.push(v);
  }
  return out;
}

/** "a.b.c.d" or "a.b.c.d/bits" → address and prefix length, or null when malformed. */
function parseIpExpr(expr: string): { addr: number[]; bits: number } | null {
  const slash = expr.indexOf('/');
  const addr = ipv4Bytes(slash === -1 ? expr : expr.slice(0, slash));
  if (!addr) return null;
  if (slash === -1) return { addr, bits: 32 };
  const bits = javaParseInt(expr.slice(slash + 1));
  if (!(bits >= 0 && bits <= 32)) return null;
  return { addr, bits };
}

function maskedEqual(a: number[], b: number[], bits: number): boolean {
  for (let i = 0; i < 4; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((a[i]! & mask) !== (b[i]! & mask)) return false;
  }
  return true;
}

/**
 * IPAuthenticationProvider.matches: the client address against "a.b.c.d[/bits]". Node reports an
 * IPv4 peer of a dual-stack socket as "::ffff:a.b.c.d" where Java reports "a.b.c.d".
 */
export function ipMatches(clientAddr: string, aclExpr: string): boolean {
  const acl = parseIpExpr(aclExpr);
  if (!acl) return false;
  const remote = ipv4Bytes(clientAddr.startsWith('::ffff:') ? clientAddr.slice(7) : clientAddr);
  if (!remote) return false;
  return maskedEqual(remote, acl.addr, acl.bits);
}

/** ServerAuthenticationProvider.isValid for the schemes an ACL may name directly. */
export function isValidAclId(id: Id): boolean {
  switch (id.scheme) {
    case 'world': return id.id === 'anyone';
    case 'digest': return javaSplit(id.id, ':').length === 2;
    case 'ip': return parseIpExpr(id.id) !== null;
    default: return false;
  }
}

/** Auth ids whose provider isAuthenticated() — what an "auth" ACL expands to. IP (not
 *  authenticated) and super (no provider) never appear in an expanded ACL. */
function isAuthenticatedId(id: Id): boolean {
  return id.scheme === 'digest';
}

function sameAcl(a: ACL, b: ACL): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

/**
 * PrepRequestProcessor.fixupACL: drop duplicates, reject an empty list or an invalid id, expand
 * "auth" to the requester's authenticated ids. Returns null for INVALIDACL.
 */
export function fixupACL(acls: readonly ACL[], auth: readonly Id[]): ACL[] | null {
  const unique: ACL[] = [];
  for (const a of acls) if (!unique.some((u) => sameAcl(u, a))) unique.push(a);
  if (unique.length === 0) return null;
  const out: ACL[] = [];
  for (const a of unique) {
    if (a.id.scheme === 'auth') {
      let expanded = false;
      for (const id of auth) {
        if (!isAuthenticatedId(id)) continue;
        out.push({ perms: a.perms, id: { scheme: id.scheme, id: id.id } });
        expanded = true;
      }
      if (!expanded) return null;
    } else if (isValidAclId(a.id)) {
      out.push({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } });
    } else {
      return null;
    }
  }
  return out;
}

/** Whether create/setACL would accept this ACL list for a requester with these auth ids. */
export function isValidAcl(acls: readonly ACL[], auth: readonly Id[] = []): boolean {
  return fixupACL(acls, auth) !== null;
}

/**
 * ZooKeeperServer.checkACL: true when some entry grants one of the `perm` bits to one of the
 * requester's ids. An empty ACL grants everything; a "super" auth id bypasses the check.
 */
export function checkACL(acl: readonly ACL[], perm: number, auth: readonly Id[]): boolean {
  if (acl.length === 0) return true;
  for (const id of auth) if (id.scheme === 'super') return true;
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    const { scheme, id } = a.id;
    if (scheme === 'world' && id === 'anyone') return true;
    for (const authId of auth) {
      if (authId.scheme !== scheme) continue;
      if (scheme === 'digest' && authId.id === id) return true;
      if (scheme === 'ip' && ipMatches(authId.id, id)) return true;
    }
  }
  return false;
}

/** FinalRequestProcessor getACL without ADMIN permission: digest ids shown as "user:x". */
export function maskDigests(acl: readonly ACL[]): ACL[] {
  return acl.map((a) => a.id.scheme === 'digest'
    ? { perms: a.perms, id: { scheme: 'digest', id: a.id.id.replace(/:.*/g, ':x') } }
    : a);
}

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JunctionError, StorageError } from '../errors.js';

/** Why a token or a password was refused; `reason` uses Nacos's own words (NacosSignatureAlgorithm). */
export class AuthDenied extends JunctionError {
  constructor(readonly reason: string) { super('AUTH_DENIED', reason); }
}

const KEY_FILE = 'jwt.key';
const KEY_BYTES = 32; // 256 bits: what HS256 needs (RFC 7518 §3.2)

/**
 * The JWT signing key. There is no built-in secret (Nacos once shipped a default key, which let
 * anyone forge tokens): it is generated from crypto random bytes on first start and kept in
 * <dataDir>/auth/jwt.key, readable by the owner only, so tokens survive restarts.
 */
export function loadOrCreateSigningKey(dir: string): Uint8Array {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, KEY_FILE);
  let encoded: string;
  try {
    encoded = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    encoded = randomBytes(KEY_BYTES).toString('base64');
    // 'wx' fails if another process created it meanwhile, instead of overwriting its key.
    writeFileSync(file, `${encoded}\n`, { mode: 0o600, flag: 'wx' });
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = Buffer.from(encoded, 'base64');
  if (key.length < KEY_BYTES) throw new StorageError(`${file}: signing key must be at least ${KEY_BYTES} bytes (base64)`);
  return new Uint8Array(key);
}

export interface TokenClaims { username: string; expiresAt: number /* epoch seconds */ }

/** jose is loaded with the first token, not at start: a server that never sees a login (auth off,
 *  ZooKeeper only) never pays for it. */
const jose = () => import('jose');

/** HS256 tokens shaped like Nacos's (`sub` = username, `exp` in seconds); time comes from the injected clock. */
export class TokenIssuer {
  constructor(private readonly key: Uint8Array, private readonly ttlSeconds: number) {}

  async issue(username: string, nowMs: number): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const { SignJWT } = await jose();
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' })
      .setSubject(username).setExpirationTime(expiresAt).sign(this.key);
    return { token, expiresAt };
  }

  /** Throws AuthDenied with Nacos's reason: "token expired!", "token invalid!" or "Invalid signature". */
  async verify(token: string, nowMs: number): Promise<TokenClaims> {
    const { errors: joseErrors, jwtVerify } = await jose();
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], currentDate: new Date(nowMs), clockTolerance: 0 });
      if (typeof payload.sub !== 'string' || payload.sub === '' || typeof payload.exp !== 'number') {
        throw new AuthDenied('token invalid!');
      }
      return { username: payload.sub, expiresAt: payload.exp };
    } catch (err) {
      if (err instanceof AuthDenied) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AuthDenied('token expired!');
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new AuthDenied('Invalid signature');
      throw new AuthDenied('token invalid!');
    }
  }
}

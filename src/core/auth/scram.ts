import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';

/**
 * SCRAM credentials (RFC 5802 §3, RFC 7677) kept beside a user's scrypt hash: a server can verify a
 * SCRAM client only from StoredKey and ServerKey, which a scrypt hash cannot give, so they are
 * derived from the plain password when it is set and stored with it (as Kafka's
 * `kafka-configs --alter --add-config SCRAM-SHA-256=[password=…]` stores a ScramCredential).
 * Any personality speaking SCRAM reads them through AuthService.scramCredential.
 */
export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];

/** Kafka's ScramMechanism.minIterations (and its kafka-configs default) for both hashes. */
export const SCRAM_ITERATIONS = 4096;
const SALT_BYTES = 24;

/** One mechanism's credential, base64 fields as Kafka's ScramCredentialUtils writes them. */
export interface ScramCredential { salt: string; iterations: number; storedKey: string; serverKey: string }
export type ScramCredentials = Partial<Record<ScramMechanism, ScramCredential>>;

interface HashInfo { name: 'sha256' | 'sha512'; bytes: number }
const HASHES: Record<ScramMechanism, HashInfo> = {
  'SCRAM-SHA-256': { name: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { name: 'sha512', bytes: 64 },
};

export function isScramMechanism(name: string): name is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(name);
}

export function scramHashName(mechanism: ScramMechanism): 'sha256' | 'sha512' { return HASHES[mechanism].name; }

/** Hi(password, salt, i) = PBKDF2 with HMAC-H (RFC 5802 §2.2); async, on the libuv pool. */
export function saltedPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  const { name, bytes } = HASHES[mechanism];
  return new Promise((resolve, reject) => {
    pbkdf2(Buffer.from(password, 'utf8'), salt, iterations, bytes, name, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(HASHES[mechanism].name, key).update(data).digest();
}

export function hash(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(HASHES[mechanism].name).update(data).digest();
}

/** ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey),
 *  ServerKey = HMAC(SaltedPassword, "Server Key") — Kafka's ScramFormatter.generateCredential. */
export function credentialFromSalted(mechanism: ScramMechanism, salted: Buffer, salt: Buffer, iterations: number): ScramCredential {
  const clientKey = hmac(mechanism, salted, 'Client Key');
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: hash(mechanism, clientKey).toString('base64'),
    serverKey: hmac(mechanism, salted, 'Server Key').toString('base64'),
  };
}

/** Credentials for every SCRAM mechanism from a plain password, each with its own random salt. */
export async function deriveScramCredentials(password: string): Promise<ScramCredentials> {
  const entries = await Promise.all(SCRAM_MECHANISMS.map(async (mechanism) => {
    const salt = randomBytes(SALT_BYTES);
    const salted = await saltedPassword(mechanism, password, salt, SCRAM_ITERATIONS);
    return [mechanism, credentialFromSalted(mechanism, salted, salt, SCRAM_ITERATIONS)] as const;
  }));
  return Object.fromEntries(entries);
}

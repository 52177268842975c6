/**
 * What --auth costs the Kafka personality (`npm run bench:kafka-auth`), in this process: the
 * authorization check a Produce or Fetch makes per topic (KafkaAuthorizer on the shared user
 * store, for a user holding 1, 10 and 100 permissions, and with auth off), one SASL login per
 * mechanism (PLAIN: an scrypt verify, memoized after the first; SCRAM: two HMAC rounds, no key
 * derivation on the server), and deriving the SCRAM credentials when a password is set. No
 * reference server runs here; Kafka's own authorizer figures are not published for this shape.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthService } from '../src/core/auth/auth-service.js';
import { deriveScramCredentials, hash, hmac, saltedPassword } from '../src/core/auth/scram.js';
import { ManualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { Storage } from '../src/core/storage/storage.js';
import { KafkaAuthorizer } from '../src/kafka/auth/authorizer.js';
import { PlainSaslServer } from '../src/kafka/auth/sasl-plain.js';
import { ScramSaslServer } from '../src/kafka/auth/sasl-scram.js';

async function perSecond(run: () => unknown | Promise<unknown>, ms = 1000): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) { await run(); n++; }
  return n / (ms / 1000);
}

async function scramLogin(users: AuthService, user: string, password: string): Promise<void> {
  const server = new ScramSaslServer('SCRAM-SHA-256', { users, authRequired: true });
  const bare = `n=${user},r=clientnonce`;
  const first = (await server.evaluate(Buffer.from(`n,,${bare}`))).toString();
  const attrs = Object.fromEntries(first.split(',').map((kv) => [kv[0], kv.slice(2)])) as Record<string, string>;
  const salted = await saltedPassword('SCRAM-SHA-256', password, Buffer.from(attrs.s!, 'base64'), Number(attrs.i));
  const clientKey = hmac('SCRAM-SHA-256', salted, 'Client Key');
  const without = `c=biws,r=${attrs.r!}`;
  const signature = hmac('SCRAM-SHA-256', hash('SCRAM-SHA-256', clientKey), `${bare},${first},${without}`);
  await server.evaluate(Buffer.from(`${without},p=${Buffer.from(clientKey.map((b, i) => b ^ signature[i]!)).toString('base64')}`));
}

const dir = mkdtempSync(join(tmpdir(), 'junction-bench-auth-'));
const users = await AuthService.open({
  storage: new Storage({ dataDir: dir, fsync: 'never', logger: silentLogger() }), authRequired: true, tokenTtlSeconds: 18000,
  adminInit: 'generate', adminUser: 'admin', logger: silentLogger(), clock: new ManualClock(), env: { JUNCTION_ADMIN_PASSWORD: 'admin-pw' },
});
try {
  console.log('kafka --auth bench (in process)');
  console.log('authorize WRITE topic   checks/s');
  const off = new KafkaAuthorizer(users, false, silentLogger());
  console.log(`  auth off             ${(await perSecond(() => off.authorize(null, 'WRITE', 'topic', 'orders-eu'))).toFixed(0).padStart(10)}`);
  const on = new KafkaAuthorizer(users, true, silentLogger());
  for (const count of [1, 10, 100]) {
    const user = `u${count}`;
    await users.createUser(user, 'pw');
    await users.addRole(`r${count}`, user);
    // The matching permission last: the worst case, every other one is tried first.
    for (let i = 1; i < count; i++) await users.addPermission(`r${count}`, `kafka:topic:other-${i}-*`, 'rw');
    await users.addPermission(`r${count}`, 'kafka:topic:orders-*', 'rw');
    console.log(`  ${String(count).padStart(3)} permissions     ${(await perSecond(() => on.authorize(user, 'WRITE', 'topic', 'orders-eu'))).toFixed(0).padStart(10)}`);
  }
  console.log('login / credentials       per s');
  console.log(`  PLAIN, first         ${(await perSecond(() => new PlainSaslServer({ users, authRequired: true }).evaluate(Buffer.from(`\0u1\0pw${Math.random()}`)).catch(() => {}), 2000)).toFixed(1).padStart(10)}  (scrypt verify of a wrong password)`);
  console.log(`  PLAIN, memoized      ${(await perSecond(() => new PlainSaslServer({ users, authRequired: true }).evaluate(Buffer.from('\0u1\0pw')))).toFixed(0).padStart(10)}`);
  console.log(`  SCRAM-SHA-256 login  ${(await perSecond(() => scramLogin(users, 'u1', 'pw'))).toFixed(1).padStart(10)}  (client side PBKDF2 included)`);
  console.log(`  derive SCRAM creds   ${(await perSecond(() => deriveScramCredentials('pw'), 2000)).toFixed(1).padStart(10)}  (both hashes, 4096 iterations, at password set)`);
} finally {
  await users.close();
  rmSync(dir, { recursive: true, force: true });
}

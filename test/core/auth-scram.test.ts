// SCRAM credentials kept in the shared user store (core/auth/scram.ts): derived from the password
// when it is set, replaced when it changes, absent for users whose password predates them.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AuthService } from '../../src/core/auth/auth-service.js';
import { authMachine } from '../../src/core/auth/model.js';
import {
  credentialFromSalted, deriveScramCredentials, hash, hmac, SCRAM_ITERATIONS, saltedPassword,
} from '../../src/core/auth/scram.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { Storage } from '../../src/core/storage/storage.js';

async function withService<T>(dir: string, fn: (auth: AuthService) => Promise<T>): Promise<T> {
  const auth = await AuthService.open({
    storage: new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() }), authRequired: true, tokenTtlSeconds: 18000,
    adminInit: 'generate', adminUser: 'admin', logger: silentLogger(), clock: new ManualClock(), env: { JUNCTION_ADMIN_PASSWORD: 'admin-pw' },
  });
  try { return await fn(auth); } finally { await auth.close(); }
}

/** Does `password` produce this credential's StoredKey (what a SCRAM server checks, RFC 5802 §3)? */
async function matches(cred: { salt: string; iterations: number; storedKey: string }, mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', password: string): Promise<boolean> {
  const salted = await saltedPassword(mechanism, password, Buffer.from(cred.salt, 'base64'), cred.iterations);
  return hash(mechanism, hmac(mechanism, salted, 'Client Key')).toString('base64') === cred.storedKey;
}

describe('SCRAM credentials', () => {
  it('RFC 7677 §3: SaltedPassword of "pencil" gives the ServerSignature of the example exchange', async () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const salted = await saltedPassword('SCRAM-SHA-256', 'pencil', salt, 4096);
    const cred = credentialFromSalted('SCRAM-SHA-256', salted, salt, 4096);
    const authMessage = 'n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,'
      + 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const signature = hmac('SCRAM-SHA-256', Buffer.from(cred.serverKey, 'base64'), authMessage).toString('base64');
    assert.equal(signature, '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it('derives both mechanisms with their own salts, 4096 iterations, 32- and 64-byte keys', async () => {
    const creds = await deriveScramCredentials('s3cret');
    const a = creds['SCRAM-SHA-256']!;
    const b = creds['SCRAM-SHA-512']!;
    assert.equal(a.iterations, SCRAM_ITERATIONS);
    assert.equal(b.iterations, 4096);
    assert.notEqual(a.salt, b.salt);
    assert.equal(Buffer.from(a.storedKey, 'base64').length, 32);
    assert.equal(Buffer.from(b.serverKey, 'base64').length, 64);
    assert.equal(await matches(a, 'SCRAM-SHA-256', 's3cret'), true);
    assert.equal(await matches(b, 'SCRAM-SHA-512', 's3cret'), true);
    assert.equal(await matches(a, 'SCRAM-SHA-256', 's3cret!'), false);
  });
});

describe('SCRAM credentials in the user store', () => {
  it('are stored on create, replaced on a password change, kept across restart, never with the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-scram-'));
    try {
      await withService(dir, async (auth) => {
        assert.equal((await auth.createUser('alice', 'first-pw')).ok, true);
        assert.equal(await matches(auth.scramCredential('alice', 'SCRAM-SHA-256')!, 'SCRAM-SHA-256', 'first-pw'), true);
        assert.equal((await auth.setPassword('alice', 'second-pw')).ok, true);
        assert.equal(await matches(auth.scramCredential('alice', 'SCRAM-SHA-512')!, 'SCRAM-SHA-512', 'second-pw'), true);
        assert.equal(await matches(auth.scramCredential('alice', 'SCRAM-SHA-256')!, 'SCRAM-SHA-256', 'first-pw'), false);
        assert.equal(auth.scramCredential('nobody', 'SCRAM-SHA-256'), null);
        assert.ok(auth.scramCredential('admin', 'SCRAM-SHA-256'), 'the initial admin gets credentials too');
      });
      await withService(dir, async (auth) => {
        assert.equal(await matches(auth.scramCredential('alice', 'SCRAM-SHA-256')!, 'SCRAM-SHA-256', 'second-pw'), true);
      });
      const files = readdirSync(join(dir, 'auth'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
      for (const f of files) assert.ok(!readFileSync(join(f.parentPath, f.name)).includes('second-pw'), f.name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a user whose password was set by a command without credentials (older data) has none until set again', () => {
    const state = authMachine.initial();
    authMachine.apply(state, { type: 'auth.user.create', username: 'old', passwordHash: 'scrypt$x' });
    assert.equal(state.users.get('old')!.scram, undefined);
    authMachine.apply(state, { type: 'auth.user.password', username: 'old', passwordHash: 'scrypt$y', scram: { 'SCRAM-SHA-256': { salt: 'c2FsdA==', iterations: 4096, storedKey: 'a', serverKey: 'b' } } });
    assert.equal(state.users.get('old')!.scram!['SCRAM-SHA-256']!.storedKey, 'a');
    // A later change without credentials must not leave the old ones accepting the old password.
    authMachine.apply(state, { type: 'auth.user.password', username: 'old', passwordHash: 'scrypt$z' });
    assert.equal(state.users.get('old')!.scram, undefined);
    const restored = authMachine.restore(JSON.parse(JSON.stringify(authMachine.snapshot(state))));
    assert.deepEqual(restored.users.get('old'), { username: 'old', passwordHash: 'scrypt$z' });
  });
});

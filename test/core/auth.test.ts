import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { AuthDenied, AuthService, GLOBAL_ADMIN_ROLE, type AuthServiceOptions } from '../../src/core/auth/auth-service.js';
import { authMachine, type AuthCommand } from '../../src/core/auth/model.js';
import { hashPassword, verifyPassword } from '../../src/core/auth/password.js';
import { ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { Storage } from '../../src/core/storage/storage.js';
import { PERSONALITIES } from '../../src/personalities.js';

// Not the shared test helper: this file tests core/auth alone, without the Nacos server.
const tempDir = () => mkdtempSync(join(tmpdir(), 'junction-auth-'));

/** Options for an AuthService whose store lives in <dir>/auth. */
function options(dir: string, extra: Partial<AuthServiceOptions> = {}): AuthServiceOptions {
  return {
    storage: new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() }), authRequired: true, tokenTtlSeconds: 18000, adminInit: 'generate',
    adminUser: 'nacos', logger: silentLogger(), clock: new ManualClock(), env: { JUNCTION_ADMIN_PASSWORD: 'admin-secret' }, ...extra,
  };
}

async function withService<T>(opts: AuthServiceOptions, fn: (auth: AuthService) => Promise<T>): Promise<T> {
  const auth = await AuthService.open(opts);
  try { return await fn(auth); } finally { await auth.close(); }
}

describe('password hashing (scrypt)', () => {
  it('verifies the right password, refuses a wrong one, and never stores the password', async () => {
    const hash = await hashPassword('s3cret!');
    assert.notEqual(hash, 's3cret!');
    assert.ok(!hash.includes('s3cret!'));
    assert.match(hash, /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('s3cret!', hash), true);
    assert.equal(await verifyPassword('s3cret?', hash), false);
    assert.equal(await verifyPassword('s3cret!', 'garbage'), false);
  });

  it('salts per hash: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('same', a), true);
    assert.equal(await verifyPassword('same', b), true);
  });
});

describe('auth state machine', () => {
  const run = (commands: AuthCommand[]) => {
    const state = authMachine.initial();
    const results = commands.map((c) => authMachine.apply(state, c));
    return { state, results };
  };

  it('enforces Nacos invariants: one admin init, ROLE_ADMIN not grantable or deletable, roles need users', () => {
    const { state, results } = run([
      { type: 'auth.admin.init', username: 'nacos', passwordHash: 'h1' },
      { type: 'auth.admin.init', username: 'other', passwordHash: 'h2' },
      { type: 'auth.role.add', role: GLOBAL_ADMIN_ROLE, username: 'nacos' },
      { type: 'auth.role.add', role: 'dev', username: 'ghost' },
      { type: 'auth.permission.add', role: 'dev', resource: 'public:*:*', action: 'r' },
      { type: 'auth.role.delete', role: GLOBAL_ADMIN_ROLE },
      { type: 'auth.user.delete', username: 'nacos' },
    ]);
    assert.deepEqual(results.map((r) => (r as { ok: boolean; error?: string }).error ?? 'ok'),
      ['ok', 'admin-exists', 'role-not-permitted', 'user-not-found', 'role-not-found', 'admin-protected', 'admin-protected']);
    assert.deepEqual([...state.users.keys()], ['nacos']);
  });

  it('deleting a user drops their role bindings; snapshot + restore rebuild the same state', () => {
    const { state } = run([
      { type: 'auth.user.create', username: 'a', passwordHash: 'ha' },
      { type: 'auth.user.create', username: 'b', passwordHash: 'hb' },
      { type: 'auth.role.add', role: 'dev', username: 'a' },
      { type: 'auth.role.add', role: 'dev', username: 'b' },
      { type: 'auth.permission.add', role: 'dev', resource: 'ns:*:*', action: 'rw' },
      { type: 'auth.permission.add', role: 'dev', resource: 'ns:*:*', action: 'rw' },
      { type: 'auth.user.delete', username: 'a' },
    ]);
    assert.deepEqual(state.roles, [{ role: 'dev', username: 'b' }]);
    assert.equal(state.permissions.length, 1, 'a permission is stored once');
    const copy = authMachine.restore(JSON.parse(JSON.stringify(authMachine.snapshot(state))));
    assert.deepEqual(authMachine.snapshot(copy), authMachine.snapshot(state));
  });
});

describe('AuthService', () => {
  it('generates the JWT key once (mode 0600) and reuses it across restarts', async () => {
    const dir = tempDir();
    try {
      const opts = options(dir);
      const token = await withService(opts, async (auth) => (await auth.issueToken('nacos')).token);
      const keyFile = join(dir, 'auth', 'jwt.key');
      const key = readFileSync(keyFile, 'utf8');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.ok(Buffer.from(key.trim(), 'base64').length >= 32);
      await withService(opts, async (auth) => {
        assert.equal(readFileSync(keyFile, 'utf8'), key, 'key unchanged by a restart');
        assert.equal(await auth.verifyToken(token), 'nacos', 'a token from before the restart still verifies');
      });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('tokens expire after tokenTtlSeconds by the injected clock', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    try {
      await withService(options(dir, { tokenTtlSeconds: 60, clock }), async (auth) => {
        const { token, ttlSeconds } = await auth.issueToken('nacos');
        assert.equal(ttlSeconds, 60);
        clock.advance(59_000);
        assert.equal(await auth.verifyToken(token), 'nacos');
        clock.advance(1_000);
        await assert.rejects(auth.verifyToken(token), (e) => e instanceof AuthDenied && e.reason === 'token expired!');
        await assert.rejects(auth.verifyToken(`${token.slice(0, -2)}xx`), (e) => e instanceof AuthDenied);
        await assert.rejects(auth.verifyToken('not-a-jwt'), (e) => e instanceof AuthDenied && e.reason === 'token invalid!');
      });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('users, roles and permissions survive a restart; passwords are stored as hashes only', async () => {
    const dir = tempDir();
    try {
      const opts = options(dir);
      await withService(opts, async (auth) => {
        assert.equal((await auth.createUser('alice', 'alice-pw')).ok, true);
        assert.equal((await auth.addRole('reader', 'alice')).ok, true);
        assert.equal((await auth.addPermission('reader', 'public:*:*', 'r')).ok, true);
      });
      await withService(opts, async (auth) => {
        assert.equal(await auth.authenticate('alice', 'alice-pw'), 'alice');
        await assert.rejects(auth.authenticate('alice', 'wrong'), (e) => e instanceof AuthDenied && e.reason === 'user not found!');
        assert.deepEqual(auth.rolesOf('alice'), ['reader']);
        assert.deepEqual(auth.permissionsOf('alice'), [{ role: 'reader', resource: 'public:*:*', action: 'r' }]);
      });
      const logBytes = readDirBytes(join(dir, 'auth'));
      assert.ok(!logBytes.includes('alice-pw') && !logBytes.includes('admin-secret'), 'no plain password on disk');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('a changed password takes effect at once, even for credentials seen before', async () => {
    const dir = tempDir();
    try {
      await withService(options(dir), async (auth) => {
        await auth.createUser('bob', 'one');
        assert.equal(await auth.authenticate('bob', 'one'), 'bob');
        await auth.setPassword('bob', 'two');
        await assert.rejects(auth.authenticate('bob', 'one'), AuthDenied);
        assert.equal(await auth.authenticate('bob', 'two'), 'bob');
      });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('AuthService on a Storage', () => {
  it('commits through the Storage\'s shared cycles: one cycle with the other stores', async () => {
    const dir = tempDir();
    try {
      const cycles: number[] = [];
      // The other log waits up to 5 s to gather appends; the auth store's own 2 ms delay starts
      // the cycle, which takes every log with pending appends.
      const storage = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger(), commit: { onCycle: (c) => cycles.push(c.logs) } });
      const other = await storage.rawLog('other', { log: { batchDelayMs: 5000 } });
      await withService(options(dir, { storage }), async (auth) => {
        cycles.length = 0;
        const t0 = Date.now();
        const [created] = await Promise.all([auth.createUser('carol', 'carol-pw'), other.append(Buffer.from('x'))]);
        assert.equal(created.ok, true);
        assert.deepEqual(cycles, [2], 'the auth log and the other log shared one cycle');
        assert.ok(Date.now() - t0 < 5000, 'the other log did not wait for its own delay');
      });
      await storage.close();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('initial admin', () => {
  it('takes JUNCTION_ADMIN_PASSWORD when set', async () => {
    const dir = tempDir();
    try {
      await withService(options(dir), async (auth) => {
        assert.equal(auth.isGlobalAdmin('nacos'), true);
        assert.equal(await auth.authenticate('nacos', 'admin-secret'), 'nacos');
      });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('otherwise generates one into a file only its owner reads, never into the log, and not again on restart', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => { lines.push(s); } });
    try {
      const opts = options(dir, { adminUser: 'root', env: {}, logger });
      const password = await withService(opts, async (auth) => {
        assert.deepEqual(auth.generatedAdmin, { username: 'root', passwordFile: join(dir, 'auth', 'initial-admin-password') });
        const file = auth.generatedAdmin!.passwordFile;
        assert.equal(statSync(file).mode & 0o777, 0o600);
        const pw = readFileSync(file, 'utf8').trim();
        assert.ok(pw.length >= 16);
        assert.equal(await auth.authenticate('root', pw), 'root');
        assert.equal(auth.isGlobalAdmin('root'), true);
        const warn = lines.map((l) => JSON.parse(l) as { level: number; passwordFile?: string }).filter((l) => l.level === 40);
        assert.equal(warn.length, 1, 'one warn line says where the password went');
        assert.equal(warn[0]!.passwordFile, file);
        assert.ok(!lines.join('').includes(pw), 'the password is not logged');
        return pw;
      });
      // Only the file holds it: the store keeps a hash.
      assert.ok(!readDirBytes(join(dir, 'auth', 'log')).includes(password), 'the generated password is not in the store');
      await withService(opts, async (auth) => {
        assert.equal(auth.generatedAdmin, null, 'not generated again');
        assert.equal(await auth.authenticate('root', password), 'root');
      });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it("creates no admin with adminInit 'api' or with auth off", async () => {
    for (const over of [{ adminInit: 'api' as const }, { authRequired: false }]) {
      const dir = tempDir();
      try {
        await withService(options(dir, over), async (auth) => {
          assert.equal(auth.hasGlobalAdmin(), false);
          assert.deepEqual(auth.users(), []);
        });
      } finally { rmSync(dir, { recursive: true, force: true }); }
    }
  });
});

describe('config: auth and bind', () => {
  it('refuses to listen on 0.0.0.0 without auth, and allows it with auth', () => {
    assert.throws(() => loadConfig(PERSONALITIES, { bind: '0.0.0.0' }, {}), (e) => e instanceof ConfigError && /refusing to listen on 0\.0\.0\.0/.test(e.message));
    assert.equal(loadConfig(PERSONALITIES, { bind: '0.0.0.0', auth: true }, {}).bind, '0.0.0.0');
  });
});

function readDirBytes(dir: string): string {
  let out = '';
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out += readFileSync(join(entry.parentPath, entry.name)).toString('latin1');
  }
  return out;
}

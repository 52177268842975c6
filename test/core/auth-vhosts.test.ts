import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AuthService, type AuthServiceOptions } from '../../src/core/auth/auth-service.js';
import { authMachine, type AuthCommand } from '../../src/core/auth/model.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { Storage } from '../../src/core/storage/storage.js';

const run = (commands: AuthCommand[]) => {
  const state = authMachine.initial();
  const results = commands.map((c) => authMachine.apply(state, c));
  return { state, results };
};
const user = (username: string): AuthCommand => ({ type: 'auth.user.create', username, passwordHash: 'h' });

describe('RabbitMQ vhosts, tags and permissions in the user store', () => {
  it('starts with the default vhost "/", which cannot be deleted', () => {
    const { state, results } = run([{ type: 'auth.vhost.delete', name: '/' }, { type: 'auth.vhost.delete', name: 'nope' }]);
    assert.deepEqual([...state.vhosts.keys()], ['/']);
    assert.deepEqual(results, [{ ok: false, error: 'vhost-protected' }, { ok: false, error: 'vhost-not-found' }]);
  });

  it('stores tags as rabbitmq:<tag> roles, replaced as set_user_tags does, dropped with the user', () => {
    const { state, results } = run([
      user('alice'),
      { type: 'auth.role.add', role: 'nacos-reader', username: 'alice' },
      { type: 'auth.tags.set', username: 'alice', tags: ['monitoring', 'management'] },
      { type: 'auth.tags.set', username: 'alice', tags: ['administrator', 'administrator'] },
      { type: 'auth.tags.set', username: 'bob', tags: ['monitoring'] },
    ]);
    assert.deepEqual(results.slice(2), [{ ok: true }, { ok: true }, { ok: false, error: 'user-not-found' }]);
    assert.deepEqual(state.roles, [{ role: 'nacos-reader', username: 'alice' }, { role: 'rabbitmq:administrator', username: 'alice' }]);
    authMachine.apply(state, { type: 'auth.user.delete', username: 'alice' });
    assert.deepEqual(state.roles, []);
  });

  it('sets one permission record per (user, vhost), refusing unknown users, vhosts and bad regexes', () => {
    const set = (username: string, vhost: string, configure = '.*'): AuthCommand =>
      ({ type: 'auth.vhost.permission.set', username, vhost, configure, write: '.*', read: '.*' });
    const { state, results } = run([
      user('alice'), { type: 'auth.vhost.put', name: 'v2', description: 'second', tags: ['t'] },
      set('alice', '/'), set('alice', '/', '^q-'), set('alice', 'v2'), set('bob', '/'), set('alice', 'v3'), set('alice', '/', '('),
    ]);
    assert.deepEqual(results.slice(2), [{ ok: true }, { ok: true }, { ok: true },
      { ok: false, error: 'user-not-found' }, { ok: false, error: 'vhost-not-found' }, { ok: false, error: 'invalid-regexp' }]);
    assert.deepEqual(state.vhostPermissions.map((p) => [p.vhost, p.configure]), [['/', '^q-'], ['v2', '.*']]);
    authMachine.apply(state, { type: 'auth.vhost.delete', name: 'v2' });
    assert.deepEqual(state.vhostPermissions.map((p) => p.vhost), ['/']);
    authMachine.apply(state, { type: 'auth.vhost.permission.clear', username: 'alice', vhost: '/' });
    assert.deepEqual(state.vhostPermissions, []);
  });

  it('survives snapshot and restore, and an old image without vhosts gets "/"', () => {
    const { state } = run([user('a'), { type: 'auth.vhost.put', name: 'v', description: 'd', tags: ['x'], defaultQueueType: 'classic' },
      { type: 'auth.vhost.permission.set', username: 'a', vhost: 'v', configure: '', write: 'w', read: 'r' }]);
    const back = authMachine.restore(JSON.parse(JSON.stringify(authMachine.snapshot(state))));
    assert.deepEqual(back, state);
    const old = authMachine.restore({ users: [], roles: [], permissions: [] });
    assert.deepEqual([...old.vhosts.keys()], ['/']);
    assert.deepEqual(old.vhostPermissions, []);
  });
});

describe('RabbitAccess (what the broker asks)', () => {
  function options(dir: string): AuthServiceOptions {
    return {
      storage: new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() }), authRequired: true, tokenTtlSeconds: 60,
      adminInit: 'generate', adminUser: 'admin', logger: silentLogger(), clock: new ManualClock(), env: { JUNCTION_ADMIN_PASSWORD: 'pw' },
    };
  }

  it('makes the initial admin an administrator with .* .* .* on "/", durable across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-vhosts-'));
    try {
      let auth = await AuthService.open(options(dir));
      assert.deepEqual(auth.rabbit.tagsOf('admin'), ['administrator']);
      assert.deepEqual(auth.rabbit.permissions(), [{ username: 'admin', vhost: '/', configure: '.*', write: '.*', read: '.*' }]);
      await auth.createUser('bob', 'secret');
      assert.deepEqual(await auth.rabbit.putVhost('deamo-vhost'), { ok: true });
      assert.deepEqual(await auth.rabbit.setPermission('bob', 'deamo-vhost', { configure: '^bob-', write: '', read: '.*' }), { ok: true });
      await auth.rabbit.setTags('bob', ['monitoring']);
      await auth.close();
      auth = await AuthService.open(options(dir));
      try {
        assert.ok(auth.rabbit.vhostExists('deamo-vhost'));
        assert.deepEqual(auth.rabbit.tagsOf('bob'), ['monitoring']);
        assert.ok(auth.rabbit.canAccessVhost('bob', 'deamo-vhost'));
        assert.ok(!auth.rabbit.canAccessVhost('bob', '/'));
        assert.ok(auth.rabbit.canAccessVhost('admin', '/'));
        assert.ok(!auth.rabbit.canAccessVhost('admin', 'nope'));
      } finally { await auth.close(); }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('matches regexes as rabbit_access_control: unanchored, "" only the empty name, default exchange as amq.default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-vhosts-'));
    const auth = await AuthService.open(options(dir));
    try {
      await auth.createUser('u', 'pw');
      await auth.rabbit.setPermission('u', '/', { configure: '^bob-', write: '', read: 'amq\\.default|q' });
      const can = (kind: 'configure' | 'write' | 'read', r: 'exchange' | 'queue', name: string) => auth.rabbit.permitted('u', '/', kind, { kind: r, name });
      assert.equal(can('configure', 'queue', 'bob-1'), true);
      assert.equal(can('configure', 'queue', 'alice-bob-1'), false);
      assert.equal(can('write', 'queue', 'anything'), false);
      assert.equal(can('write', 'queue', ''), true);
      // '' as the default exchange is checked as "amq.default", so '' (= ^$) does not grant it.
      assert.equal(can('write', 'exchange', ''), false);
      assert.equal(can('read', 'exchange', ''), true);
      assert.equal(can('read', 'queue', 'my-queue'), true, 'unanchored: contains q');
      assert.equal(auth.rabbit.permitted('u', 'other', 'read', { kind: 'queue', name: 'q' }), false);
      assert.equal(auth.rabbit.permitted('nobody', '/', 'read', { kind: 'queue', name: 'q' }), false);
    } finally { await auth.close(); rmSync(dir, { recursive: true, force: true }); }
  });
});

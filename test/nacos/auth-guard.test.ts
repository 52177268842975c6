import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { AuthService } from '../../src/core/auth/auth-service.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { Storage } from '../../src/core/storage/storage.js';
import { NacosAccessDenied } from '../../src/nacos/auth/access-denied.js';
import { createNacosGuard } from '../../src/nacos/auth/guard.js';
import { resourceNames, resourcePattern } from '../../src/nacos/auth/resource.js';
import type { AuthGuard, NacosResource } from '../../src/nacos/context.js';

const fakeRequest = (query: Record<string, string>, headers: Record<string, string> = {}): FastifyRequest =>
  ({ query, body: undefined, headers }) as unknown as FastifyRequest;

const res = (namespaceId: string, group: string, kind: 'naming' | 'config', name: string): NacosResource => ({ namespaceId, group, kind, name });

async function denied(p: Promise<void>, reason: string): Promise<void> {
  await assert.rejects(p, (e) => e instanceof NacosAccessDenied && e.status === 403 && e.reason === reason);
}

describe('Nacos resource strings (NacosRoleServiceImpl.joinResource)', () => {
  it('joins namespace:group:kind/name; blank group → *, blank name → kind/*; public both ways', () => {
    assert.deepEqual(resourceNames(res('dev', 'G', 'naming', 'svc')), ['dev:G:naming/svc']);
    assert.deepEqual(resourceNames(res('dev', '', 'config', '')), ['dev:*:config/*']);
    assert.deepEqual(resourceNames(res('public', 'G', 'config', 'a.yaml')), [':G:config/a.yaml', 'public:G:config/a.yaml']);
    assert.deepEqual(resourceNames(res('', 'G', 'config', 'a')), [':G:config/a', 'public:G:config/a']);
  });
  it('* is a wildcard, everything else literal, whole string', () => {
    assert.ok(resourcePattern('dev:*:*').test('dev:G:naming/svc'));
    assert.ok(resourcePattern('dev:G:config/app-*').test('dev:G:config/app-1.yaml'));
    assert.ok(!resourcePattern('dev:G:config/app-*').test('dev:H:config/app-1'));
    assert.ok(!resourcePattern('dev:G:config/a.b').test('dev:G:config/aXb'));
    assert.ok(!resourcePattern('dev:*:*').test('prod:G:naming/svc'));
    assert.ok(!resourcePattern('dev').test('dev:G:naming/svc'));
  });
});

describe('createNacosGuard', () => {
  let dir: string;
  let auth: AuthService;
  let guard: AuthGuard;
  const clock = new ManualClock();
  let tokens: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'junction-guard-'));
    auth = await AuthService.open({
      storage: new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() }), authRequired: true, tokenTtlSeconds: 100, adminInit: 'generate', adminUser: 'nacos',
      logger: silentLogger(), clock, env: { JUNCTION_ADMIN_PASSWORD: 'pw' },
    });
    for (const [user, role, resource, action] of [
      ['reader', 'readers', 'public:*:*', 'r'], ['legacy', 'legacy', ':*:*', 'r'],
      ['writer', 'writers', 'dev:*:*', 'rw'], ['narrow', 'narrow', 'dev:G:config/app-*', 'w'],
    ] as const) {
      await auth.createUser(user, `${user}-pw`);
      await auth.addRole(role, user);
      await auth.addPermission(role, resource, action);
    }
    await auth.createUser('nobody', 'nobody-pw');
    guard = createNacosGuard(auth, true);
    tokens = {};
    for (const u of ['nacos', 'reader', 'legacy', 'writer', 'narrow', 'nobody']) tokens[u] = (await auth.issueToken(u)).token;
  });
  after(async () => { await auth.close(); rmSync(dir, { recursive: true, force: true }); });

  const as = (user: string) => fakeRequest({ accessToken: tokens[user]! });

  it('a global admin may do anything', async () => {
    await guard.check(as('nacos'), res('anything', 'G', 'config', 'x'), 'w');
    await guard.requireAdmin(as('nacos'));
  });

  it('public:*:* r reads but does not write; `:*:*` (Nacos 2.x spelling) works the same', async () => {
    for (const user of ['reader', 'legacy']) {
      await guard.check(as(user), res('public', 'DEFAULT_GROUP', 'naming', 'svc'), 'r');
      await guard.check(as(user), res('', 'DEFAULT_GROUP', 'config', 'a'), 'r');
      await denied(guard.check(as(user), res('public', 'DEFAULT_GROUP', 'naming', 'svc'), 'w'), 'authorization failed!');
      await denied(guard.check(as(user), res('dev', 'DEFAULT_GROUP', 'naming', 'svc'), 'r'), 'authorization failed!');
      await denied(guard.requireAdmin(as(user)), 'authorization failed!');
    }
  });

  it('rw grants both; patterns narrow by group and name; no role → nothing', async () => {
    await guard.check(as('writer'), res('dev', 'G', 'config', 'a'), 'r');
    await guard.check(as('writer'), res('dev', 'G', 'config', 'a'), 'w');
    await guard.check(as('narrow'), res('dev', 'G', 'config', 'app-1'), 'w');
    await denied(guard.check(as('narrow'), res('dev', 'G', 'config', 'app-1'), 'r'), 'authorization failed!');
    await denied(guard.check(as('narrow'), res('dev', 'H', 'config', 'app-1'), 'w'), 'authorization failed!');
    await denied(guard.check(as('nobody'), res('public', 'G', 'config', 'a'), 'r'), 'authorization failed!');
  });

  it('identity from Bearer header, accessToken, or username+password; nothing else', async () => {
    const r = res('public', 'G', 'naming', 's');
    await guard.check(fakeRequest({}, { authorization: `Bearer ${tokens.reader}` }), r, 'r');
    await guard.check(fakeRequest({ username: 'reader', password: 'reader-pw' }), r, 'r');
    await denied(guard.check(fakeRequest({ username: 'reader', password: 'nope' }), r, 'r'), 'user not found!');
    await denied(guard.check(fakeRequest({}), r, 'r'), 'user not found!');
    await denied(guard.check(fakeRequest({}, { 'user-agent': 'Nacos-Server' }), r, 'r'), 'user not found!');
    await denied(guard.check(fakeRequest({ accessToken: 'x.y.z' }), r, 'r'), 'token invalid!');
    // A token wins over credentials, as in Nacos: a bad token is not rescued by a good password.
    await denied(guard.check(fakeRequest({ accessToken: 'bad', username: 'reader', password: 'reader-pw' }), r, 'r'), 'token invalid!');
  });

  it('tokens expire by the injected clock', async () => {
    const { token } = await auth.issueToken('reader');
    const r = res('public', 'G', 'naming', 's');
    clock.advance(99_000);
    await guard.check(fakeRequest({ accessToken: token }), r, 'r');
    clock.advance(1_000);
    await denied(guard.check(fakeRequest({ accessToken: token }), r, 'r'), 'token expired!');
  });

  it('with auth off every check passes', async () => {
    const open = createNacosGuard(auth, false);
    await open.check(fakeRequest({}), res('x', 'G', 'config', 'a'), 'w');
    await open.requireAdmin(fakeRequest({}));
  });
});

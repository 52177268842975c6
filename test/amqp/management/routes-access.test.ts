import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asAdmin, basic, openMgmt, type Mgmt } from './harness.js';

describe('management API: authentication and tags (--auth on)', () => {
  let m: Mgmt;
  before(async () => {
    m = await openMgmt(true);
    await m.users.createUser('mon', 'mon-pw');
    await m.users.rabbit.setTags('mon', ['monitoring']);
    await m.users.createUser('plain', 'plain-pw');
  });
  after(() => m.close());

  it('answers 401 not_authorized "Login failed" with a Basic challenge for no or wrong credentials', async () => {
    for (const headers of [{}, { authorization: basic('admin', 'wrong') }, { authorization: basic('ghost', 'x') }]) {
      const res = await m.app.inject({ method: 'GET', url: '/api/overview', headers });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { error: 'not_authorized', reason: 'Login failed' });
      assert.match(String(res.headers['www-authenticate']), /^Basic realm=/);
    }
  });

  it('refuses a user without a management tag, and a monitoring user on admin routes (not_authorised)', async () => {
    const plain = await m.app.inject({ method: 'GET', url: '/api/whoami', headers: { authorization: basic('plain', 'plain-pw') } });
    assert.equal(plain.statusCode, 401);
    assert.deepEqual(plain.json(), { error: 'not_authorised', reason: 'Not management user' });
    const mon = { authorization: basic('mon', 'mon-pw') };
    const users = await m.app.inject({ method: 'GET', url: '/api/users', headers: mon });
    assert.equal(users.statusCode, 401);
    assert.deepEqual(users.json(), { error: 'not_authorised', reason: 'Not administrator user' });
    const who = await m.app.inject({ method: 'GET', url: '/api/whoami', headers: mon });
    assert.deepEqual(who.json(), { name: 'mon', tags: ['monitoring'] });
  });

  it('lets the initial admin in as administrator with .* on "/"', async () => {
    assert.deepEqual((await m.app.inject({ method: 'GET', url: '/api/whoami', headers: asAdmin })).json(), { name: 'admin', tags: ['administrator'] });
    const perms = await m.app.inject({ method: 'GET', url: '/api/permissions', headers: asAdmin });
    assert.deepEqual(perms.json(), [{ user: 'admin', vhost: '/', configure: '.*', write: '.*', read: '.*' }]);
  });

  it('manages users: 201 then 204, tags mandatory, string or array tags, 404 for a missing one', async () => {
    const put = (body: unknown) => m.app.inject({ method: 'PUT', url: '/api/users/bob', headers: asAdmin, payload: body as object });
    assert.equal((await put({ password: 'pw' })).statusCode, 400);
    assert.equal((await put({ password: 'pw', tags: 'monitoring,management' })).statusCode, 201);
    assert.equal((await put({ tags: ['policymaker'] })).statusCode, 204);
    const bob = (await m.app.inject({ method: 'GET', url: '/api/users/bob', headers: asAdmin })).json();
    assert.deepEqual(Object.keys(bob).sort(), ['hashing_algorithm', 'limits', 'name', 'password_hash', 'tags']);
    assert.deepEqual(bob.tags, ['policymaker']);
    // The password set first still works: a tags-only PUT keeps it.
    const who = await m.app.inject({ method: 'GET', url: '/api/whoami', headers: { authorization: basic('bob', 'pw') } });
    assert.equal(who.statusCode, 200);
    assert.equal((await m.app.inject({ method: 'DELETE', url: '/api/users/bob', headers: asAdmin })).statusCode, 204);
    const gone = await m.app.inject({ method: 'DELETE', url: '/api/users/bob', headers: asAdmin });
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(gone.json(), { error: 'Object Not Found', reason: 'Not Found' });
  });

  it('manages vhosts and permissions with %2F, 201/204, and drops permissions with their vhost', async () => {
    assert.equal((await m.app.inject({ method: 'PUT', url: '/api/vhosts/deamo-vhost', headers: asAdmin })).statusCode, 201);
    assert.equal((await m.app.inject({ method: 'PUT', url: '/api/vhosts/deamo-vhost', headers: asAdmin, payload: { description: 'd' } })).statusCode, 204);
    const v = (await m.app.inject({ method: 'GET', url: '/api/vhosts/deamo-vhost', headers: asAdmin })).json();
    assert.equal(v.description, 'd');
    assert.deepEqual(v.metadata, { description: 'd', tags: [] });
    const url = '/api/permissions/deamo-vhost/mon';
    const body = { configure: '', write: '^x', read: '.*' };
    assert.equal((await m.app.inject({ method: 'PUT', url, headers: asAdmin, payload: { configure: '.*' } })).statusCode, 400);
    assert.equal((await m.app.inject({ method: 'PUT', url, headers: asAdmin, payload: body })).statusCode, 201);
    assert.equal((await m.app.inject({ method: 'PUT', url, headers: asAdmin, payload: body })).statusCode, 204);
    assert.deepEqual((await m.app.inject({ method: 'GET', url, headers: asAdmin })).json(), { user: 'mon', vhost: 'deamo-vhost', ...body });
    const root = await m.app.inject({ method: 'GET', url: '/api/vhosts/%2F/permissions', headers: asAdmin });
    assert.deepEqual(root.json().map((p: { user: string }) => p.user), ['admin']);
    assert.equal((await m.app.inject({ method: 'DELETE', url: '/api/vhosts/%2F', headers: asAdmin })).statusCode, 400);
    assert.equal((await m.app.inject({ method: 'DELETE', url: '/api/vhosts/deamo-vhost', headers: asAdmin })).statusCode, 204);
    assert.equal((await m.app.inject({ method: 'GET', url, headers: asAdmin })).statusCode, 404);
  });

  it('shows a management user only the vhosts it has permissions on', async () => {
    await m.users.createUser('mgr', 'mgr-pw');
    await m.users.rabbit.setTags('mgr', ['management']);
    await m.users.rabbit.putVhost('mine');
    await m.users.rabbit.setPermission('mgr', 'mine', { configure: '.*', write: '.*', read: '.*' });
    const headers = { authorization: basic('mgr', 'mgr-pw') };
    const vhosts = (await m.app.inject({ method: 'GET', url: '/api/vhosts', headers })).json();
    assert.deepEqual(vhosts.map((v: { name: string }) => v.name), ['mine']);
    const other = await m.app.inject({ method: 'GET', url: '/api/queues/%2F', headers });
    assert.equal(other.statusCode, 401);
    assert.deepEqual(other.json(), { error: 'not_authorised', reason: 'User not authorised to access virtual host' });
  });
});

describe('management API with --auth off', () => {
  let m: Mgmt;
  before(async () => { m = await openMgmt(false); });
  after(() => m.close());

  it('accepts any credentials, or none, as an administrator', async () => {
    for (const headers of [{}, { authorization: basic('whoever', 'anything') }]) {
      const res = await m.app.inject({ method: 'GET', url: '/api/users', headers });
      assert.equal(res.statusCode, 200);
    }
    const who = await m.app.inject({ method: 'GET', url: '/api/whoami', headers: { authorization: basic('whoever', 'x') } });
    assert.deepEqual(who.json(), { name: 'whoever', tags: ['administrator'] });
  });
});

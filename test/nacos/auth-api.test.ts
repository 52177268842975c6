import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';

// The generated-admin path is tested in test/core/auth.test.ts; here the admin password is known.
process.env.JUNCTION_ADMIN_PASSWORD = 'admin-pw';

interface Reply { status: number; text: string; json: () => any; headers: Headers }

async function call(server: TestServer, method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (form) {
    init.body = new URLSearchParams(form).toString();
    (init.headers as Record<string, string>)['content-type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(`${server.nacos}${path}`, init);
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text), headers: res.headers };
}

async function login(server: TestServer, username: string, password: string): Promise<string> {
  const r = await call(server, 'POST', '/nacos/v1/auth/login', { username, password });
  assert.equal(r.status, 200, r.text);
  return r.json().accessToken as string;
}

const ok = (data: string) => ({ code: 200, message: null, data });

describe('Nacos auth API (auth on)', () => {
  let server: TestServer;
  let admin: string;
  before(async () => {
    server = await startTestServer({ auth: true, tokenTtlSeconds: 600 });
    admin = await login(server, 'nacos', 'admin-pw');
  });
  after(() => server.destroy());

  it('login answers accessToken, tokenTtl, globalAdmin, username on both paths, form or query', async () => {
    const form = await call(server, 'POST', '/nacos/v1/auth/login', { username: 'nacos', password: 'admin-pw' });
    assert.equal(form.status, 200);
    const body = form.json();
    assert.deepEqual(Object.keys(body), ['accessToken', 'tokenTtl', 'globalAdmin', 'username']);
    assert.equal(body.tokenTtl, 600);
    assert.equal(body.globalAdmin, true);
    assert.equal(body.username, 'nacos');
    assert.equal(form.headers.get('authorization'), `Bearer ${body.accessToken}`);
    const query = await call(server, 'POST', '/nacos/v1/auth/users/login?username=nacos&password=admin-pw');
    assert.equal(query.status, 200);
    assert.equal(query.json().username, 'nacos');
  });

  it('bad credentials → 403 "user not found!"; a missing parameter → 400', async () => {
    for (const form of [{ username: 'nacos', password: 'wrong' }, { username: 'nobody', password: 'x' }]) {
      const r = await call(server, 'POST', '/nacos/v1/auth/login', form);
      assert.equal(r.status, 403);
      assert.equal(r.text, 'user not found!');
    }
    const missing = await call(server, 'POST', '/nacos/v1/auth/login', { username: 'nacos' });
    assert.equal(missing.status, 400);
  });

  it('user management: create, duplicate, list, search, change password, delete', async () => {
    const auth = { accessToken: admin };
    assert.deepEqual((await call(server, 'POST', '/nacos/v1/auth/users', { ...auth, username: 'alice', password: 'a1' })).json(), ok('create user ok!'));
    const dup = await call(server, 'POST', '/nacos/v1/auth/users', { ...auth, username: 'alice', password: 'a1' });
    assert.equal(dup.status, 400);
    assert.equal(dup.text, "caused: user 'alice' already exist!;");
    const reserved = (await call(server, 'POST', '/nacos/v1/auth/users', { ...auth, username: 'nacos', password: 'x' })).json();
    assert.equal(reserved.code, 409);

    const page = (await call(server, 'GET', `/nacos/v1/auth/users?search=accurate&pageNo=1&pageSize=10&accessToken=${admin}`)).json();
    assert.equal(page.totalCount, 2);
    assert.equal(page.pageNumber, 1);
    assert.equal(page.pagesAvailable, 1);
    assert.deepEqual(page.pageItems.map((u: { username: string }) => u.username), ['nacos', 'alice']);
    assert.ok(page.pageItems.every((u: { password: string }) => u.password === '******'), 'no hash or password is listed');
    const exact = (await call(server, 'GET', `/nacos/v1/auth/users?search=accurate&pageNo=1&pageSize=10&username=ali&accessToken=${admin}`)).json();
    assert.equal(exact.totalCount, 0);
    const blur = (await call(server, 'GET', `/nacos/v1/auth/users?search=blur&pageNo=1&pageSize=10&username=ali&accessToken=${admin}`)).json();
    assert.equal(blur.totalCount, 1);
    assert.deepEqual((await call(server, 'GET', `/nacos/v1/auth/users/search?username=li&accessToken=${admin}`)).json(), ['alice']);

    // A user may change their own password …
    const alice = await login(server, 'alice', 'a1');
    assert.deepEqual((await call(server, 'PUT', '/nacos/v1/auth/users', { accessToken: alice, username: 'alice', newPassword: 'a2' })).json(), ok('update user ok!'));
    await login(server, 'alice', 'a2');
    // … but not another user's, and not list users.
    const other = await call(server, 'PUT', '/nacos/v1/auth/users', { accessToken: alice, username: 'nacos', newPassword: 'x' });
    assert.equal(other.status, 403);
    assert.equal(other.json().message, 'authorization failed!');
    assert.equal((await call(server, 'GET', `/nacos/v1/auth/users?accessToken=${alice}`)).status, 403);
    assert.equal((await call(server, 'PUT', '/nacos/v1/auth/users', { ...auth, username: 'ghost', newPassword: 'x' })).text, 'caused: user ghost not exist!;');

    const delAdmin = await call(server, 'DELETE', `/nacos/v1/auth/users?username=nacos&accessToken=${admin}`);
    assert.equal(delAdmin.status, 400);
    assert.equal(delAdmin.text, 'caused: cannot delete admin: nacos;');
    assert.deepEqual((await call(server, 'DELETE', `/nacos/v1/auth/users?username=alice&accessToken=${admin}`)).json(), ok('delete user ok!'));
    const gone = await call(server, 'POST', '/nacos/v1/auth/login', { accessToken: alice, username: 'alice', password: 'a2' });
    assert.equal(gone.status, 403, 'a deleted user’s token no longer works');
  });

  it('roles and permissions with Nacos’s checks and messages', async () => {
    const auth = { accessToken: admin };
    await call(server, 'POST', '/nacos/v1/auth/users', { ...auth, username: 'bob', password: 'b' });
    const noRole = await call(server, 'POST', '/nacos/v1/auth/permissions', { ...auth, role: 'dev', resource: 'public:*:*', action: 'r' });
    assert.equal(noRole.text, 'caused: role dev not found!;');
    assert.deepEqual((await call(server, 'POST', '/nacos/v1/auth/roles', { ...auth, role: 'dev', username: 'bob' })).json(), ok('add role ok!'));
    assert.equal((await call(server, 'POST', '/nacos/v1/auth/roles', { ...auth, role: 'dev', username: 'bob' })).text, "caused: user 'bob' already bound to the role 'dev'!;");
    assert.equal((await call(server, 'POST', '/nacos/v1/auth/roles', { ...auth, role: 'ROLE_ADMIN', username: 'bob' })).text, "caused: role 'ROLE_ADMIN' is not permitted to create!;");
    assert.equal((await call(server, 'POST', '/nacos/v1/auth/roles', { ...auth, role: 'dev', username: 'ghost' })).text, "caused: user 'ghost' not found!;");
    assert.deepEqual((await call(server, 'POST', '/nacos/v1/auth/permissions', { ...auth, role: 'dev', resource: 'public:*:*', action: 'r' })).json(), ok('add permission ok!'));
    assert.equal((await call(server, 'POST', '/nacos/v1/auth/permissions', { ...auth, role: 'dev', resource: 'x', action: 'read' })).status, 400);

    const roles = (await call(server, 'GET', `/nacos/v1/auth/roles?search=accurate&pageNo=1&pageSize=10&username=bob&accessToken=${admin}`)).json();
    assert.deepEqual(roles.pageItems, [{ role: 'dev', username: 'bob' }]);
    assert.deepEqual((await call(server, 'GET', `/nacos/v1/auth/roles/search?role=de&accessToken=${admin}`)).json(), ['dev']);
    const perms = (await call(server, 'GET', `/nacos/v1/auth/permissions?search=accurate&pageNo=1&pageSize=10&role=dev&accessToken=${admin}`)).json();
    assert.deepEqual(perms, { totalCount: 1, pageNumber: 1, pagesAvailable: 1, pageItems: [{ role: 'dev', resource: 'public:*:*', action: 'r' }] });

    const bob = await login(server, 'bob', 'b');
    assert.equal((await call(server, 'POST', '/nacos/v1/auth/roles', { accessToken: bob, role: 'x', username: 'bob' })).status, 403);
    assert.equal((await call(server, 'GET', `/nacos/v1/auth/permissions?accessToken=${bob}`)).status, 403);

    assert.deepEqual((await call(server, 'DELETE', `/nacos/v1/auth/permissions?role=dev&resource=public:*:*&action=r&accessToken=${admin}`)).json(), ok('delete permission ok!'));
    assert.equal((await call(server, 'DELETE', `/nacos/v1/auth/roles?role=ROLE_ADMIN&accessToken=${admin}`)).text, "caused: role 'ROLE_ADMIN' is not permitted to delete!;");
    assert.deepEqual((await call(server, 'DELETE', `/nacos/v1/auth/roles?role=dev&username=bob&accessToken=${admin}`)).json(), ok('delete role of user bob ok!'));
    assert.equal((await call(server, 'GET', `/nacos/v1/auth/roles?role=dev&accessToken=${admin}`)).json().totalCount, 0);
  });

  it('refusals by the filter are Spring’s JSON error page with status 403', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'user not found!'],
      [{ accessToken: 'garbage' }, 'token invalid!'],
      [{ 'user-agent': 'Nacos-Server' }, 'user not found!'],
    ];
    for (const [extra, message] of cases) {
      const headers = 'user-agent' in extra ? extra : {};
      const query = 'accessToken' in extra ? `?accessToken=${extra.accessToken}` : '';
      const r = await call(server, 'GET', `/nacos/v1/auth/users${query}`, undefined, headers);
      assert.equal(r.status, 403);
      const body = r.json();
      assert.equal(body.status, 403);
      assert.equal(body.error, 'Forbidden');
      assert.equal(body.message, message);
      assert.equal(body.path, '/nacos/v1/auth/users');
      assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    }
    const bearer = await call(server, 'GET', '/nacos/v1/auth/users', undefined, { authorization: `Bearer ${admin}` });
    assert.equal(bearer.status, 200, 'Authorization: Bearer works like accessToken');
  });

  it('the first-login endpoint refuses once an admin exists', async () => {
    const r = await call(server, 'POST', '/nacos/v1/auth/users/admin', { password: 'x' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { code: 409, message: null, data: 'have admin user cannot use it' });
  });
});

describe("Nacos auth API: adminInit 'api', expiry, restart", () => {
  it('POST /v1/auth/users/admin sets the admin once', async () => {
    const server = await startTestServer({ auth: true, adminInit: 'api' });
    try {
      assert.equal((await call(server, 'POST', '/nacos/v1/auth/login', { username: 'nacos', password: 'chosen' })).status, 403);
      const r = await call(server, 'POST', '/nacos/v1/auth/users/admin', { password: 'chosen' });
      assert.deepEqual(r.json(), { username: 'nacos', password: 'chosen' });
      const token = await login(server, 'nacos', 'chosen');
      assert.ok(token.length > 20);
      assert.equal((await call(server, 'POST', '/nacos/v1/auth/users/admin', { password: 'again' })).json().code, 409);
    } finally { await server.destroy(); }
  });

  it('without a password the endpoint generates one and answers it', async () => {
    const server = await startTestServer({ auth: true, adminInit: 'api' });
    try {
      const { username, password } = (await call(server, 'POST', '/nacos/v1/auth/users/admin')).json();
      assert.equal(username, 'nacos');
      assert.ok(typeof password === 'string' && password.length >= 16);
      await login(server, 'nacos', password);
    } finally { await server.destroy(); }
  });

  it('users, roles and permissions survive a restart; tokens too', async () => {
    const first = await startTestServer({ auth: true });
    const admin = await login(first, 'nacos', 'admin-pw');
    await call(first, 'POST', '/nacos/v1/auth/users', { accessToken: admin, username: 'carol', password: 'c' });
    await call(first, 'POST', '/nacos/v1/auth/roles', { accessToken: admin, role: 'ops', username: 'carol' });
    await call(first, 'POST', '/nacos/v1/auth/permissions', { accessToken: admin, role: 'ops', resource: 'prod:*:*', action: 'rw' });
    await first.stop();
    const second = await startTestServer({ auth: true, dataDir: first.dataDir });
    try {
      await login(second, 'carol', 'c');
      const perms = (await call(second, 'GET', `/nacos/v1/auth/permissions?role=ops&accessToken=${admin}`)).json();
      assert.deepEqual(perms.pageItems, [{ role: 'ops', resource: 'prod:*:*', action: 'rw' }]);
      const roles = (await call(second, 'GET', `/nacos/v1/auth/roles?username=carol&accessToken=${admin}`)).json();
      assert.deepEqual(roles.pageItems, [{ role: 'ops', username: 'carol' }]);
    } finally { await second.destroy(); }
  });
});

describe('Nacos auth API (auth off)', () => {
  it('management APIs need no token, as in Nacos with auth disabled', async () => {
    const server = await startTestServer({ auth: false });
    try {
      assert.deepEqual((await call(server, 'POST', '/nacos/v1/auth/users', { username: 'dave', password: 'd' })).json(), ok('create user ok!'));
      assert.equal((await call(server, 'GET', '/nacos/v1/auth/users')).json().totalCount, 1);
      const r = await call(server, 'POST', '/nacos/v1/auth/login', { username: 'dave', password: 'd' });
      assert.equal(r.json().globalAdmin, false);
    } finally { await server.destroy(); }
  });
});

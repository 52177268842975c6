import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { runCli, serverEnv } from './run-cli.js';

const ADMIN_PASSWORD = 'admin-secret-1';

describe('junction user (auth on)', () => {
  let server: TestServer;
  let admin: Record<string, string>;
  before(async () => {
    // The auth service creates the initial admin (`nacos`) from this variable on first start.
    process.env.JUNCTION_ADMIN_PASSWORD = ADMIN_PASSWORD;
    try {
      server = await startTestServer({ auth: true });
    } finally {
      delete process.env.JUNCTION_ADMIN_PASSWORD;
    }
    admin = serverEnv(server, { JUNCTION_USERNAME: 'nacos', JUNCTION_PASSWORD: ADMIN_PASSWORD });
  });
  after(() => server.destroy());

  it('add (password from stdin), list, passwd, delete', async () => {
    const add = await runCli(['user', 'add', 'alice', '--password-stdin'], { env: admin, input: 'alice-pw-1\n' });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /created user alice/);

    const list = await runCli(['user', 'list'], { env: admin });
    assert.equal(list.code, 0, list.stderr);
    const names = list.stdout.trim().split('\n');
    assert.equal(names[0], 'USERNAME');
    assert.ok(names.includes('alice') && names.includes('nacos'), list.stdout);

    // alice can log in with the password she was given (no trailing newline from stdin).
    const asAlice = serverEnv(server, { JUNCTION_USERNAME: 'alice', JUNCTION_PASSWORD: 'alice-pw-1' });
    const self = await runCli(['nacos', 'config', 'get', 'nothing-here'], { env: asAlice });
    assert.doesNotMatch(self.stderr, /login as alice failed/);

    const passwd = await runCli(['user', 'passwd', 'alice', 'alice-pw-2'], { env: admin });
    assert.equal(passwd.code, 0, passwd.stderr);
    const oldPw = await runCli(['nacos', 'config', 'get', 'nothing-here'], { env: asAlice });
    assert.equal(oldPw.code, 1);
    assert.match(oldPw.stderr, /POST \/nacos\/v1\/auth\/login failed: HTTP 403/);

    const json = await runCli(['user', 'list', '--json'], { env: admin });
    const body = JSON.parse(json.stdout) as { totalCount: number; users: { username: string }[] };
    assert.equal(body.totalCount, body.users.length);
    assert.ok(body.users.some((u) => u.username === 'alice'));

    const del = await runCli(['user', 'delete', 'alice'], { env: admin });
    assert.equal(del.code, 0, del.stderr);
    const again = await runCli(['user', 'list', '--json'], { env: admin });
    assert.ok(!(JSON.parse(again.stdout) as typeof body).users.some((u) => u.username === 'alice'));
  });

  it('refuses without credentials, with the server answer and exit 1', async () => {
    const r = await runCli(['user', 'list'], { env: serverEnv(server) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^junction: GET \/nacos\/v1\/auth\/users failed: HTTP 403/);
  });

  it('status needs admin credentials when auth is on', async () => {
    const anonymous = await runCli(['status'], { env: serverEnv(server) });
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /GET \/api\/status failed: HTTP 401/);
    const ok = await runCli(['status', '--json'], { env: admin });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { auth: boolean }).auth, true);
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../helpers/junction.js';

const exec = promisify(execFile);

/** curl -s, answering [status, body]. */
async function curl(...args: string[]): Promise<[number, string]> {
  const { stdout } = await exec('curl', ['-s', '-w', '\n%{http_code}', ...args]);
  const cut = stdout.lastIndexOf('\n');
  return [Number(stdout.slice(cut + 1)), stdout.slice(0, cut)];
}

describe('admin HTTP, auth off', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.destroy());

  it('/metrics is Prometheus text with the fsync histogram', async () => {
    const [status, body] = await curl(`${server.admin}/metrics`);
    assert.equal(status, 200);
    assert.match(body, /^# HELP junction_log_fsync_seconds /m);
    assert.match(body, /^# TYPE junction_log_fsync_seconds histogram$/m);
  });

  it('/health answers UP and /api/status needs no credential', async () => {
    assert.deepEqual(await curl(`${server.admin}/health`), [200, '{"status":"UP"}']);
    const [status, body] = await curl(`${server.admin}/api/status`);
    assert.equal(status, 200);
    assert.equal((JSON.parse(body) as { auth: boolean }).auth, false);
  });
});

describe('admin HTTP, auth on', () => {
  let server: TestServer;
  const password = 'admin-http-pw';
  before(async () => {
    process.env.JUNCTION_ADMIN_PASSWORD = password;
    try { server = await startTestServer({ auth: true }); } finally { delete process.env.JUNCTION_ADMIN_PASSWORD; }
  });
  after(() => server.destroy());

  it('/metrics and /health stay open', async () => {
    assert.equal((await curl(`${server.admin}/metrics`))[0], 200);
    assert.equal((await curl(`${server.admin}/health`))[0], 200);
  });

  it('/api/status: 401 with a Basic challenge without credentials or with a wrong password', async () => {
    const { stdout } = await exec('curl', ['-s', '-i', `${server.admin}/api/status`]);
    assert.match(stdout, /^HTTP\/1\.1 401/);
    assert.match(stdout, /^www-authenticate: Basic realm="junction admin"/mi);
    assert.equal((await curl('-u', `nacos:wrong`, `${server.admin}/api/status`))[0], 401);
    assert.equal((await curl('-H', 'Authorization: Bearer not-a-token', `${server.admin}/api/status`))[0], 401);
  });

  it('/api/status: 200 for the admin by Basic auth and by Nacos accessToken', async () => {
    const [basic, body] = await curl('-u', `nacos:${password}`, `${server.admin}/api/status`);
    assert.equal(basic, 200);
    assert.equal((JSON.parse(body) as { auth: boolean }).auth, true);

    const [, login] = await curl('-X', 'POST', `${server.nacos}/nacos/v1/auth/login`, '-d', `username=nacos&password=${password}`);
    const token = (JSON.parse(login) as { accessToken: string }).accessToken;
    assert.equal((await curl('-H', `Authorization: Bearer ${token}`, `${server.admin}/api/status`))[0], 200);
    assert.equal((await curl(`${server.admin}/api/status?accessToken=${encodeURIComponent(token)}`))[0], 200);
  });

  it('/api/status: 403 for a valid user who is not a global admin', async () => {
    const [created] = await curl('-X', 'POST', `${server.nacos}/nacos/v1/auth/users`,
      '-d', `username=viewer&password=viewer-pw&accessToken=${await tokenFor(server, 'nacos', password)}`);
    assert.equal(created, 200);
    assert.equal((await curl('-u', 'viewer:viewer-pw', `${server.admin}/api/status`))[0], 403);
  });
});

async function tokenFor(server: TestServer, username: string, password: string): Promise<string> {
  const res = await fetch(`${server.nacos}/nacos/v1/auth/login`, { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password }) });
  return encodeURIComponent(((await res.json()) as { accessToken: string }).accessToken);
}

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../helpers/junction.js';

const exec = promisify(execFile);

/** curl -s -i: status, lower-cased headers and body. */
async function curl(url: string): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  const { stdout } = await exec('curl', ['-s', '-i', url]);
  const split = stdout.indexOf('\r\n\r\n');
  const [statusLine, ...headerLines] = stdout.slice(0, split).split('\r\n');
  const headers = new Map(headerLines.map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()] as [string, string];
  }));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: stdout.slice(split + 4) };
}

for (const auth of [false, true]) {
  describe(`Nacos ops routes (auth ${auth ? 'on' : 'off'}, no credentials needed)`, () => {
    let server: TestServer;
    before(async () => {
      process.env.JUNCTION_ADMIN_PASSWORD = 'ops-admin-pw';
      try { server = await startTestServer({ auth }); } finally { delete process.env.JUNCTION_ADMIN_PASSWORD; }
    });
    after(() => server.destroy());

    it('v1 liveness and readiness answer plain-text OK', async () => {
      for (const probe of ['liveness', 'readiness']) {
        const r = await curl(`${server.nacos}/nacos/v1/console/health/${probe}`);
        assert.equal(r.status, 200, probe);
        assert.equal(r.body, 'OK');
        assert.match(r.headers.get('content-type')!, /^text\/plain/);
      }
    });

    it('v2 liveness and readiness answer the Result envelope', async () => {
      for (const probe of ['liveness', 'readiness']) {
        const r = await curl(`${server.nacos}/nacos/v2/console/health/${probe}`);
        assert.equal(r.status, 200);
        assert.deepEqual(JSON.parse(r.body), { code: 0, message: 'success', data: 'ok' });
      }
    });

    it('/nacos/actuator/prometheus serves the same registry as the admin /metrics', async () => {
      const r = await curl(`${server.nacos}/nacos/actuator/prometheus`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
      assert.match(r.body, /^# TYPE junction_log_fsync_seconds histogram$/m);
      // Requests to the Nacos port are counted; the scrape shows them.
      assert.match(r.body, /^junction_nacos_http_requests_total\{method="GET",route="\/nacos\/v1\/console\/health\/liveness",status="200"\} \d+/m);
      const metrics = await (await fetch(`${server.admin}/metrics`)).text();
      const names = (text: string) => new Set(text.split('\n').filter((l) => l.startsWith('# TYPE')));
      assert.deepEqual(names(r.body), names(metrics));
    });

    it('/nacos/v1/console/server/state answers the Nacos state map (string values)', async () => {
      const r = await curl(`${server.nacos}/nacos/v1/console/server/state`);
      assert.equal(r.status, 200);
      const state = JSON.parse(r.body) as Record<string, string | null>;
      assert.match(state.version!, /^2\.\d+\.\d+$/);
      assert.equal(state.standalone_mode, 'standalone');
      assert.equal(state.function_mode, null);
      assert.equal(state.auth_enabled, String(auth));
      assert.equal(state.login_page_enabled, String(auth));
      assert.equal(state.auth_system_type, 'nacos');
      // The admin exists from the first start (JUNCTION_ADMIN_PASSWORD), so no "init admin" page.
      assert.equal(state.auth_admin_request, 'false');
      assert.equal(state.server_port, String(server.nacosPort));
      for (const [k, v] of Object.entries(state)) assert.ok(v === null || typeof v === 'string', k);
    });
  });
}

describe('server/state auth_admin_request follows the admin bootstrap (admin-init api)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ auth: true, adminInit: 'api' }); });
  after(() => server.destroy());

  it('is "true" until POST /nacos/v1/auth/users/admin creates the admin, then "false"', async () => {
    const before = JSON.parse((await curl(`${server.nacos}/nacos/v1/console/server/state`)).body) as Record<string, string>;
    assert.equal(before.auth_admin_request, 'true');
    const init = await fetch(`${server.nacos}/nacos/v1/auth/users/admin`, { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'password=first-admin-pw' });
    assert.equal(init.status, 200);
    const after = JSON.parse((await curl(`${server.nacos}/nacos/v1/console/server/state`)).body) as Record<string, string>;
    assert.equal(after.auth_admin_request, 'false');
  });
});

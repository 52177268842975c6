// junction_nacos_http_requests_total / _request_duration_seconds for the two hot reads (config
// get, instance list), which are timed by their handlers rather than an onResponse hook: every
// answer is counted under its route, method and status — found, missing, refused, HEAD — with
// auth off and with auth on (where the answer comes after the permission check's promise).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';

const CONFIGS = '/nacos/v1/cs/configs';
const LIST = '/nacos/v1/ns/instance/list';

async function status(server: TestServer, path: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(server.nacos + path, init);
  await res.arrayBuffer();
  return res.status;
}

/** The Nacos HTTP series of one route and method, from the admin port's /metrics. */
async function series(server: TestServer, method: string, route: string): Promise<{ byStatus: Record<string, number>; count: number }> {
  const text = await (await fetch(`${server.admin}/metrics`)).text();
  const byStatus: Record<string, number> = {};
  let count = 0;
  for (const line of text.split('\n')) {
    const counted = line.match(/^junction_nacos_http_requests_total\{method="([A-Z]+)",route="([^"]+)",status="(\d+)"\} (\d+)$/);
    if (counted && counted[1] === method && counted[2] === route) byStatus[counted[3]!] = Number(counted[4]);
    const timed = line.match(/^junction_nacos_http_request_duration_seconds_count\{method="([A-Z]+)",route="([^"]+)"\} (\d+)$/);
    if (timed && timed[1] === method && timed[2] === route) count = Number(timed[3]);
  }
  return { byStatus, count };
}

for (const auth of [false, true]) {
  describe(`config get and instance list metrics (auth ${auth ? 'on' : 'off'})`, () => {
    let server: TestServer;
    let token = '';
    before(async () => {
      process.env.JUNCTION_ADMIN_PASSWORD = 'metrics-admin-pw';
      try { server = await startTestServer({ auth }); } finally { delete process.env.JUNCTION_ADMIN_PASSWORD; }
      if (auth) {
        const login = await fetch(`${server.nacos}/nacos/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username: 'nacos', password: 'metrics-admin-pw' }) });
        token = `&accessToken=${(await login.json() as { accessToken: string }).accessToken}`;
      }
      const publish = await fetch(`${server.nacos}${CONFIGS}?${token.slice(1)}`, { method: 'POST', body: new URLSearchParams({ dataId: 'm', group: 'G', content: 'x=1' }) });
      assert.equal(await publish.text(), 'true');
      assert.equal(await status(server, `/nacos/v1/ns/instance?serviceName=m.svc&ip=10.0.0.1&port=80${token}`, { method: 'POST' }), 200);
    });
    after(() => server.destroy());

    it('config get: found, missing, invalid and HEAD answers are each counted once', async () => {
      assert.equal(await status(server, `${CONFIGS}?dataId=m&group=G${token}`), 200);
      assert.equal(await status(server, `${CONFIGS}?dataId=m&group=G${token}`), 200);
      assert.equal(await status(server, `${CONFIGS}?dataId=none&group=G${token}`), 404);
      assert.equal(await status(server, `${CONFIGS}?dataId=bad%20id&group=G${token}`), 400);
      assert.equal(await status(server, `${CONFIGS}?dataId=m&group=G${token}`, { method: 'HEAD' }), 200);
      const expected: Record<string, number> = { 200: 2, 404: 1, 400: 1 };
      if (auth) {
        assert.equal(await status(server, `${CONFIGS}?dataId=m&group=G`), 403);
        expected[403] = 1;
      }
      const get = await series(server, 'GET', CONFIGS);
      assert.deepEqual(get.byStatus, expected);
      assert.equal(get.count, Object.values(expected).reduce((a, b) => a + b));
      assert.deepEqual(await series(server, 'HEAD', CONFIGS), { byStatus: { 200: 1 }, count: 1 });
    });

    it('instance list: found and invalid answers are each counted once', async () => {
      assert.equal(await status(server, `${LIST}?serviceName=m.svc${token}`), 200);
      assert.equal(await status(server, `${LIST}?serviceName=m.svc&udpPort=x${token}`), 400);
      const expected: Record<string, number> = { 200: 1, 400: 1 };
      if (auth) {
        assert.equal(await status(server, `${LIST}?serviceName=m.svc`), 403);
        expected[403] = 1;
      }
      const list = await series(server, 'GET', LIST);
      assert.deepEqual(list.byStatus, expected);
      assert.equal(list.count, Object.values(expected).reduce((a, b) => a + b));
    });
  });
}

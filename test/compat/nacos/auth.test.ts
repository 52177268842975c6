import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { loadNacos } from '../../helpers/nacos-client.js';

const run = promisify(execFile);
const { NacosNamingClient, NacosConfigClient } = loadNacos() as {
  NacosNamingClient: new (o: Record<string, unknown>) => any;
  NacosConfigClient: new (o: Record<string, unknown>) => any;
};

const PASSWORD = 'Th3-Admin-Password';
process.env.JUNCTION_ADMIN_PASSWORD = PASSWORD;
const quiet = { info() {}, warn() {}, error() {}, debug() {}, log() {} };

/** Run a command line exactly as a person would type it into a shell. */
async function sh(commandLine: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', commandLine], { env: { ...process.env, ...env } });
  return stdout;
}

/** curl -s -w: body, then the status on the last line. */
async function curlStatus(args: string): Promise<{ status: number; body: string }> {
  const out = await sh(`curl -s -w '\\n%{http_code}' ${args}`);
  const cut = out.lastIndexOf('\n');
  return { status: Number(out.slice(cut + 1)), body: out.slice(0, cut) };
}

describe('auth-enabled Junction with curl and the nacos npm client', () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startTestServer({ auth: true });
    port = server.nacosPort;
  });
  after(() => server.destroy());

  it("the issue's curl commands: login, then register an instance with the token → ok", async () => {
    const login = await sh(`curl -X POST 'http://127.0.0.1:${port}/nacos/v1/auth/login' -d 'username=nacos&password=${PASSWORD}'`);
    const { accessToken, globalAdmin } = JSON.parse(login) as { accessToken: string; globalAdmin: boolean };
    assert.equal(globalAdmin, true);
    const registered = await sh(`curl -X POST "http://127.0.0.1:${port}/nacos/v1/ns/instance?accessToken=$TOKEN&serviceName=svc&ip=1.2.3.4&port=8080"`,
      { TOKEN: accessToken });
    assert.equal(registered, 'ok');
  });

  it('an invalid token → 403, and the server keeps serving', async () => {
    const bad = await curlStatus(`-X POST "http://127.0.0.1:${port}/nacos/v1/ns/instance?accessToken=not-a-token&serviceName=svc&ip=1.2.3.5&port=8080"`);
    assert.equal(bad.status, 403);
    assert.equal(JSON.parse(bad.body).message, 'token invalid!');
    const again = await curlStatus(`-X POST 'http://127.0.0.1:${port}/nacos/v1/auth/login' -d 'username=nacos&password=${PASSWORD}'`);
    assert.equal(again.status, 200);
  });

  it('User-Agent: Nacos-Server without a token grants nothing (CVE-2021-29441)', async () => {
    for (const url of [`/nacos/v1/ns/instance?serviceName=svc&ip=1.2.3.6&port=8080`, '/nacos/v1/auth/users']) {
      const method = url.includes('/ns/') ? 'POST' : 'GET';
      const r = await curlStatus(`-X ${method} -H 'User-Agent: Nacos-Server' "http://127.0.0.1:${port}${url}"`);
      assert.equal(r.status, 403, url);
    }
  });

  it('a non-admin with public:*:* r can read but not write', async () => {
    const admin = JSON.parse(await sh(`curl -s -X POST 'http://127.0.0.1:${port}/nacos/v1/auth/login' -d 'username=nacos&password=${PASSWORD}'`)).accessToken as string;
    const base = `http://127.0.0.1:${port}/nacos/v1/auth`;
    await sh(`curl -s -X POST '${base}/users' -d 'username=viewer&password=viewer-pw&accessToken=${admin}'`);
    await sh(`curl -s -X POST '${base}/roles' -d 'role=viewers&username=viewer&accessToken=${admin}'`);
    await sh(`curl -s -X POST '${base}/permissions' -d 'role=viewers&resource=public:*:*&action=r&accessToken=${admin}'`);
    const viewer = JSON.parse(await sh(`curl -s -X POST '${base}/login' -d 'username=viewer&password=viewer-pw'`)).accessToken as string;

    const read = await curlStatus(`"http://127.0.0.1:${port}/nacos/v1/ns/instance/list?serviceName=svc&accessToken=${viewer}"`);
    assert.equal(read.status, 200, read.body);
    const write = await curlStatus(`-X POST "http://127.0.0.1:${port}/nacos/v1/ns/instance?serviceName=svc&ip=1.2.3.7&port=8080&accessToken=${viewer}"`);
    assert.equal(write.status, 403);
    assert.equal(JSON.parse(write.body).message, 'authorization failed!');
    const configRead = await curlStatus(`"http://127.0.0.1:${port}/nacos/v1/cs/configs?dataId=absent&group=DEFAULT_GROUP&accessToken=${viewer}"`);
    assert.equal(configRead.status, 404, 'read allowed: the config is just absent');
    const configWrite = await curlStatus(`-X POST "http://127.0.0.1:${port}/nacos/v1/cs/configs" -d 'dataId=a&group=DEFAULT_GROUP&content=x&accessToken=${viewer}'`);
    assert.equal(configWrite.status, 403);
  });

  it('the nacos npm config client with username/password', async () => {
    const client = new NacosConfigClient({ serverAddr: `127.0.0.1:${port}`, username: 'nacos', password: PASSWORD, requestTimeout: 5000 });
    try {
      assert.equal(await client.publishSingle('auth-test.properties', 'DEFAULT_GROUP', 'k=v'), true);
      assert.equal(await client.getConfig('auth-test.properties', 'DEFAULT_GROUP'), 'k=v');
    } finally { client.close(); }

    // A wrong password: Junction answers 403, the client gives up (after trying its fallback
    // servers, so the final error may name another address) and the config stays unchanged.
    const wrong = new NacosConfigClient({ serverAddr: `127.0.0.1:${port}`, username: 'nacos', password: 'wrong', requestTimeout: 1000 });
    try {
      await assert.rejects(wrong.publishSingle('auth-test.properties', 'DEFAULT_GROUP', 'k=w'));
    } finally { wrong.close(); }
    const check = new NacosConfigClient({ serverAddr: `127.0.0.1:${port}`, username: 'nacos', password: PASSWORD, requestTimeout: 5000 });
    try {
      assert.equal(await check.getConfig('auth-test.properties', 'DEFAULT_GROUP'), 'k=v');
    } finally { check.close(); }
  });

  it('the nacos npm naming client with username/password', async () => {
    const client = new NacosNamingClient({ logger: quiet, serverList: `127.0.0.1:${port}`, namespace: 'public', username: 'nacos', password: PASSWORD });
    await client.ready();
    try {
      await client.registerInstance('auth-npm-svc', { ip: '10.0.0.1', port: 9000 });
      const hosts = await client.getAllInstances('auth-npm-svc');
      assert.deepEqual(hosts.map((h: { ip: string; port: number }) => `${h.ip}:${h.port}`), ['10.0.0.1:9000']);
    } finally { await client.close(); }
  });
});

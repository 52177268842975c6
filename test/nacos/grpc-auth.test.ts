import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { nacosAuthAdmin } from '../helpers/nacos-auth-admin.js';
import { NacosGrpcTestClient } from '../helpers/nacos-grpc-client.js';

const register = (serviceName: string) => ({ namespace: 'public', serviceName, groupName: 'DEFAULT_GROUP', type: 'registerInstance',
  instance: { ip: '10.5.0.1', port: 80, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {} } });

async function login(server: TestServer, username: string, password: string): Promise<string> {
  const res = await fetch(`${server.nacos}/nacos/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username, password }) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe('Nacos gRPC with auth on: accessToken header, 403 in the response body', () => {
  let server: TestServer;
  const clients: NacosGrpcTestClient[] = [];
  let readerToken = '';
  before(async () => {
    server = await startTestServer({ auth: true });
    const admin = await nacosAuthAdmin(server);
    await admin('/users', { username: 'reader', password: 'r1' });
    await admin('/roles', { role: 'readers', username: 'reader' });
    await admin('/permissions', { role: 'readers', resource: ':*:*', action: 'r' });
    readerToken = await login(server, 'reader', 'r1');
  });
  after(async () => { for (const c of clients) c.close(); await server.destroy(); });

  it('without a token a secured request is refused with errorCode 403 in its own response type; the connection stays', async () => {
    const c = await NacosGrpcTestClient.connect(server.ports.nacosGrpc!);
    clients.push(c);
    const r = await c.request('InstanceRequest', register('locked'));
    assert.deepEqual([r.type, r.body.resultCode, r.body.errorCode, r.body.success], ['InstanceResponse', 500, 403, false]);
    const bad = await c.request('ConfigQueryRequest', { dataId: 'd', group: 'g', tenant: '' }, { accessToken: 'not-a-token' });
    assert.deepEqual([bad.type, bad.body.errorCode], ['ConfigQueryResponse', 403]);
    assert.equal((await c.request('HealthCheckRequest', {})).body.success, true);
  });

  it('a read-only user may query but not register; its token travels in the accessToken header', async () => {
    const c = await NacosGrpcTestClient.connect(server.ports.nacosGrpc!, { headers: { accessToken: readerToken } });
    clients.push(c);
    const q = await c.request('ServiceQueryRequest', { namespace: 'public', serviceName: 'locked', groupName: 'DEFAULT_GROUP', cluster: '', healthyOnly: false });
    assert.equal(q.body.success, true, JSON.stringify(q.body));
    const w = await c.request('InstanceRequest', register('locked'));
    assert.deepEqual([w.body.errorCode, w.body.message], [403, 'authorization failed!']);
  });

  it('the admin token may register', async () => {
    const res = await fetch(`${server.nacos}/nacos/v1/auth/login`, { method: 'POST',
      body: new URLSearchParams({ username: 'nacos', password: readFileSync(join(server.dataDir, 'auth', 'initial-admin-password'), 'utf8').trim() }) });
    const { accessToken } = await res.json() as { accessToken: string };
    const c = await NacosGrpcTestClient.connect(server.ports.nacosGrpc!, { headers: { accessToken } });
    clients.push(c);
    const r = await c.request('InstanceRequest', register('open'));
    assert.equal(r.body.success, true, JSON.stringify(r.body));
  });
});

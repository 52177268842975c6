import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { NacosGrpcTestClient } from '../helpers/nacos-grpc-client.js';

const grpcPort = (s: TestServer) => s.ports.nacosGrpc!;

async function http(server: TestServer, method: string, path: string, form?: Record<string, string>): Promise<{ status: number; text: string }> {
  const init: RequestInit = { method };
  if (form) init.body = new URLSearchParams(form);
  const res = await fetch(`${server.nacos}${path}`, init);
  return { status: res.status, text: await res.text() };
}

const instance = (ip: string, port: number) => ({ ip, port, weight: 1.0, healthy: true, enabled: true, ephemeral: true,
  clusterName: 'DEFAULT', metadata: { zone: 'a' } });
const naming = (serviceName: string, extra: object = {}) => ({ namespace: 'public', serviceName, groupName: 'DEFAULT_GROUP', ...extra });
const hostsOf = (info: any) => (info.hosts as any[]).map((h) => `${h.ip}:${h.port}`).sort();

describe('Nacos gRPC (auth off): the Java client sequence, with the HTTP API seeing the same data', () => {
  let server: TestServer;
  const clients: NacosGrpcTestClient[] = [];
  const connect = async (opts = {}) => { const c = await NacosGrpcTestClient.connect(grpcPort(server), opts); clients.push(c); return c; };
  before(async () => { server = await startTestServer({ nacos: { grpcKeepAliveMs: 300 } }); });
  after(async () => { for (const c of clients) c.close(); await server.destroy(); });

  it('ServerCheck gives a connection id; requests before ConnectionSetupRequest are UN_REGISTER (301)', async () => {
    const c = new NacosGrpcTestClient(grpcPort(server));
    clients.push(c);
    const check = await c.request('ServerCheckRequest', {});
    assert.equal(check.type, 'ServerCheckResponse');
    assert.equal(check.body.resultCode, 200);
    assert.match(check.body.connectionId, /^\d+_127\.0\.0\.1_\d+$/);
    const early = await c.request('ServiceQueryRequest', naming('svc'));
    assert.equal(early.type, 'ErrorResponse');
    assert.deepEqual([early.body.resultCode, early.body.errorCode, early.body.message], [500, 301, 'Connection is unregistered.']);
  });

  it('register, subscribe (push + ack), HTTP list, HTTP register pushed, deregister', async () => {
    const a = await connect();
    const watcher = await connect();
    const reg = await a.request('InstanceRequest', naming('orders', { type: 'registerInstance', instance: instance('10.1.0.1', 8080) }));
    assert.equal(reg.type, 'InstanceResponse');
    assert.deepEqual([reg.body.success, reg.body.type], [true, 'registerInstance']);

    const sub = await watcher.request('SubscribeServiceRequest', naming('orders', { subscribe: true, clusters: '' }));
    assert.equal(sub.type, 'SubscribeServiceResponse');
    assert.deepEqual(hostsOf(sub.body.serviceInfo), ['10.1.0.1:8080']);
    assert.equal(sub.body.serviceInfo.hosts[0].metadata.zone, 'a');
    assert.deepEqual([sub.body.serviceInfo.name, sub.body.serviceInfo.groupName], ['orders', 'DEFAULT_GROUP']);

    const list = JSON.parse((await http(server, 'GET', '/nacos/v1/ns/instance/list?serviceName=orders')).text);
    assert.deepEqual(hostsOf(list), ['10.1.0.1:8080']);

    const from = watcher.pushes.length;
    assert.equal((await http(server, 'POST', '/nacos/v1/ns/instance', { serviceName: 'orders', ip: '10.1.0.2', port: '8080' })).status, 200);
    const push = await watcher.waitForPush('NotifySubscriberRequest', (b) => b.serviceInfo.hosts.length === 2, 5000, from);
    assert.deepEqual(hostsOf(push.body.serviceInfo), ['10.1.0.1:8080', '10.1.0.2:8080']);
    assert.equal(push.body.serviceInfo.groupName, 'DEFAULT_GROUP');

    const dereg = await a.request('InstanceRequest', naming('orders', { type: 'deregisterInstance', instance: instance('10.1.0.1', 8080) }));
    assert.equal(dereg.body.type, 'deregisterInstance');
    const gone = await watcher.waitForPush('NotifySubscriberRequest', (b) => b.serviceInfo.hosts.length === 1, 5000, from);
    assert.deepEqual(hostsOf(gone.body.serviceInfo), ['10.1.0.2:8080']);
    const q = await watcher.request('ServiceQueryRequest', naming('orders', { cluster: '', healthyOnly: false, udpPort: 0 }));
    assert.equal(q.type, 'QueryServiceResponse');
    assert.deepEqual(hostsOf(q.body.serviceInfo), ['10.1.0.2:8080']);
    const names = await watcher.request('ServiceListRequest', naming('', { pageNo: 1, pageSize: 10 }));
    assert.equal(names.type, 'ServiceListResponse');
    assert.ok(names.body.serviceNames.includes('orders'), JSON.stringify(names.body));
  });

  it('closing a connection removes its ephemeral instances and pushes the subscribers', async () => {
    const owner = await connect();
    const watcher = await connect();
    await owner.request('BatchInstanceRequest', naming('payments', { type: 'batchRegisterInstance',
      instances: [instance('10.2.0.1', 9000), instance('10.2.0.2', 9000)] }));
    const sub = await watcher.request('SubscribeServiceRequest', naming('payments', { subscribe: true, clusters: '' }));
    assert.deepEqual(hostsOf(sub.body.serviceInfo), ['10.2.0.1:9000', '10.2.0.2:9000']);
    const from = watcher.pushes.length;
    owner.close();
    const push = await watcher.waitForPush('NotifySubscriberRequest', (b) => b.serviceInfo.hosts.length === 0, 5000, from);
    assert.equal(push.body.serviceName, 'payments');
    const list = JSON.parse((await http(server, 'GET', '/nacos/v1/ns/instance/list?serviceName=payments')).text);
    assert.deepEqual(list.hosts, []);
  });

  it('a connection that stops answering ClientDetectionRequest is closed and its instances removed', async () => {
    const silent = await connect();
    const watcher = await connect();
    await silent.request('InstanceRequest', naming('quiet', { type: 'registerInstance', instance: instance('10.3.0.1', 7000) }));
    await watcher.request('SubscribeServiceRequest', naming('quiet', { subscribe: true, clusters: '' }));
    silent.ack = false; // keep the TCP connection, stop answering
    const push = await watcher.waitForPush('NotifySubscriberRequest', (b) => b.serviceInfo.hosts.length === 0, 8000);
    assert.equal(push.body.serviceName, 'quiet');
    assert.ok(silent.pushes.some((p) => p.type === 'ClientDetectionRequest'));
    // The watcher, which acks its probes, is still registered.
    assert.equal((await watcher.request('HealthCheckRequest', {})).body.success, true);
  });

  it('config: publish, query, listen, push on HTTP change, CAS by md5, remove', async () => {
    const c = await connect();
    const key = { dataId: 'app.yaml', group: 'DEFAULT_GROUP', tenant: '' };
    const missing = await c.request('ConfigQueryRequest', key);
    assert.equal(missing.type, 'ConfigQueryResponse');
    assert.deepEqual([missing.body.errorCode, missing.body.message], [300, 'config data not exist']);
    const pub = await c.request('ConfigPublishRequest', { ...key, content: 'a: 1', casMd5: '', additionMap: { type: 'yaml' } });
    assert.equal(pub.type, 'ConfigPublishResponse');
    assert.equal(pub.body.success, true, JSON.stringify(pub.body));
    assert.equal((await http(server, 'GET', '/nacos/v1/cs/configs?dataId=app.yaml&group=DEFAULT_GROUP')).text, 'a: 1');
    const got = await c.request('ConfigQueryRequest', key);
    assert.deepEqual([got.body.content, got.body.contentType], ['a: 1', 'yaml']);

    const listen = await c.request('ConfigBatchListenRequest', { listen: true, configListenContexts: [{ ...key, md5: 'stale' }] });
    assert.equal(listen.type, 'ConfigChangeBatchListenResponse');
    assert.deepEqual(listen.body.changedConfigs, [{ group: 'DEFAULT_GROUP', dataId: 'app.yaml', tenant: '' }]);
    const upToDate = await c.request('ConfigBatchListenRequest', { listen: true, configListenContexts: [{ ...key, md5: got.body.md5 }] });
    assert.deepEqual(upToDate.body.changedConfigs, []);

    const from = c.pushes.length;
    await http(server, 'POST', '/nacos/v1/cs/configs', { dataId: 'app.yaml', group: 'DEFAULT_GROUP', content: 'a: 2' });
    const push = await c.waitForPush('ConfigChangeNotifyRequest', () => true, 5000, from);
    assert.deepEqual([push.body.dataId, push.body.group, push.body.tenant], ['app.yaml', 'DEFAULT_GROUP', '']);

    const cas = await c.request('ConfigPublishRequest', { ...key, content: 'a: 3', casMd5: got.body.md5, additionMap: {} });
    assert.deepEqual([cas.body.success, cas.body.errorCode], [false, 500]);
    const gray = await c.request('ConfigPublishRequest', { ...key, content: 'a: 3', additionMap: { betaIps: '1.2.3.4' } });
    assert.deepEqual([gray.body.success, gray.body.errorCode], [false, 501]);

    const rm = await c.request('ConfigRemoveRequest', key);
    assert.equal(rm.type, 'ConfigRemoveResponse');
    assert.equal(rm.body.success, true);
    assert.equal((await http(server, 'GET', '/nacos/v1/cs/configs?dataId=app.yaml&group=DEFAULT_GROUP')).status, 404);
  });

  it('unknown payload types and malformed JSON get Nacos error responses; the connection keeps working', async () => {
    const c = await connect();
    const unknown = await c.request('NoSuchRequest', {});
    assert.deepEqual([unknown.type, unknown.body.errorCode, unknown.body.message], ['ErrorResponse', 302, 'RequestHandler Not Found']);
    const bad = await c.request('InstanceRequest', '{"namespace":');
    assert.deepEqual([bad.type, bad.body.errorCode], ['ErrorResponse', 502]);
    const notObject = await c.request('ConfigQueryRequest', '[1,2]');
    assert.deepEqual([notObject.type, notObject.body.errorCode], ['ErrorResponse', 502]);
    c.send('ConnectionSetupRequest', '{broken'); // ignored on the bi-stream, as Nacos does
    const invalid = await c.request('InstanceRequest', naming('x', { type: 'registerInstance', instance: { ...instance('10.9.0.1', 1), weight: 20000 } }));
    assert.deepEqual([invalid.type, invalid.body.success, invalid.body.errorCode], ['InstanceResponse', false, 400]);
    assert.equal((await c.request('HealthCheckRequest', {})).body.success, true);
    const loader = await c.request('ServerLoaderInfoRequest', {});
    assert.ok(Number(loader.body.loaderMetrics.conCount) >= 1);
  });

  it('per-connection metadata is visible on the admin port and in status', async () => {
    const c = await connect({ labels: { AppName: 'shop' } });
    const res = await fetch(`${server.admin}/api/nacos/grpc/connections`);
    const conns = await res.json() as Array<Record<string, unknown>>;
    const mine = conns.find((x) => x.connectionId === c.connectionId);
    assert.ok(mine, JSON.stringify(conns));
    assert.deepEqual([mine.appName, mine.clientVersion, mine.clientIp], ['shop', 'Nacos-Java-Client:v2.3.2', '10.0.0.7']);
  });
});

describe('Nacos gRPC shutdown', () => {
  it('sends ConnectResetRequest to connected clients', async () => {
    const server = await startTestServer();
    const c = await NacosGrpcTestClient.connect(server.ports.nacosGrpc!);
    try {
      await server.stop();
      await c.waitForPush('ConnectResetRequest', () => true, 3000);
    } finally {
      c.close();
      await server.destroy();
    }
  });
});

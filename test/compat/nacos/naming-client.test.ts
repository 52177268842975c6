import assert from 'node:assert/strict';
import { nacosStore } from '../../helpers/nacos-store.js';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { loadNacos } from '../../helpers/nacos-client.js';

const { NacosNamingClient } = loadNacos() as { NacosNamingClient: new (o: object) => NamingClient };

interface Host { ip: string; port: number; healthy: boolean; weight: number; metadata: Record<string, string> }
interface NamingClient {
  ready(): Promise<void>;
  registerInstance(name: string, instance: object, group?: string): Promise<unknown>;
  deregisterInstance(name: string, instance: object, group?: string): Promise<unknown>;
  getAllInstances(name: string, group?: string, clusters?: string, subscribe?: boolean): Promise<Host[]>;
  subscribe(info: string | object, listener: (hosts: Host[]) => void): void;
  getServerStatus(): Promise<string>;
  close(): Promise<void>;
}

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
let server: TestServer;
let client: NamingClient;
before(async () => {
  server = await startTestServer();
  client = new NacosNamingClient({ logger: quiet, serverList: `127.0.0.1:${server.nacosPort}`, namespace: 'public' });
  await client.ready();
});
after(async () => {
  await client.close();
  await server.destroy();
});

function waitFor<T>(pred: () => T | undefined, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = () => {
      const v = pred();
      if (v !== undefined) return resolve(v);
      if (Date.now() - start > ms) return reject(new Error('timed out'));
      setTimeout(tick, 20);
    };
    tick();
  });
}

test('nacos client: server status, register, getAllInstances, deregister', async () => {
  assert.equal(await client.getServerStatus(), 'UP');
  await client.registerInstance('client.svc', { ip: '10.1.0.1', port: 8080, metadata: { zone: 'a' } });
  const hosts = await client.getAllInstances('client.svc', 'DEFAULT_GROUP', 'DEFAULT', false);
  assert.equal(hosts.length, 1);
  assert.deepEqual([hosts[0]!.ip, hosts[0]!.port, hosts[0]!.healthy, hosts[0]!.metadata], ['10.1.0.1', 8080, true, { zone: 'a' }]);
  await client.deregisterInstance('client.svc', { ip: '10.1.0.1', port: 8080 });
  const raw = await (await fetch(`${server.nacos}/nacos/v1/ns/instance/list?serviceName=client.svc`)).json() as { hosts: Host[] };
  assert.equal(raw.hosts.length, 0);
});

test('nacos client: subscribe sees a new instance promptly (UDP push, well before the 10 s poll)', async () => {
  await client.registerInstance('push.svc', { ip: '10.2.0.1', port: 1 });
  let latest: Host[] = [];
  client.subscribe('push.svc', (hosts) => { latest = hosts; });
  await waitFor(() => (latest.length === 1 ? true : undefined), 5_000);
  const started = Date.now();
  // Another registration, from outside the client (curl-like): the subscriber must be told.
  await fetch(`${server.nacos}/nacos/v1/ns/instance?serviceName=push.svc&ip=10.2.0.2&port=2`, { method: 'POST' });
  await waitFor(() => (latest.length === 2 ? true : undefined), 3_000);
  assert.ok(Date.now() - started < 3_000);
  assert.deepEqual(latest.map((h) => h.ip).sort(), ['10.2.0.1', '10.2.0.2']);
  await fetch(`${server.nacos}/nacos/v1/ns/instance?serviceName=push.svc&ip=10.2.0.2&port=2`, { method: 'DELETE' });
  await waitFor(() => (latest.length === 1 ? true : undefined), 3_000);
});

test('nacos client: beats keep the instance; a lost instance is restored by the beat body', async () => {
  await client.registerInstance('beat.svc', { ip: '10.3.0.1', port: 3 });
  // Simulate a server that forgot ephemeral data: drop it behind the client's back.
  nacosStore(server.junction).applyVolatile({ type: 'naming.instance.expire', namespaceId: 'public', serviceName: 'DEFAULT_GROUP@@beat.svc', ip: '10.3.0.1', port: 3, clusterName: 'DEFAULT', time: Date.now() });
  // The client beats every 5 s (clientBeatInterval); the beat carries the instance, so it comes back.
  const back = await new Promise<Host[]>((resolve, reject) => {
    const deadline = Date.now() + 12_000;
    const poll = async () => {
      const info = await (await fetch(`${server.nacos}/nacos/v1/ns/instance/list?serviceName=beat.svc`)).json() as { hosts: Host[] };
      if (info.hosts.length > 0) return resolve(info.hosts);
      if (Date.now() > deadline) return reject(new Error('instance not restored by beats'));
      setTimeout(() => void poll(), 200);
    };
    void poll();
  });
  assert.equal(back[0]!.ip, '10.3.0.1');
});

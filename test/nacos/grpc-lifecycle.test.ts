import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer } from '../helpers/junction.js';
import { NacosGrpcTestClient } from '../helpers/nacos-grpc-client.js';

const instance = (ip: string, port: number, ephemeral = true) => ({ ip, port, weight: 1, healthy: true, enabled: true, ephemeral,
  clusterName: 'DEFAULT', metadata: {} });
const req = (serviceName: string, extra: object) => ({ namespace: 'public', serviceName, groupName: 'DEFAULT_GROUP', ...extra });

describe('Nacos gRPC instance lifetime', () => {
  it('a live connection keeps its ephemeral instance past the beat timeouts; an HTTP instance without beats expires', async () => {
    const clock = new ManualClock(Date.now());
    const server = await startTestServer({ clock, nacos: { grpcKeepAliveMs: 1_000_000 } });
    const c = await NacosGrpcTestClient.connect(server.ports.nacosGrpc!);
    try {
      await c.request('InstanceRequest', req('held', { type: 'registerInstance', instance: instance('10.7.0.1', 1) }));
      const http = await fetch(`${server.nacos}/nacos/v1/ns/instance`, { method: 'POST',
        body: new URLSearchParams({ serviceName: 'held', ip: '10.7.0.2', port: '1' }) });
      assert.equal(http.status, 200);
      for (let s = 0; s < 40; s++) { clock.advance(1_000); await sleep(2); }
      const list = await (await fetch(`${server.nacos}/nacos/v1/ns/instance/list?serviceName=held`)).json() as { hosts: Array<{ ip: string; healthy: boolean }> };
      assert.deepEqual(list.hosts.map((h) => [h.ip, h.healthy]), [['10.7.0.1', true]]);
    } finally {
      c.close();
      await server.destroy();
    }
  });

  it('PersistentInstanceRequest registers a persistent instance that outlives its connection and a restart', async () => {
    const server = await startTestServer();
    const c = await NacosGrpcTestClient.connect(server.ports.nacosGrpc!);
    const r = await c.request('PersistentInstanceRequest', req('db', { type: 'registerInstance', instance: instance('10.8.0.1', 5432, false) }));
    assert.equal(r.type, 'InstanceResponse');
    assert.equal(r.body.success, true, JSON.stringify(r.body));
    c.close();
    await server.stop();
    const again = await startTestServer({ dataDir: server.dataDir });
    try {
      const list = await (await fetch(`${again.nacos}/nacos/v1/ns/instance/list?serviceName=db`)).json() as { hosts: Array<{ ip: string; ephemeral: boolean }> };
      assert.deepEqual(list.hosts.map((h) => [h.ip, h.ephemeral]), [['10.8.0.1', false]]);
    } finally {
      await again.destroy();
    }
  });

  it('a setup with an ability table is answered by SetupAckRequest', async () => {
    const server = await startTestServer();
    const c = await NacosGrpcTestClient.connect(server.ports.nacosGrpc!, { abilities: true });
    try {
      const ack = await c.waitForPush('SetupAckRequest', () => true, 3000);
      assert.equal(ack.body.abilityTable.supportPersistentInstanceByGrpc, true);
    } finally {
      c.close();
      await server.destroy();
    }
  });
});

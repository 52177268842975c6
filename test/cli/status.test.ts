import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { closedPort, runCli, serverEnv } from './run-cli.js';

describe('junction status', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.destroy());

  it('--json prints the admin API status', async () => {
    const r = await runCli(['status', '--json'], { env: serverEnv(server) });
    assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse(r.stdout) as { ports: Record<string, number>; enabled: string[]; auth: boolean;
      fsync: string; dataDir: string; uptimeMs: number; version: string };
    assert.equal(status.ports.nacos, server.nacosPort);
    assert.equal(status.ports.admin, Number(new URL(server.admin).port));
    assert.deepEqual(status.enabled, ['nacos', 'zk', 'kafka', 'amqp']);
    assert.equal(status.ports.zk, server.zkPort);
    assert.equal(status.auth, false);
    assert.equal(status.fsync, 'batch');
    assert.equal(status.dataDir, server.dataDir);
    assert.ok(status.uptimeMs >= 0);
    assert.match(status.version, /^\d+\.\d+\.\d+/);
  });

  it('prints an aligned table for people, with store counts', async () => {
    // One config and one instance, so the counts are not all zero.
    await fetch(`${server.nacos}/nacos/v1/cs/configs`, { method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'dataId=a&group=G&content=x' });
    await fetch(`${server.nacos}/nacos/v1/ns/instance?serviceName=s1&ip=127.0.0.9&port=1&ephemeral=false`, { method: 'POST' });
    const r = await runCli(['status'], { env: serverEnv(server) });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const fields = new Map(lines.map((l) => [l.slice(0, 8).trim(), l.slice(10)]));
    assert.equal(fields.get('auth'), 'off');
    assert.equal(fields.get('fsync'), 'batch');
    assert.equal(fields.get('data dir'), server.dataDir);
    assert.match(fields.get('ports')!, new RegExp(`nacos=${server.nacosPort}`));
    assert.match(fields.get('nacos')!, /^Nacos 2\.x {2}services=1 instances=1 configs=1/);
    // A fresh tree: /, /zookeeper, /zookeeper/quota, /zookeeper/config + the root's alias (as mntr counts).
    assert.match(fields.get('zk')!, /^ZooKeeper 3\.8 {2}znodes=5 sessions=0 watches=0 zxid=0$/);
    // keys padded to one width
    assert.ok(lines.every((l) => /^\S.{0,7}\s{2,}\S/.test(l)), r.stdout);
  });

  it('lists every personality of the registry, the ones not enabled too', async () => {
    const zkOnly = await startTestServer({ enabled: ['zk'] });
    try {
      const r = await runCli(['status'], { env: { JUNCTION_ADMIN: zkOnly.admin } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^nacos {5}Nacos 2\.x {2}\(not enabled\)$/m);
      assert.match(r.stdout, /^zk {8}ZooKeeper 3\.8 {2}znodes=5/m);
      const json = JSON.parse((await runCli(['status', '--json'], { env: { JUNCTION_ADMIN: zkOnly.admin } })).stdout) as
        { personalities: { name: string; running: boolean; ports?: Record<string, number> }[] };
      assert.deepEqual(json.personalities.map((p) => [p.name, p.running]), [['nacos', false], ['zk', true], ['kafka', false], ['amqp', false]]);
      assert.deepEqual(json.personalities[1]!.ports, { zk: zkOnly.zkPort });
    } finally {
      await zkOnly.destroy();
    }
  });

  it('exits 1 with a one-line message when the admin port is unreachable', async () => {
    const port = await closedPort();
    const r = await runCli(['status', '--admin', `127.0.0.1:${port}`]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `junction: cannot reach http://127.0.0.1:${port} (GET /api/status): ECONNREFUSED\n`);
  });
});

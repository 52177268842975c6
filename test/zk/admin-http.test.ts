// ZooKeeper's operations surfaces on the admin port, end to end: AdminServer /commands/<name>
// and Prometheus /metrics reflect a real client's session; with --auth they need an admin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import { startTestServer } from '../helpers/junction.js';

test('zk: /commands and /metrics on the admin port show a node-zookeeper-client session', async () => {
  const server = await startTestServer({ enabled: ['zk'] });
  const client = zookeeper.createClient(`127.0.0.1:${server.zkPort}`, { sessionTimeout: 30_000 });
  try {
    await new Promise<void>((resolve) => { client.once('connected', () => resolve()); client.connect(); });
    await new Promise<void>((resolve, reject) => client.create('/admin-e', null, zookeeper.ACL.OPEN_ACL_UNSAFE,
      zookeeper.CreateMode.EPHEMERAL, (err) => (err ? reject(err) : resolve())));
    const sid = client.getSessionId().readBigUInt64BE(0);

    const cons = await (await fetch(`${server.admin}/commands/cons`)).json() as { command: string; error: null; connections: { session_id?: string }[] };
    assert.equal(cons.command, 'connections');
    assert.equal(cons.error, null);
    assert.ok(cons.connections.some((c) => BigInt(c.session_id ?? '0') === sid), JSON.stringify(cons));
    const mntr = await (await fetch(`${server.admin}/commands/mntr`)).json() as Record<string, unknown>;
    assert.equal(mntr.ephemerals_count, 1);
    assert.equal(mntr.znode_count, 6); // the fresh tree's 5 (root counted twice, as ZooKeeper does) + /admin-e
    const unknown = await (await fetch(`${server.admin}/commands/nope`)).json() as { error: string };
    assert.equal(unknown.error, 'Unknown command: nope');

    const metrics = await (await fetch(`${server.admin}/metrics`)).text();
    assert.match(metrics, /^junction_zk_sessions 1$/m);
    assert.match(metrics, /^junction_zk_ephemerals_count 1$/m);
    assert.match(metrics, /^junction_zk_request_latency_seconds_count\{op="CREA"\} 1$/m);
    assert.match(metrics, /^junction_log_fsync_seconds_count\{store="zk"\} [1-9]/m);
  } finally {
    client.close();
    await server.destroy();
  }
});

test('zk: with --auth the AdminServer commands need an admin', async () => {
  const server = await startTestServer({ auth: true, enabled: ['zk'] });
  try {
    assert.equal((await fetch(`${server.admin}/commands/dump`)).status, 401);
  } finally {
    await server.destroy();
  }
});

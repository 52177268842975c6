// Frozen data dirs written by earlier layouts must keep opening with everything in them
// (ARCHITECTURE principle 6). test/fixtures/datadir-v<N> were written by make-datadir.ts and are
// never regenerated; a format change (a store's log records, a snapshot image, the journal) needs a
// new layout version, a migration that keeps these tests green, and a new fixture.
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DATA_VERSION } from '../src/app.js';
import { Err, ZkError } from '../src/zk/codec/errors.js';
import { ZkClient } from '../src/zk/client/zk-client.js';
import { FIXTURE_ADMIN_PASSWORD } from './fixtures/make-datadir.js';
import { startTestServer, tempDir } from './helpers/junction.js';

const fixture = (version: number) => fileURLToPath(new URL(`../../test/fixtures/datadir-v${version}`, import.meta.url));
/** v1: no journal. v2: the shared journal, left as kill -9 leaves it (entries to replay). */
const VERSIONS = [1, 2];

test('the newest layout has a fixture', () => {
  assert.equal(DATA_VERSION, VERSIONS[VERSIONS.length - 1], 'a new layout version needs a migration and a new fixture');
});

function copyOf(version: number): string {
  assert.equal(readFileSync(join(fixture(version), 'VERSION'), 'utf8').trim(), String(version));
  const dataDir = tempDir('junction-fixture-');
  cpSync(fixture(version), dataDir, { recursive: true });
  return dataDir;
}

async function login(nacos: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${nacos}/nacos/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username, password }) });
  assert.equal(res.status, 200, `login as ${username}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

for (const version of VERSIONS) {
  test(`a version ${version} data dir opens with its configs, history, namespaces, services and users`, async () => {
    const dataDir = copyOf(version);
    const server = await startTestServer({ dataDir, auth: true });
    try {
      const token = await login(server.nacos, 'nacos', FIXTURE_ADMIN_PASSWORD);
      const get = (path: string) => fetch(`${server.nacos}/nacos${path}${path.includes('?') ? '&' : '?'}accessToken=${token}`);

      const config = await get('/v1/cs/configs?dataId=app.yaml&group=DEFAULT_GROUP');
      assert.equal(await config.text(), 'port: 9090');
      assert.equal(config.headers.get('config-type'), 'yaml');
      assert.equal(await (await get('/v1/cs/configs?dataId=db.properties&group=G&tenant=dev')).text(), 'url=jdbc:x');
      const history = await (await get('/v1/cs/history?search=accurate&dataId=app.yaml&group=DEFAULT_GROUP&pageNo=1&pageSize=10')).json() as { totalCount: number };
      assert.equal(history.totalCount, 2);

      const namespaces = await (await get('/v1/console/namespaces')).json() as { data: { namespace: string; namespaceShowName: string }[] };
      assert.ok(namespaces.data.some((n) => n.namespace === 'dev' && n.namespaceShowName === 'Development'));

      const service = await (await get('/v1/ns/service?serviceName=orders&groupName=SHOP')).json() as { protectThreshold: number; metadata: Record<string, string> };
      assert.deepEqual([service.protectThreshold, service.metadata], [0.3, { tier: 'gold' }]);
      const list = await (await get('/v1/ns/instance/list?serviceName=SHOP@@orders')).json() as { hosts: { ip: string; port: number; weight: number; ephemeral: boolean }[] };
      assert.deepEqual(list.hosts.map((h) => [h.ip, h.port, h.weight, h.ephemeral]), [['127.0.0.21', 8080, 2, false]]);

      // The reader's hash, role and permission came through: it may read public but not write.
      const reader = await login(server.nacos, 'reader', 'reader-password');
      const read = await fetch(`${server.nacos}/nacos/v1/cs/configs?dataId=app.yaml&group=DEFAULT_GROUP&accessToken=${reader}`);
      assert.equal(read.status, 200);
      const write = await fetch(`${server.nacos}/nacos/v1/cs/configs?dataId=app.yaml&group=DEFAULT_GROUP&content=x&accessToken=${reader}`, { method: 'POST' });
      assert.equal(write.status, 403);
      if (version >= 2) {
        // Written in the same commit cycle as a zk record, so kept by the journal and replayed.
        assert.equal(await (await get('/v1/cs/configs?dataId=journaled&group=J')).text(), 'kept by the journal');
      }
      assert.equal(readFileSync(join(dataDir, 'VERSION'), 'utf8').trim(), String(DATA_VERSION), 'marked with the layout it now has');
    } finally {
      await server.destroy();
    }
  });

  test(`the version ${version} zk/ store (snapshot + log after it) opens with every kind of znode, ACL and session`, async () => {
    const dataDir = copyOf(version);
    const server = await startTestServer({ dataDir, auth: true, enabled: ['zk'] });
    const zk = await ZkClient.connect({ host: '127.0.0.1', port: server.zkPort, timeoutMs: 10_000 });
    try {
      await zk.addAuth('digest', `nacos:${FIXTURE_ADMIN_PASSWORD}`);
      const app = await zk.getData('/app');
      assert.equal(app.data.toString(), 'v2');
      assert.equal(app.stat.version, 1);
      // Deleted children still count: the next sequential suffix continues from the creation counter.
      assert.deepEqual((await zk.getChildren('/app')).sort(), ['live', 'seq-0000000001']);
      const live = await zk.exists('/app/live');
      assert.ok(live && live.ephemeralOwner !== 0n, 'the ephemeral and its session came back');
      assert.equal((await zk.create('/app/seq-', 'c', { flags: 2 })), '/app/seq-0000000003');
      const secret = await zk.getACL('/secret');
      assert.deepEqual(secret.acl.map((a) => a.id.scheme), ['digest']);
      assert.equal((await zk.getData('/secret')).data.toString(), 's');
      assert.deepEqual(await zk.getChildren('/jobs'), ['j1']);
      const ttl = await zk.exists('/ttl');
      assert.ok(ttl, 'the TTL node is kept');
      assert.equal((await zk.getData('/m')).data.toString(), 'multi');
      // New txns get zxids after every one the fixture holds.
      const made = await zk.create2('/after', 'x');
      assert.ok(made.stat!.czxid > app.stat.mzxid && made.stat!.czxid > live.czxid);
      await assert.rejects(zk.create('/app', ''), (e) => e instanceof ZkError && e.zkCode === Err.NODEEXISTS);
    } finally {
      await zk.close();
      await server.destroy();
    }
  });
}

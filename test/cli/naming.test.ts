import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { runCli, serverEnv } from './run-cli.js';

describe('junction nacos instance / service', () => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    env = serverEnv(server);
  });
  after(() => server.destroy());

  it('register, list (table and --json), deregister a persistent instance', async () => {
    const reg = await runCli(['nacos', 'instance', 'register', 'orders', '--ip', '127.0.0.7', '--port', '8080',
      '--weight', '2', '--ephemeral', 'false', '--metadata', 'zone=a,version=1.2'], { env });
    assert.equal(reg.code, 0, reg.stderr);
    assert.match(reg.stdout, /registered 127\.0\.0\.7:8080 in orders/);

    const list = await runCli(['nacos', 'instance', 'list', 'orders'], { env });
    assert.equal(list.code, 0, list.stderr);
    const [header, row, footer] = list.stdout.trim().split('\n');
    assert.match(header!, /^IP\s+PORT\s+WEIGHT\s+HEALTHY\s+ENABLED\s+EPHEMERAL\s+CLUSTER\s+METADATA$/);
    assert.match(row!, /^127\.0\.0\.7\s+8080\s+2\s+true\s+true\s+false\s+DEFAULT\s+/);
    assert.match(row!, /zone=a/);
    assert.match(row!, /version=1\.2/);
    assert.equal(footer, '1 instance(s) of orders');

    const json = await runCli(['nacos', 'instance', 'list', 'orders', '--json'], { env });
    const body = JSON.parse(json.stdout) as { hosts: { ip: string; port: number; metadata: Record<string, string> }[] };
    assert.deepEqual(body.hosts.map((h) => [h.ip, h.port, h.metadata.zone]), [['127.0.0.7', 8080, 'a']]);

    const dereg = await runCli(['nacos', 'instance', 'deregister', 'orders', '--ip', '127.0.0.7', '--port', '8080',
      '--ephemeral', 'false'], { env });
    assert.equal(dereg.code, 0, dereg.stderr);
    const after = await runCli(['nacos', 'instance', 'list', 'orders', '--json'], { env });
    assert.deepEqual((JSON.parse(after.stdout) as { hosts: unknown[] }).hosts, []);
  });

  it('service list shows registered services of a group', async () => {
    for (const name of ['billing', 'shipping']) {
      const r = await runCli(['nacos', 'instance', 'register', name, '--ip', '10.0.0.9', '--port', '80', '--group', 'SHOP'], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /ephemeral instance/);
    }
    const table = await runCli(['nacos', 'service', 'list', '--group', 'SHOP'], { env });
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.equal(lines[0], 'SERVICE');
    assert.deepEqual(lines.slice(1, -1).sort(), ['billing', 'shipping']);
    assert.equal(lines.at(-1), '2 service(s)');
    const json = await runCli(['nacos', 'service', 'list', '--group', 'SHOP', '--json'], { env });
    const page = JSON.parse(json.stdout) as { count: number; doms: string[] };
    assert.equal(page.count, 2);
    assert.deepEqual([...page.doms].sort(), ['billing', 'shipping']);
  });

  it('register without --port is a usage error (exit 2, usage text)', async () => {
    const r = await runCli(['nacos', 'instance', 'register', 'orders', '--ip', '10.0.0.1'], { env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing or invalid --port/);
    assert.match(r.stderr, /usage: junction nacos instance/);
  });
});

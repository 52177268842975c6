import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../helpers/junction.js';

const run = promisify(execFile);
let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.destroy(); });

/** curl with the status on the last line. */
async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', ...args]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

test('the issue\'s curl commands: register → ok, list shows the instance in Nacos format', async () => {
  const port = server.nacosPort;
  const reg = await curl(['-X', 'POST', `http://127.0.0.1:${port}/nacos/v1/ns/instance?serviceName=nacos.naming.serviceName&ip=20.18.7.10&port=8080`]);
  assert.deepEqual(reg, { status: 200, body: 'ok' });
  const list = await curl(['-X', 'GET', `http://127.0.0.1:${port}/nacos/v1/ns/instance/list?serviceName=nacos.naming.serviceName`]);
  assert.equal(list.status, 200);
  const info = JSON.parse(list.body);
  assert.equal(info.name, 'DEFAULT_GROUP@@nacos.naming.serviceName');
  assert.equal(info.groupName, 'DEFAULT_GROUP');
  assert.equal(info.cacheMillis, 10000);
  assert.equal(info.valid, true);
  assert.equal(info.reachProtectionThreshold, false);
  assert.equal(info.hosts.length, 1);
  const h = info.hosts[0];
  assert.equal(h.instanceId, '20.18.7.10#8080#DEFAULT#DEFAULT_GROUP@@nacos.naming.serviceName');
  assert.deepEqual([h.ip, h.port, h.weight, h.healthy, h.enabled, h.ephemeral, h.clusterName],
    ['20.18.7.10', 8080, 1, true, true, true, 'DEFAULT']);
  assert.equal(h.serviceName, 'DEFAULT_GROUP@@nacos.naming.serviceName');
  assert.deepEqual([h.instanceHeartBeatInterval, h.instanceHeartBeatTimeOut, h.ipDeleteTimeout, h.instanceIdGenerator],
    [5000, 15000, 30000, 'simple']);
  assert.match(list.body, /"weight":1\.0,/);
  for (const k of ['lastRefTime', 'checksum', 'allIPs', 'clusters']) assert.ok(k in info, k);
});

test('groups, clusters, namespaces, metadata, healthyOnly and clusters filters', async () => {
  const base = `${server.nacos}/nacos/v1/ns/instance`;
  const post = (q: string) => fetch(`${base}?${q}`, { method: 'POST' }).then((r) => r.text());
  assert.equal(await post('serviceName=pay&groupName=G1&ip=1.1.1.1&port=1&clusterName=C1&metadata=%7B%22v%22%3A%222%22%7D&weight=2.5'), 'ok');
  assert.equal(await post('serviceName=G1@@pay&ip=1.1.1.2&port=1&cluster=C2&healthy=false'), 'ok');
  assert.equal(await post('serviceName=pay&namespaceId=dev&ip=9.9.9.9&port=9'), 'ok');
  const all = await (await fetch(`${base}/list?serviceName=G1@@pay`)).json() as { hosts: { ip: string; metadata: object; weight: number }[] };
  assert.deepEqual(all.hosts.map((h) => h.ip).sort(), ['1.1.1.1', '1.1.1.2']);
  assert.deepEqual(all.hosts.find((h) => h.ip === '1.1.1.1')!.metadata, { v: '2' });
  const c1 = await (await fetch(`${base}/list?serviceName=pay&groupName=G1&clusters=C1`)).json() as { hosts: { ip: string }[]; clusters: string };
  assert.deepEqual(c1.hosts.map((h) => h.ip), ['1.1.1.1']);
  assert.equal(c1.clusters, 'C1');
  const healthy = await (await fetch(`${base}/list?serviceName=G1@@pay&healthyOnly=true`)).json() as { hosts: { ip: string }[] };
  assert.deepEqual(healthy.hosts.map((h) => h.ip), ['1.1.1.1']);
  const dev = await (await fetch(`${base}/list?serviceName=pay&namespaceId=dev`)).json() as { hosts: { ip: string }[] };
  assert.deepEqual(dev.hosts.map((h) => h.ip), ['9.9.9.9']);
});

test('update, patch, detail, deregister', async () => {
  const base = `${server.nacos}/nacos/v1/ns/instance`;
  const q = 'serviceName=upd&ip=2.2.2.2&port=22';
  assert.equal(await (await fetch(`${base}?${q}`, { method: 'POST' })).text(), 'ok');
  assert.equal(await (await fetch(`${base}?${q}&weight=7&metadata=a%3D1`, { method: 'PUT' })).text(), 'ok');
  let d = await (await fetch(`${base}?${q}`)).json() as { weight: number; metadata: object; service: string };
  assert.deepEqual([d.weight, d.metadata, d.service], [7, { a: '1' }, 'DEFAULT_GROUP@@upd']);
  assert.equal(await (await fetch(`${base}?${q}&enabled=false`, { method: 'PATCH' })).text(), 'ok');
  d = await (await fetch(`${base}?${q}`)).json() as { weight: number; metadata: object; service: string };
  assert.equal(d.weight, 7);
  const list = await (await fetch(`${base}/list?serviceName=upd`)).json() as { hosts: unknown[] };
  assert.equal(list.hosts.length, 0, 'disabled instances are not listed');
  assert.equal(await (await fetch(`${base}?${q}`, { method: 'DELETE' })).text(), 'ok');
  const gone = await fetch(`${base}?${q}`);
  assert.equal(gone.status, 404);
  assert.equal(await gone.text(), 'no ips found for cluster DEFAULT in service DEFAULT_GROUP@@upd');
});

test('beat: known → 10200, unknown without body → 20404, unknown with beat JSON → registered', async () => {
  const base = `${server.nacos}/nacos/v1/ns/instance`;
  await fetch(`${base}?serviceName=hb&ip=3.3.3.3&port=33`, { method: 'POST' });
  const known = await (await fetch(`${base}/beat?serviceName=hb&ip=3.3.3.3&port=33`, { method: 'PUT' })).json();
  assert.deepEqual(known, { clientBeatInterval: 5000, code: 10200, lightBeatEnabled: true });
  const unknown = await (await fetch(`${base}/beat?serviceName=hb&ip=4.4.4.4&port=44`, { method: 'PUT' })).json();
  assert.equal((unknown as { code: number }).code, 20404);
  const beat = encodeURIComponent(JSON.stringify({ serviceName: 'DEFAULT_GROUP@@hb', ip: '5.5.5.5', port: 55, cluster: 'C9', weight: 1, metadata: { m: 'x' } }));
  const revived = await (await fetch(`${base}/beat?serviceName=DEFAULT_GROUP@@hb&beat=${beat}`, { method: 'PUT' })).json();
  assert.equal((revived as { code: number }).code, 10200);
  const list = await (await fetch(`${base}/list?serviceName=hb`)).json() as { hosts: { ip: string; clusterName: string; metadata: object }[] };
  const h = list.hosts.find((x) => x.ip === '5.5.5.5')!;
  assert.deepEqual([h.clusterName, h.metadata], ['C9', { m: 'x' }]);
});

test('bad input answers like Nacos and the server keeps serving', async () => {
  const base = `${server.nacos}/nacos/v1/ns/instance`;
  const cases: [string, string, number, string][] = [
    ['POST', 'ip=1.1.1.1&port=1', 400, "Param 'serviceName' is required."],
    ['POST', 'serviceName=x&port=1', 400, "Param 'ip' is required."],
    ['POST', 'serviceName=x&ip=1.1.1.1&port=abc', 400, 'For input string: "abc"'],
    ['POST', 'serviceName=x&ip=1.1.1.1&port=1&weight=-1', 400, 'instance format invalid: The weights range from 0.0 to 10000.0'],
    ['POST', 'serviceName=x&ip=1.1.1.1&port=1&weight=abc', 400, 'For input string: "abc"'],
    ['POST', 'serviceName=x&ip=1.1.1.1&port=1&metadata=oops', 400, 'metadata format incorrect:oops'],
    ['POST', 'serviceName=x&ip=1.1.1.1&port=1&clusterName=a_b', 400, "Instance 'clusterName' should be characters with only 0-9a-zA-Z-. (current: a_b)"],
    ['POST', 'serviceName=@@x&ip=1.1.1.1&port=1', 400, "Param 'serviceName' is illegal, groupName can't be empty"],
    ['GET', 'serviceName=x&ip=1.1.1.1', 400, "Param 'port' is required."],
  ];
  for (const [method, q, status, text] of cases) {
    const r = await curl(['-X', method, `${base}?${q}`]);
    assert.deepEqual(r, { status, body: text }, `${method} ${q}`);
  }
  const svc = await curl(['-X', 'POST', `${server.nacos}/nacos/v1/ns/service`]);
  assert.deepEqual(svc, { status: 400, body: "Parameter 'serviceName' is missing" });
  const ok = await curl(['-X', 'POST', `${base}?serviceName=after.errors&ip=1.1.1.1&port=1`]);
  assert.deepEqual(ok, { status: 200, body: 'ok' });
});

test('v2 open API: envelope, error codes, services', async () => {
  const v2 = `${server.nacos}/nacos/v2/ns`;
  const reg = await (await fetch(`${v2}/instance?serviceName=v2svc&groupName=G2&ip=6.6.6.6&port=66`, { method: 'POST' })).json();
  assert.deepEqual(reg, { code: 0, message: 'success', data: 'ok' });
  const list = await (await fetch(`${v2}/instance/list?serviceName=v2svc&groupName=G2`)).json() as { code: number; data: { name: string; hosts: unknown[] } };
  assert.equal(list.code, 0);
  assert.equal(list.data.name, 'G2@@v2svc');
  assert.equal(list.data.hosts.length, 1);
  const detail = await (await fetch(`${v2}/instance?serviceName=v2svc&groupName=G2&ip=6.6.6.6&port=66`)).json() as { data: { serviceName: string } };
  assert.equal(detail.data.serviceName, 'G2@@v2svc');
  const missing = await fetch(`${v2}/instance?serviceName=v2svc&ip=6.6.6.6`, { method: 'POST' });
  assert.equal(missing.status, 400);
  assert.deepEqual(await missing.json(), { code: 10000, message: 'parameter missing', data: "Required parameter 'port' type Integer is not present" });
  const weight = await (await fetch(`${v2}/instance?serviceName=v2svc&ip=6.6.6.6&port=1&weight=20000`, { method: 'POST' })).json();
  assert.deepEqual(weight, { code: 21001, message: 'weight error', data: 'instance format invalid: The weights range from 0.0 to 10000.0' });
  assert.deepEqual(await (await fetch(`${v2}/service?serviceName=made&groupName=G2&metadata=k%3Dv`, { method: 'POST' })).json(), { code: 0, message: 'success', data: 'ok' });
  const dup = await (await fetch(`${v2}/service?serviceName=made&groupName=G2`, { method: 'POST' })).json();
  assert.deepEqual(dup, { code: 21007, message: 'service already exist', data: 'specified service G2@@made already exists!' });
  const names = await (await fetch(`${v2}/service/list?groupName=G2`)).json() as { data: { count: number; services: string[] } };
  assert.deepEqual(names.data, { count: 2, services: ['made', 'v2svc'] });
  const got = await (await fetch(`${v2}/service?serviceName=made&groupName=G2`)).json() as { data: { metadata: object; ephemeral: boolean } };
  assert.deepEqual([got.data.metadata, got.data.ephemeral], [{ k: 'v' }, false]);
  const notEmpty = await (await fetch(`${v2}/service?serviceName=v2svc&groupName=G2`, { method: 'DELETE' })).json() as { code: number };
  assert.equal(notEmpty.code, 21009);
  assert.deepEqual(await (await fetch(`${v2}/service?serviceName=made&groupName=G2`, { method: 'DELETE' })).json(), { code: 0, message: 'success', data: 'ok' });
});

test('v1 service API and operator metrics', async () => {
  const v1 = `${server.nacos}/nacos/v1/ns`;
  assert.equal(await (await fetch(`${v1}/service?serviceName=s1&groupName=GS&protectThreshold=0.5`, { method: 'POST' })).text(), 'ok');
  assert.equal(await (await fetch(`${v1}/service?serviceName=GS@@s1&protectThreshold=0.7&metadata=a%3Db`, { method: 'PUT' })).text(), 'ok');
  const detail = await (await fetch(`${v1}/service?serviceName=s1&groupName=GS`)).json() as Record<string, unknown>;
  assert.deepEqual([detail.name, detail.groupName, detail.protectThreshold, detail.metadata], ['s1', 'GS', 0.7, { a: 'b' }]);
  const list = await (await fetch(`${v1}/service/list?pageNo=1&pageSize=10&groupName=GS`)).json();
  assert.deepEqual(list, { count: 1, doms: ['s1'] });
  const eph = await fetch(`${v1}/instance?serviceName=GS@@s1&ip=7.7.7.7&port=7`, { method: 'POST' });
  assert.equal(eph.status, 400);
  assert.equal(await eph.text(), "Current service GS@@s1 is persistent service, can't register ephemeral instance.");
  assert.deepEqual(await (await fetch(`${v1}/operator/metrics`)).json(), { status: 'UP' });
  const m = await (await fetch(`${v1}/operator/metrics?onlyStatus=false`)).json() as Record<string, number>;
  assert.equal(m.status, 'UP');
  assert.ok(m.serviceCount! >= 1 && m.instanceCount! >= 1);
  assert.equal(typeof m.subscribeCount, 'number');
  const prom = await (await fetch(`${server.admin}/metrics`)).text();
  assert.match(prom, /^junction_nacos_naming_instances\{ephemeral="true",healthy="true"\} [1-9]/m);
  assert.match(prom, /^junction_nacos_naming_services [1-9]/m);
  // The same figures under Nacos's own gauge, which its Grafana dashboards query.
  const monitor = (module: string, name: string) => Number(new RegExp(`^nacos_monitor\\{module="${module}",name="${name}"\\} (\\d+)$`, 'm').exec(prom)?.[1]);
  assert.equal(monitor('naming', 'serviceCount'), m.serviceCount);
  assert.equal(monitor('naming', 'ipCount'), m.instanceCount);
  assert.equal(monitor('naming', 'subscriberCount'), m.subscribeCount);
  assert.equal(monitor('config', 'configCount'), 0);
  assert.equal(monitor('config', 'longPolling'), 0);
});

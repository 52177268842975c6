import assert from 'node:assert/strict';
import { nacosSettings } from '../../../src/nacos/settings.js';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ManualClock } from '../../../src/core/clock.js';
import { startTestServer, type TestServer } from '../../helpers/junction.js';

const run = promisify(execFile);
const W = '\u0002';
const L = '\u0001';

async function curl(...args: string[]): Promise<string> {
  const { stdout } = await run('curl', ['-s', ...args]);
  return stdout;
}

async function call(s: TestServer, method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.nacos}${path}`, {
    method, headers: form ? { 'content-type': 'application/x-www-form-urlencoded', ...headers } : headers,
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

async function listenerCount(s: TestServer): Promise<number> {
  const text = await s.junction.metrics.render();
  return Number(/^junction_nacos_config_long_polling_listeners (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function until(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('Nacos config v1 over HTTP', () => {
  let s: TestServer;
  const clock = new ManualClock(Date.UTC(2024, 0, 2, 3, 4, 5));
  before(async () => { s = await startTestServer({ clock }); });
  after(() => s.destroy());

  it('the issue\'s curl commands publish and read a config', async () => {
    const port = s.nacosPort;
    assert.equal(await curl('-X', 'POST', `http://127.0.0.1:${port}/nacos/v1/cs/configs?dataId=nacos.cfg.dataId&group=test&content=HelloWorld`), 'true');
    assert.equal(await curl('-X', 'GET', `http://127.0.0.1:${port}/nacos/v1/cs/configs?dataId=nacos.cfg.dataId&group=test`), 'HelloWorld');
  });

  it('GET answers Nacos headers, 404 when missing, and DELETE removes', async () => {
    await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'app.json', group: 'G', content: '{"a":1}', type: 'json' });
    const got = await call(s, 'GET', '/nacos/v1/cs/configs?dataId=app.json&group=G');
    assert.equal(got.body, '{"a":1}');
    assert.equal(got.headers.get('content-md5'), createHash('md5').update('{"a":1}').digest('hex'));
    assert.equal(got.headers.get('config-type'), 'json');
    assert.equal(got.headers.get('content-type'), 'application/json;charset=UTF-8');
    assert.equal(got.headers.get('last-modified'), 'Tue, 02 Jan 2024 03:04:05 GMT');
    assert.equal(got.headers.get('cache-control'), 'no-cache,no-store');
    assert.equal((await call(s, 'DELETE', '/nacos/v1/cs/configs?dataId=app.json&group=G')).body, 'true');
    const gone = await call(s, 'GET', '/nacos/v1/cs/configs?dataId=app.json&group=G');
    assert.equal(gone.status, 404);
    assert.equal(gone.body, 'config data not exist\n');
  });

  it('bad input gets Nacos errors and the server keeps serving', async () => {
    const missing = await call(s, 'POST', '/nacos/v1/cs/configs', { group: 'G', content: 'x' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /dataId/);
    const invalid = await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'bad/id', group: 'G', content: 'x' });
    assert.deepEqual([invalid.status, invalid.body], [400, 'caused: invalid dataId : bad/id;']);
    const group = await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'ok', group: 'a b', content: 'x' });
    assert.deepEqual([group.status, group.body], [400, 'caused: invalid group : a b;']);
    const blank = await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'ok', group: 'G', content: '' });
    assert.deepEqual([blank.status, blank.body], [400, 'caused: content is blank : ;']);
    const max = nacosSettings.specs.maxContentBytes.default;
    const big = await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'big', group: 'G', content: 'x'.repeat(max + 1) });
    assert.deepEqual([big.status, big.body], [400, `caused: invalid content, over ${max};`]);
    const tenant = await call(s, 'GET', '/nacos/v1/cs/configs?dataId=a&group=G&tenant=a%2Fb');
    assert.deepEqual([tenant.status, tenant.body], [400, 'caused: invalid tenant;']);
    const malformed = await call(s, 'POST', '/nacos/v1/cs/configs/listener', { 'Listening-Configs': `only${L}` }, { 'Long-Pulling-Timeout': '30000' });
    assert.deepEqual([malformed.status, malformed.body], [400, 'caused: invalid probeModify;']);
    const v2 = await call(s, 'GET', '/nacos/v2/cs/config?dataId=a&group=b%20c');
    assert.deepEqual(JSON.parse(v2.body), { code: 20002, message: 'parameter validate error', data: 'invalid group : b c' });
    assert.equal(await curl(`${s.nacos}/nacos/v1/cs/configs?dataId=nacos.cfg.dataId&group=test`), 'HelloWorld');
  });

  it('long-poll answers at once when an md5 differs', async () => {
    const probe = `nacos.cfg.dataId${W}test${W}stale-md5${L}`;
    const res = await call(s, 'POST', '/nacos/v1/cs/configs/listener', { 'Listening-Configs': probe }, { 'Long-Pulling-Timeout': '30000' });
    assert.equal(res.status, 200);
    assert.equal(res.body, 'nacos.cfg.dataId%02test%01\n');
  });

  it('long-poll is held and answered when the config changes', async () => {
    const md5 = (await call(s, 'GET', '/nacos/v1/cs/configs?dataId=nacos.cfg.dataId&group=test')).headers.get('content-md5')!;
    const probe = `nacos.cfg.dataId${W}test${W}${md5}${L}`;
    const held = call(s, 'POST', '/nacos/v1/cs/configs/listener', { 'Listening-Configs': probe }, { 'Long-Pulling-Timeout': '30000' });
    await until(async () => (await listenerCount(s)) === 1);
    assert.equal(await listenerCount(s), 1);
    const t0 = performance.now();
    await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'nacos.cfg.dataId', group: 'test', content: 'Changed' });
    const res = await held;
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(res.body, 'nacos.cfg.dataId%02test%01\n');
    assert.equal(await listenerCount(s), 0);
  });

  it('long-poll with no change answers empty after max(10 s, timeout − 500 ms) and honours No-Hangup', async () => {
    const md5 = (await call(s, 'GET', '/nacos/v1/cs/configs?dataId=nacos.cfg.dataId&group=test')).headers.get('content-md5')!;
    const probe = `nacos.cfg.dataId${W}test${W}${md5}${L}`;
    const noHangup = await call(s, 'POST', '/nacos/v1/cs/configs/listener', { 'Listening-Configs': probe },
      { 'Long-Pulling-Timeout': '30000', 'Long-Pulling-Timeout-No-Hangup': 'true' });
    assert.deepEqual([noHangup.status, noHangup.body], [200, '']);
    let settled = false;
    // A 1 s request is still held for Nacos's 10 s minimum.
    const held = call(s, 'POST', '/nacos/v1/cs/configs/listener', { 'Listening-Configs': probe }, { 'Long-Pulling-Timeout': '1000' })
      .finally(() => { settled = true; });
    await until(async () => (await listenerCount(s)) === 1);
    clock.advance(9_999);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false);
    clock.advance(1);
    const res = await held;
    assert.deepEqual([res.status, res.body], [200, '']);
  });

  it('history lists I/U/D newest first, with detail, previous and configs', async () => {
    for (const content of ['h1', 'h2']) await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'hist', group: 'G', content });
    await call(s, 'DELETE', '/nacos/v1/cs/configs?dataId=hist&group=G');
    const list = JSON.parse((await call(s, 'GET', '/nacos/v1/cs/history?search=accurate&dataId=hist&group=G&pageNo=1&pageSize=10')).body);
    assert.equal(list.totalCount, 3);
    assert.deepEqual(list.pageItems.map((h: { opType: string }) => h.opType.trim()), ['D', 'U', 'I']);
    const [d, u, i] = list.pageItems;
    assert.equal(list.pageItems[0].content, null);
    const detail = JSON.parse((await call(s, 'GET', `/nacos/v1/cs/history?nid=${u.id}&dataId=hist&group=G`)).body);
    assert.equal(detail.content, 'h1');
    const ins = JSON.parse((await call(s, 'GET', `/nacos/v1/cs/history?nid=${i.id}&dataId=hist&group=G`)).body);
    assert.equal(ins.content, 'h1');
    const del = JSON.parse((await call(s, 'GET', `/nacos/v1/cs/history?nid=${d.id}&dataId=hist&group=G`)).body);
    assert.equal(del.content, 'h2');
    const v2detail = JSON.parse((await call(s, 'GET', `/nacos/v2/cs/history/detail?nid=${u.id}&dataId=hist&group=G`)).body);
    assert.equal(v2detail.code, 0);
    assert.deepEqual([v2detail.data.originalContent, v2detail.data.updatedContent], ['h1', 'h2']);
    const wrong = await call(s, 'GET', `/nacos/v1/cs/history?nid=${u.id}&dataId=other&group=G`);
    assert.equal(wrong.status, 403);
    await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'prev', group: 'G', content: 'p1' });
    await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'prev', group: 'G', content: 'p2' });
    const search = JSON.parse((await call(s, 'GET', '/nacos/v1/cs/configs?search=accurate&dataId=prev&group=G&pageNo=1&pageSize=10')).body);
    const id = search.pageItems[0].id;
    const prev = JSON.parse((await call(s, 'GET', `/nacos/v1/cs/history/previous?id=${id}&dataId=prev&group=G`)).body);
    assert.equal(prev.content, 'p1');
    const v2prev = JSON.parse((await call(s, 'GET', '/nacos/v2/cs/history/previous?id=999999&dataId=prev&group=G')).body);
    assert.equal(v2prev.code, 20004);
    const configs = JSON.parse((await call(s, 'GET', '/nacos/v1/cs/history/configs?tenant=')).body);
    assert.ok(configs.some((c: { dataId: string }) => c.dataId === 'prev'));
  });

  it('v2 config API publishes, reads and deletes with the envelope', async () => {
    const pub = JSON.parse((await call(s, 'POST', '/nacos/v2/cs/config', { dataId: 'v2cfg', group: 'G', content: 'two', namespaceId: 'public' })).body);
    assert.deepEqual(pub, { code: 0, message: 'success', data: true });
    assert.deepEqual(JSON.parse((await call(s, 'GET', '/nacos/v2/cs/config?dataId=v2cfg&group=G')).body), { code: 0, message: 'success', data: 'two' });
    const missing = await call(s, 'POST', '/nacos/v2/cs/config', { dataId: 'v2cfg', group: 'G' });
    assert.deepEqual(JSON.parse(missing.body), { code: 10000, message: 'parameter missing', data: "Required parameter 'content' type String is not present" });
    await call(s, 'DELETE', '/nacos/v2/cs/config?dataId=v2cfg&group=G');
    const gone = await call(s, 'GET', '/nacos/v2/cs/config?dataId=v2cfg&group=G');
    assert.equal(gone.status, 404);
    assert.deepEqual(JSON.parse(gone.body), { code: 20004, message: 'resource not found', data: 'config data not exist' });
  });
});

describe('Nacos console namespaces and restart', () => {
  it('CRUD namespaces, configs per namespace, and everything survives a restart', async () => {
    let s = await startTestServer();
    const dataDir = s.dataDir;
    try {
      assert.equal((await call(s, 'POST', '/nacos/v1/console/namespaces', { customNamespaceId: 'dev', namespaceName: 'Dev', namespaceDesc: 'development' })).body, 'true');
      assert.equal((await call(s, 'POST', '/nacos/v1/console/namespaces', { customNamespaceId: 'dev', namespaceName: 'Again' })).body, 'false');
      assert.equal((await call(s, 'POST', '/nacos/v1/console/namespaces', { customNamespaceId: 'bad id', namespaceName: 'x' })).body, 'false');
      assert.equal((await call(s, 'PUT', '/nacos/v1/console/namespaces', { namespace: 'dev', namespaceShowName: 'Dev2', namespaceDesc: 'd2' })).body, 'true');
      await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'in.dev', group: 'G', content: 'x', tenant: 'dev' });
      await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'in.dev', group: 'G', content: 'y', tenant: 'dev' });
      const v2 = JSON.parse((await call(s, 'POST', '/nacos/v2/console/namespace', { namespaceId: 'test', namespaceName: 'Test' })).body);
      assert.deepEqual(v2, { code: 0, message: 'success', data: true });
      const dup = JSON.parse((await call(s, 'POST', '/nacos/v2/console/namespace', { namespaceId: 'test', namespaceName: 'Test' })).body);
      assert.equal(dup.code, 22000);
      assert.equal((await call(s, 'DELETE', '/nacos/v1/console/namespaces?namespaceId=test')).body, 'true');
      await s.stop();
      s = await startTestServer({ dataDir });
      const list = JSON.parse((await call(s, 'GET', '/nacos/v1/console/namespaces')).body);
      assert.equal(list.code, 200);
      assert.deepEqual(list.data, [
        { namespace: '', namespaceShowName: 'public', namespaceDesc: 'Default Namespace', quota: 200, configCount: 0, type: 0 },
        { namespace: 'dev', namespaceShowName: 'Dev2', namespaceDesc: 'd2', quota: 200, configCount: 1, type: 2 },
      ]);
      const one = JSON.parse((await call(s, 'GET', '/nacos/v1/console/namespaces?show=all&namespaceId=dev')).body);
      assert.equal(one.namespaceShowName, 'Dev2');
      assert.equal((await call(s, 'GET', '/nacos/v1/cs/configs?dataId=in.dev&group=G&tenant=dev')).body, 'y');
      const hist = JSON.parse((await call(s, 'GET', '/nacos/v1/cs/history?search=accurate&dataId=in.dev&group=G&tenant=dev')).body);
      assert.equal(hist.totalCount, 2);
      await call(s, 'POST', '/nacos/v1/cs/configs', { dataId: 'in.dev', group: 'G', content: 'z', tenant: 'dev' });
      const hist2 = JSON.parse((await call(s, 'GET', '/nacos/v1/cs/history?search=accurate&dataId=in.dev&group=G&tenant=dev')).body);
      assert.equal(Number(hist2.pageItems[0].id), Number(hist.pageItems[0].id) + 1, 'history ids continue after restart');
    } finally {
      await s.destroy();
    }
  });
});

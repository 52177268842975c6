import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningNacos } from '../../src/nacos/personality.js';
import { startTestServer } from '../helpers/junction.js';

test('each server builds its own Nacos services once, and its routes use exactly those', async () => {
  const [a, b] = await Promise.all([startTestServer({ enabled: ['nacos'] }), startTestServer({ enabled: ['nacos'] })]);
  const nacosOf = (s: typeof a) => s.junction.personality('nacos') as RunningNacos;
  try {
    // A 1.x client polling with udpPort becomes a subscriber of the runtime that server was given.
    const list = await fetch(`${a.nacos}/nacos/v1/ns/instance/list?serviceName=s&udpPort=41000&clientIP=127.0.0.1`);
    assert.equal(list.status, 200);
    await list.arrayBuffer();
    assert.equal(nacosOf(a).services.naming.subscriberCount(), 1);
    assert.equal(nacosOf(b).services.naming.subscriberCount(), 0, 'the other server has its own runtime');
    // Config routes publish through the server's own store and ConfigService.
    const put = await fetch(`${b.nacos}/nacos/v1/cs/configs?dataId=d&group=g&content=x`, { method: 'POST' });
    assert.equal(await put.text(), 'true');
    assert.equal(nacosOf(b).services.configs.currentMd5('', 'g', 'd'), '9dd4e461268c8034f5c8564e155c67a6');
    assert.equal(nacosOf(a).services.configs.currentMd5('', 'g', 'd'), '');
    assert.equal(nacosOf(b).services.ctx.store, nacosOf(b).store);
  } finally {
    await Promise.all([a.destroy(), b.destroy()]);
  }
});

import assert from 'node:assert/strict';
import { nacosStore } from '../helpers/nacos-store.js';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer, tempDir } from '../helpers/junction.js';

type Host = { ip: string; port: number; healthy: boolean };

async function detail(base: string, q: string): Promise<{ status: number; healthy?: boolean }> {
  const r = await fetch(`${base}/nacos/v1/ns/instance?${q}`);
  return r.status === 200 ? { status: 200, healthy: ((await r.json()) as { healthy: boolean }).healthy } : { status: r.status };
}

test('ephemeral instance: unhealthy after 15 s without beats, removed after 30 s; a beat revives it', async () => {
  const clock = new ManualClock();
  const s = await startTestServer({ clock });
  try {
    const reg = (ip: string, extra = '') => fetch(`${s.nacos}/nacos/v1/ns/instance?serviceName=hb&ip=${ip}&port=1${extra}`, { method: 'POST' });
    await reg('10.0.0.1');
    await reg('10.0.0.2');
    const beat = (ip: string) => fetch(`${s.nacos}/nacos/v1/ns/instance/beat?serviceName=hb&ip=${ip}&port=1`, { method: 'PUT' });
    clock.advance(14_000);
    assert.equal((await detail(s.nacos, 'serviceName=hb&ip=10.0.0.1&port=1')).healthy, true);
    await beat('10.0.0.2');
    clock.advance(2_000); // 16 s since the last beat of .1
    assert.equal((await detail(s.nacos, 'serviceName=hb&ip=10.0.0.1&port=1')).healthy, false);
    assert.equal((await detail(s.nacos, 'serviceName=hb&ip=10.0.0.2&port=1')).healthy, true);
    const list = await (await fetch(`${s.nacos}/nacos/v1/ns/instance/list?serviceName=hb&healthyOnly=true`)).json() as { hosts: Host[] };
    assert.deepEqual(list.hosts.map((h) => h.ip), ['10.0.0.2']);
    await beat('10.0.0.2');
    clock.advance(15_000); // 31 s for .1
    assert.equal((await detail(s.nacos, 'serviceName=hb&ip=10.0.0.1&port=1')).status, 404);
    await beat('10.0.0.2');
    assert.equal((await detail(s.nacos, 'serviceName=hb&ip=10.0.0.2&port=1')).healthy, true);
  } finally { await s.destroy(); }
});

test('per-instance preserved.heart.beat.timeout / preserved.ip.delete.timeout / interval are honoured', async () => {
  const clock = new ManualClock();
  const s = await startTestServer({ clock });
  try {
    const meta = encodeURIComponent(JSON.stringify({ 'preserved.heart.beat.timeout': '3000', 'preserved.ip.delete.timeout': '6000', 'preserved.heart.beat.interval': '1000' }));
    await fetch(`${s.nacos}/nacos/v1/ns/instance?serviceName=fast&ip=10.0.0.3&port=1&metadata=${meta}`, { method: 'POST' });
    const b = await (await fetch(`${s.nacos}/nacos/v1/ns/instance/beat?serviceName=fast&ip=10.0.0.3&port=1`, { method: 'PUT' })).json() as { clientBeatInterval: number };
    assert.equal(b.clientBeatInterval, 1000);
    const list = await (await fetch(`${s.nacos}/nacos/v1/ns/instance/list?serviceName=fast`)).json() as { hosts: Record<string, number>[] };
    assert.deepEqual([list.hosts[0]!.instanceHeartBeatInterval, list.hosts[0]!.instanceHeartBeatTimeOut, list.hosts[0]!.ipDeleteTimeout], [1000, 3000, 6000]);
    clock.advance(2_500);
    assert.equal((await detail(s.nacos, 'serviceName=fast&ip=10.0.0.3&port=1')).healthy, true);
    clock.advance(1_500);
    assert.equal((await detail(s.nacos, 'serviceName=fast&ip=10.0.0.3&port=1')).healthy, false);
    clock.advance(3_000);
    assert.equal((await detail(s.nacos, 'serviceName=fast&ip=10.0.0.3&port=1')).status, 404);
  } finally { await s.destroy(); }
});

test('persistent instances and explicit services survive a restart; ephemeral ones do not', async () => {
  const dataDir = tempDir();
  let s = await startTestServer({ dataDir });
  await fetch(`${s.nacos}/nacos/v1/ns/instance?serviceName=db&ip=127.0.0.4&port=5432&ephemeral=false&metadata=role%3Dprimary`, { method: 'POST' });
  await fetch(`${s.nacos}/nacos/v1/ns/instance?serviceName=web&ip=10.0.0.5&port=80`, { method: 'POST' });
  await fetch(`${s.nacos}/nacos/v1/ns/service?serviceName=kept&protectThreshold=0.3`, { method: 'POST' });
  await s.stop();
  s = await startTestServer({ dataDir });
  try {
    const db = await (await fetch(`${s.nacos}/nacos/v1/ns/instance/list?serviceName=db`)).json() as { hosts: (Host & { ephemeral: boolean; metadata: object })[] };
    assert.equal(db.hosts.length, 1);
    assert.deepEqual([db.hosts[0]!.ip, db.hosts[0]!.ephemeral, db.hosts[0]!.metadata], ['127.0.0.4', false, { role: 'primary' }]);
    const web = await (await fetch(`${s.nacos}/nacos/v1/ns/instance/list?serviceName=web`)).json() as { hosts: Host[] };
    assert.equal(web.hosts.length, 0);
    const kept = await (await fetch(`${s.nacos}/nacos/v1/ns/service?serviceName=kept`)).json() as { protectThreshold: number };
    assert.equal(kept.protectThreshold, 0.3);
    // and survives a snapshot too
    await nacosStore(s.junction).snapshot();
    await s.stop();
    s = await startTestServer({ dataDir });
    const again = await (await fetch(`${s.nacos}/nacos/v1/ns/instance/list?serviceName=db`)).json() as { hosts: Host[] };
    assert.equal(again.hosts.length, 1);
  } finally { await s.destroy(); }
});

test('persistent instances are TCP health checked: unhealthy after 3 failed checks, healthy again after 3 good ones', async () => {
  const clock = new ManualClock();
  const s = await startTestServer({ clock });
  const target = createServer((c) => c.destroy());
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const port = (target.address() as { port: number }).port;
  const q = `serviceName=tcp&ip=127.0.0.1&port=${port}&ephemeral=false`;
  const rounds = async (n: number) => {
    for (let i = 0; i < n; i++) { clock.advance(5_000); await new Promise((r) => setTimeout(r, 100)); }
  };
  try {
    await fetch(`${s.nacos}/nacos/v1/ns/instance?${q}`, { method: 'POST' });
    await rounds(3);
    assert.equal((await detail(s.nacos, q)).healthy, true);
    await new Promise((r) => target.close(r));
    await rounds(2);
    assert.equal((await detail(s.nacos, q)).healthy, true, 'two failures are not enough');
    await rounds(1);
    assert.equal((await detail(s.nacos, q)).healthy, false);
    await new Promise<void>((r) => target.listen(port, '127.0.0.1', r));
    await rounds(3);
    assert.equal((await detail(s.nacos, q)).healthy, true);
  } finally {
    target.close();
    await s.destroy();
  }
});

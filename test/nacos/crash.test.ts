// Crash test (issue: "a child server under concurrent config publishes and registrations is
// kill -9ed; after restart every acknowledged write is present").
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { killHard, startChildServer } from '../helpers/child-server.js';
import { tempDir } from '../helpers/junction.js';

const WORKERS = 24;

interface Acked { configs: Map<string, string>; instances: Set<string> }

async function writeUntilStopped(base: string, worker: number, acked: Acked, stop: { now: boolean }): Promise<void> {
  for (let i = 0; !stop.now; i++) {
    try {
      if (i % 2 === 0) {
        const dataId = `crash-${worker}-${i}`;
        const content = `content ${worker}/${i} ${'x'.repeat(i % 50)}`;
        const res = await fetch(`${base}/nacos/v1/cs/configs`, {
          method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ dataId, group: 'CRASH', content }),
        });
        if (res.status === 200 && (await res.text()) === 'true') acked.configs.set(dataId, content);
      } else {
        const ip = `127.${worker + 1}.${(i >> 8) & 255}.${i & 255}`; // loopback: persistent instances get TCP health checks
        const res = await fetch(`${base}/nacos/v1/ns/instance?serviceName=crash-svc&ip=${ip}&port=9000&ephemeral=false`, { method: 'POST' });
        if (res.status === 200 && (await res.text()) === 'ok') acked.instances.add(ip);
      }
    } catch {
      return; // the server died under us: whatever was not acknowledged may be lost
    }
  }
}

for (const fsync of ['batch', 'always']) {
  test(`kill -9 under concurrent writes loses no acknowledged write (fsync=${fsync})`, { timeout: 60_000 }, async () => {
    const dataDir = tempDir('junction-crash-');
    try {
      const first = await startChildServer(['--data-dir', dataDir, '--fsync', fsync]);
      const acked: Acked = { configs: new Map(), instances: new Set() };
      const stop = { now: false };
      const writers = Array.from({ length: WORKERS }, (_, w) => writeUntilStopped(first.nacos, w, acked, stop));
      await new Promise((r) => setTimeout(r, 1500));
      await killHard(first); // mid-stream: requests are in flight
      stop.now = true;
      await Promise.all(writers);
      assert.ok(acked.configs.size > 50, `expected many acknowledged publishes, got ${acked.configs.size}`);
      assert.ok(acked.instances.size > 50, `expected many acknowledged registrations, got ${acked.instances.size}`);

      const second = await startChildServer(['--data-dir', dataDir, '--fsync', fsync]);
      try {
        for (const [dataId, content] of acked.configs) {
          const res = await fetch(`${second.nacos}/nacos/v1/cs/configs?dataId=${dataId}&group=CRASH`);
          assert.equal(res.status, 200, `config ${dataId} lost after kill -9`);
          assert.equal(await res.text(), content);
        }
        const list = await (await fetch(`${second.nacos}/nacos/v1/ns/instance/list?serviceName=crash-svc`)).json() as { hosts: { ip: string }[] };
        const present = new Set(list.hosts.map((h) => h.ip));
        const lost = [...acked.instances].filter((ip) => !present.has(ip));
        assert.deepEqual(lost, [], `${lost.length} acknowledged persistent instances lost`);
      } finally {
        await killHard(second);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

// Durability (issue §3): kill -9 a child server under concurrent kazoo writes; after a restart
// every acknowledged create is present, the zxid continues, and the live session reconnects
// with its ephemeral node intact.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { killHard, startChildServer } from '../helpers/child-server.js';
import { tempDir } from '../helpers/junction.js';
import { runPython } from '../helpers/python.js';

const PY = fileURLToPath(new URL('../../../test/zk/py/', import.meta.url));

for (const fsync of ['batch', 'always']) {
  test(`zk: kill -9 under concurrent creates loses no acknowledged write (fsync=${fsync})`, { timeout: 90_000 }, async () => {
    const dataDir = tempDir('junction-zk-crash-');
    try {
      const first = await startChildServer(['--data-dir', dataDir, '--fsync', fsync, '--enable', 'zk']);
      const port = first.ports.zk!;
      const hosts = `127.0.0.1:${port}`;
      const writer = spawn('/usr/bin/python3', [`${PY}crash_writer.py`, hosts, '/crash'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const acked = new Map<string, number>();
      let session = 0;
      interface Final { reconnected: boolean; same_session: boolean; lost: boolean; ephemeral_alive: boolean }
      const finals: Final[] = [];
      let stderr = '';
      writer.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const enough = new Promise<void>((resolve) => {
        createInterface({ input: writer.stdout }).on('line', (line) => {
          const msg = JSON.parse(line) as { ack?: string; i?: number; session?: number; reconnected?: boolean };
          if (msg.session !== undefined) session = msg.session;
          if (msg.ack !== undefined) acked.set(msg.ack, msg.i!);
          if (msg.reconnected !== undefined) finals.push(msg as unknown as Final);
          if (acked.size >= 400) resolve();
        });
      });
      const exited = new Promise<number | null>((resolve) => writer.on('exit', resolve));
      const early = exited.then(() => { throw new Error(`writer exited early: ${stderr}`); });
      early.catch(() => {}); // handled by the race below; later it is the normal exit
      await Promise.race([enough, early]);
      await killHard(first); // creates are in flight
      const second = await startChildServer(['--data-dir', dataDir, '--fsync', fsync, '--enable', 'zk', '--zk-port', String(port)]);
      try {
        assert.equal(await exited, 0, `writer failed: ${stderr}`);
        assert.equal(finals.length, 1, 'writer reported its reconnect');
        const f = finals[0]!;
        assert.ok(session !== 0);
        assert.equal(f.reconnected, true, 'kazoo reconnected after the restart');
        assert.equal(f.same_session, true, 'the same session id was accepted again');
        assert.equal(f.lost, false, 'the session was not reported lost');
        assert.equal(f.ephemeral_alive, true, "the session's ephemeral node survived the restart");

        const check = JSON.parse(await runPython(`${PY}crash_check.py`, [hosts, '/crash'])) as
          { children: string[]; after_czxid: number; max_czxid: number };
        const present = new Set(check.children.map((c) => `/crash/${c}`));
        const lost = [...acked.keys()].filter((p) => !present.has(p));
        assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged creates lost`);
        assert.ok(check.after_czxid > check.max_czxid, 'the zxid continues after the restart');
      } finally {
        writer.kill('SIGKILL');
        await killHard(second);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

// Session expiry with an injected clock (issue §2, §5): a client that vanishes without closing
// its session keeps it for its timeout; when the clock passes the deadline the expiry is a
// logged closeSession, its ephemeral node is deleted, another client's watch fires, and the old
// session can no longer be resumed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zookeeper from 'node-zookeeper-client';
import { ManualClock } from '../../src/core/clock.js';
import { startTestServer } from '../helpers/junction.js';
import { PYTHON, runPython } from '../helpers/python.js';

const PY = fileURLToPath(new URL('../../../test/zk/py/', import.meta.url));

test('zk: an abandoned session expires by the injected clock; its ephemeral goes and watches fire', { timeout: 60_000 }, async () => {
  const clock = new ManualClock();
  const server = await startTestServer({ clock, enabled: ['zk'], zk: { tickTime: 2000 } });
  const hosts = `127.0.0.1:${server.zkPort}`;
  const holder = spawn(PYTHON, [`${PY}hold_ephemeral.py`, hosts, '/expiry/e', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = await once(createInterface({ input: holder.stdout }), 'line') as [string];
    const held = JSON.parse(line) as { session: number; passwd: string; timeout: number };
    assert.equal(held.timeout, 4000, 'timeout negotiated to 2 × tickTime');
    holder.kill('SIGKILL'); // gone without closeSession

    // A second client, with the longest timeout (20 × tickTime), watches the ephemeral.
    const watcher = zookeeper.createClient(hosts, { sessionTimeout: 40_000 });
    const connected = new Promise<void>((resolve) => watcher.once('connected', resolve));
    watcher.connect();
    await connected;
    const deleted = new Promise<string>((resolve) => {
      watcher.exists('/expiry/e', (event) => resolve(`${event.getName()} ${event.getPath()}`), (err, stat) => {
        assert.equal(err, null);
        assert.ok(stat, 'the ephemeral exists while its session lives');
      });
    });

    clock.advance(2000); // within the timeout: still alive
    await new Promise((r) => setTimeout(r, 100));
    const alive = await new Promise<boolean>((resolve) => watcher.exists('/expiry/e', undefined, (_e, s) => resolve(s !== null)));
    assert.equal(alive, true, 'not expired before its timeout');

    clock.advance(4000); // past timeout rounded up to the next tick
    assert.equal(await deleted, 'NODE_DELETED /expiry/e');
    watcher.close();

    // The server answers the resume with timeOut 0 / session 0; kazoo then starts a new session.
    const resumed = JSON.parse(await runPython(`${PY}reconnect_session.py`, [hosts, String(held.session), held.passwd])) as
      { connected: boolean; session_kept: boolean };
    assert.equal(resumed.session_kept, false, `an expired session cannot be resumed (${JSON.stringify(resumed)})`);
  } finally {
    holder.kill('SIGKILL');
    await server.destroy();
  }
});

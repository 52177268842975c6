import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { PYTHON } from '../../helpers/python.js';
import { startRabbitMq, type RabbitMqServer } from '../../helpers/rabbitmq-server.js';
import { DELIBERATE_KEY_DIFFERENCES } from '../management/shape-differences.js';
import { keysOf, SHAPE_ROUTES, SHAPE_WRITES } from '../management/shapes.js';
import { LIVE_KEY_DIFFERENCES } from './live-differences.js';

interface Side { api: string; auth: string; consumer?: ChildProcess }

/** A pika consumer holding one unacked message on q1, as the phase-1 shape test runs it. */
function consume(port: number, user: string, password: string): Promise<ChildProcess> {
  const child = spawn(PYTHON, ['-c', [
    'import pika',
    `c = pika.BlockingConnection(pika.ConnectionParameters('127.0.0.1', ${port}, '/', pika.PlainCredentials(${JSON.stringify(user)}, ${JSON.stringify(password)})))`,
    "ch = c.channel(); ch.basic_qos(prefetch_count=5); ch.confirm_delivery(); ch.basic_publish('', 'q1', b'x')",
    "ch.basic_consume('q1', lambda *a: None, consumer_tag='ctag-1')", "print('ready', flush=True)", 'ch.start_consuming()',
  ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', () => resolve(child)));
}

/**
 * The phase-1 shape differential, now against Junction's real routes over the running broker
 * (--auth on) next to the real RabbitMQ 3.10.8: the same writes and the same pika consumer on
 * both, then every route's recursive key set must match except the deliberate differences of
 * phase 1 and those written down in live-differences.ts.
 */
describe('management API shapes over the real broker vs RabbitMQ 3.10.8', { timeout: 180_000 }, () => {
  let rabbit: RabbitMqServer;
  let junction: TestServer;
  const sides: Side[] = [];
  before(async () => {
    [rabbit, junction] = await Promise.all([startRabbitMq(), startTestServer({ auth: true, enabled: ['amqp'] })]);
    const password = readFileSync(join(junction.dataDir, 'auth', 'initial-admin-password'), 'utf8').trim();
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    sides.push({ api: rabbit.managementUrl, auth: basic('guest', 'guest') },
      { api: `http://127.0.0.1:${junction.ports.amqpManagement}`, auth: basic('nacos', password) });
    for (const [method, url, body] of SHAPE_WRITES) {
      const statuses = [];
      for (const side of sides) {
        const res = await fetch(`${side.api}${url}`, { method, body: JSON.stringify(body), headers: { authorization: side.auth, 'content-type': 'application/json' } });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      assert.equal(statuses[1], statuses[0], `${method} ${url}`);
    }
    sides[0]!.consumer = await consume(rabbit.amqpPort, 'guest', 'guest');
    sides[1]!.consumer = await consume(junction.ports.amqp!, 'nacos', password);
    await new Promise((r) => setTimeout(r, 6000)); // RabbitMQ's stats DB samples every 5 s
  });
  after(async () => {
    for (const s of sides) s.consumer?.kill('SIGKILL');
    await Promise.all([rabbit?.stop(), junction?.destroy()]);
  });

  it('answers the same keys on every route, except the written-down differences', async () => {
    const problems: string[] = [];
    for (const route of SHAPE_ROUTES) {
      const [real, mine] = await Promise.all(sides.map((s) => fetch(`${s.api}${route}`, { headers: { authorization: s.auth } })));
      if (real!.status !== mine!.status) problems.push(`${route}: status ${mine!.status}, RabbitMQ ${real!.status}`);
      const realKeys = new Set(keysOf(await real!.json()));
      const myKeys = new Set(keysOf(await mine!.json()));
      const phase1 = DELIBERATE_KEY_DIFFERENCES[route] ?? { missing: [], extra: [] };
      const live = LIVE_KEY_DIFFERENCES[route] ?? { missing: [], extra: [] };
      const allowedMissing = [...phase1.missing, ...live.missing].sort();
      const allowedExtra = [...phase1.extra, ...live.extra].sort();
      const missing = [...realKeys].filter((k) => !myKeys.has(k)).sort();
      const extra = [...myKeys].filter((k) => !realKeys.has(k)).sort();
      if (JSON.stringify(missing) !== JSON.stringify(allowedMissing)) problems.push(`${route}: missing ${JSON.stringify(missing)}`);
      if (JSON.stringify(extra) !== JSON.stringify(allowedExtra)) problems.push(`${route}: extra ${JSON.stringify(extra)}`);
    }
    assert.deepEqual(problems, []);
  });
});

// The personality contract: a personality that only exists in this test — its own folder's worth
// of code plus one registry entry — shows up in the start usage, the config loader, /api/status,
// the admin port and /metrics, with its data under data/<name>, without edits anywhere else.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/core/config.js';
import type { Personality } from '../../src/core/personality.js';
import { defineSettings } from '../../src/core/settings/group.js';
import { port, text } from '../../src/core/settings/spec.js';
import type { StateMachine } from '../../src/core/state/state-machine.js';
import { startUsage } from '../../src/cli/commands/start-usage.js';
import { PERSONALITIES } from '../../src/personalities.js';
import { startTestServer } from '../helpers/junction.js';

interface EchoSettings { port: number; greeting: string }
interface Said { type: 'said'; text: string }
const counter: StateMachine<{ said: number }, Said> = {
  initial: () => ({ said: 0 }),
  apply: (s) => ++s.said,
  snapshot: (s) => s,
  restore: (image) => image as { said: number },
};

/** A whole personality: greets each TCP client, counts greetings in its command store and keeps
 *  what it said byte for byte in a raw log (as Kafka keeps record batches). */
const echo: Personality<EchoSettings> = {
  name: 'echo',
  title: 'Echo 1.0',
  settings: defineSettings<EchoSettings>({
    section: 'echo', title: 'Echo 1.0',
    specs: {
      port: port(7777, 'echo port'),
      greeting: text({ default: 'hello', help: 'what the echo server says first' }),
    },
  }),
  async open(ctx) {
    const store = await ctx.storage.commandStore(counter);
    const said = await ctx.storage.rawLog('said');
    const greetings = ctx.metrics.counter('greetings_total', 'Greetings sent');
    const server = createServer((socket) => {
      const text = ctx.settings.greeting;
      void Promise.all([store.submit({ type: 'said', text }), said.append(Buffer.from(text))]).then(() => {
        greetings.inc();
        socket.end(`${ctx.settings.greeting}\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(ctx.settings.port, ctx.bind, resolve));
    const bound = (server.address() as { port: number }).port;
    return {
      ports: () => ({ echo: bound }),
      status: () => ({ greetings: store.state.said, bytesKept: said.sizeBytes }),
      adminRoutes: (app) => { app.get('/echo/greeting', async () => ({ greeting: ctx.settings.greeting })); },
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([store.close(), said.close()]);
      },
    };
  },
};

const REGISTRY = [...PERSONALITIES, echo] as readonly Personality[];

test('its settings are composed: flags, env, usage and --enable take it from the registry', () => {
  const c = loadConfig(REGISTRY, { 'echo-greeting': 'hi', enable: 'echo' }, { JUNCTION_ECHO_PORT: '7001' });
  assert.deepEqual(c.personalities.echo, { port: 7001, greeting: 'hi' });
  assert.deepEqual(c.enabled, ['echo']);
  assert.deepEqual(loadConfig(REGISTRY, {}, {}).enabled, [...PERSONALITIES.map((p) => p.name), 'echo']);
  const usage = startUsage(REGISTRY);
  assert.match(usage, /^Echo 1\.0:$/m);
  assert.match(usage, /--echo-greeting TEXT\s+what the echo server says first \(default hello\)/);
  assert.match(usage, /--enable LIST\s+personalities to run \(comma list\) \(default nacos,zk,kafka,amqp,echo\)/);
});

test('it runs beside the others: status, admin routes, metrics, storage under data/echo', async () => {
  const server = await startTestServer({ registry: REGISTRY, auth: false, settings: { echo: { greeting: 'bonjour' } } });
  try {
    const echoPort = server.ports.echo!;
    const said = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = connect(echoPort, '127.0.0.1');
      socket.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString())).on('error', reject);
    });
    assert.equal(said, 'bonjour\n');

    const status = await (await fetch(`${server.admin}/api/status`)).json() as { enabled: string[]; ports: Record<string, number>; counts: Record<string, unknown> };
    assert.deepEqual(status.enabled, [...PERSONALITIES.map((p) => p.name), 'echo']);
    assert.equal(status.ports.echo, echoPort);
    assert.deepEqual(status.counts.echo, { greetings: 1, bytesKept: 20 + 'bonjour'.length });
    assert.ok(status.counts.zk && status.counts.nacos, 'the real personalities are still there');

    assert.deepEqual(await (await fetch(`${server.admin}/echo/greeting`)).json(), { greeting: 'bonjour' });
    assert.match(await (await fetch(`${server.admin}/metrics`)).text(), /^junction_echo_greetings_total 1$/m);
    assert.ok(existsSync(join(server.dataDir, 'echo', 'log')), 'its command store lives in data/echo');
    assert.ok(existsSync(join(server.dataDir, 'echo', 'said', 'log')), 'its raw log lives in data/echo/said');
  } finally {
    await server.destroy();
  }
});

test('its admin routes sit behind the admin credential when auth is on', async () => {
  const server = await startTestServer({ registry: REGISTRY, auth: true, enabled: ['echo'] });
  try {
    assert.equal((await fetch(`${server.admin}/echo/greeting`)).status, 401);
    assert.deepEqual(Object.keys(server.ports).sort(), ['admin', 'echo']);
  } finally {
    await server.destroy();
  }
});

// Memory and disk alarms (issue 10 §3) with real clients, on Junction and (JUNCTION_AMQP_TARGET=
// reference) on RabbitMQ 3.10.8, where rabbitmqctl set_vm_memory_high_watermark 0 raises the
// memory alarm at once: a connection that publishes gets connection.blocked "low on memory" and is
// not read any more; a connection that only consumes goes on; connection.unblocked when it clears.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import type { RunningAmqp } from '../../../src/amqp/personality.js';
import { IS_REFERENCE, PYTHON } from '../../helpers/amqp-target.js';
import { bodies, collect, delay, quietChannel } from '../../helpers/amqp-client.js';
import { startRabbitMq, type RabbitMqServer } from '../../helpers/rabbitmq-server.js';

const PY_DIR = fileURLToPath(new URL('../../../../test/compat/amqp/py/', import.meta.url));

/** A server whose memory alarm the test can raise and clear. */
interface AlarmTarget { port: number; memoryAlarm(on: boolean): Promise<void>; diskAlarm(on: boolean): Promise<void>; stop(): Promise<void> }

function rabbitmqctl(rabbit: RabbitMqServer, ...args: string[]): Promise<unknown> {
  return promisify(execFile)('/usr/lib/rabbitmq/bin/rabbitmqctl', args, { env: {
    PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: join(rabbit.dir, 'home'),
    RABBITMQ_NODENAME: rabbit.nodeName, ERL_EPMD_PORT: String(rabbit.epmdPort),
    RABBITMQ_CONF_ENV_FILE: join(rabbit.dir, 'rabbitmq-env.conf'),
  } });
}

async function startTarget(): Promise<AlarmTarget> {
  if (IS_REFERENCE) {
    const rabbit = await startRabbitMq();
    return {
      port: rabbit.amqpPort, stop: () => rabbit.stop(),
      // "A value of 0 makes the memory alarm go off immediately" (rabbitmqctl(8)).
      memoryAlarm: async (on) => { await rabbitmqctl(rabbit, 'set_vm_memory_high_watermark', on ? '0' : '0.4'); },
      // A limit no disk here has free: the alarm goes off at the next check.
      diskAlarm: async (on) => { await rabbitmqctl(rabbit, 'set_disk_free_limit', on ? '1000000GB' : '50MB'); },
    };
  }
  const { startTestServer } = await import('../../helpers/junction.js');
  const server = await startTestServer({ enabled: ['amqp'] });
  const running = server.junction.personality('amqp') as unknown as RunningAmqp;
  return {
    port: server.ports.amqp!, stop: () => server.destroy(),
    memoryAlarm: (on) => running.server.alarms.setLimits({ vmMemoryHighWatermark: on ? 0 : 0.4 }),
    diskAlarm: (on) => running.server.alarms.setLimits({ diskFreeLimit: on ? 1e15 : 50_000_000 }),
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

test('memory alarm: amqplib publisher gets blocked "low on memory" and is not read; a consumer connection goes on; unblocked when it clears', async () => {
  const target = await startTarget();
  try {
    const url = `amqp://guest:guest@127.0.0.1:${target.port}`;
    const publisher = await amqplib.connect(url);
    const consumer = await amqplib.connect(url);
    const events: string[] = [];
    publisher.on('blocked', (reason: string) => events.push(`blocked:${reason}`));
    publisher.on('unblocked', () => events.push('unblocked'));
    consumer.on('blocked', () => events.push('consumer blocked'));
    const pub = await quietChannel(publisher);
    const sub = await quietChannel(consumer);
    await sub.assertQueue('alarm-q', { exclusive: true });
    await target.memoryAlarm(true);
    // RabbitMQ blocks a connection on its first publish after the alarm (rabbit_reader publish_received).
    let sent = 0;
    await until('connection.blocked', () => {
      if (events.length === 0) pub.sendToQueue('alarm-q', Buffer.from(`m${sent++}`));
      return events.length > 0;
    });
    assert.deepEqual(events, ['blocked:low on memory']);
    pub.sendToQueue('alarm-q', Buffer.from('held'));
    await delay(700);
    // Nothing more is read from the publisher (the blocking publish's body waits in the socket too);
    // the connection that does not publish is served.
    assert.equal((await sub.checkQueue('alarm-q')).messageCount, 0);
    await target.memoryAlarm(false);
    await until('connection.unblocked', () => events.length === 2);
    assert.deepEqual(events, ['blocked:low on memory', 'unblocked']);
    const all = await collect(sub, 'alarm-q', sent + 1, { noAck: true });
    assert.deepEqual(bodies(all), [...Array.from({ length: sent }, (_, i) => `m${i}`), 'held']);
    await publisher.close();
    await consumer.close();
  } finally {
    await target.stop();
  }
});

test('memory alarm: pika\'s blocked-connection callbacks see connection.blocked and connection.unblocked', async () => {
  const target = await startTarget();
  try {
    await target.memoryAlarm(true);
    const py = spawn(PYTHON, [`${PY_DIR}blocked_publisher.py`, '127.0.0.1', String(target.port), 'pika-alarm-q'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    py.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => py.on('exit', resolve));
    await until('pika blocked', () => out.includes('\n'), 25_000);
    await target.memoryAlarm(false);
    assert.equal(await exited, 0);
    assert.equal(out, 'blocked: low on memory\nunblocked\n');
  } finally {
    await target.stop();
  }
});

test('disk alarm: a free-disk limit above the free space blocks publishers with "low on disk"', async () => {
  const target = await startTarget();
  try {
    const conn = await amqplib.connect(`amqp://guest:guest@127.0.0.1:${target.port}`);
    const events: string[] = [];
    conn.on('blocked', (reason: string) => events.push(`blocked:${reason}`));
    conn.on('unblocked', () => events.push('unblocked'));
    const ch = await quietChannel(conn);
    await ch.assertQueue('disk-q', { exclusive: true });
    await target.diskAlarm(true);
    let sent = 0;
    await until('connection.blocked', () => {
      if (events.length === 0) ch.sendToQueue('disk-q', Buffer.from(`d${sent++}`));
      return events.length > 0;
    });
    await target.diskAlarm(false);
    await until('connection.unblocked', () => events.length > 1);
    assert.deepEqual(events, ['blocked:low on disk', 'unblocked']);
    assert.equal((await ch.checkQueue('disk-q')).messageCount, sent);
    await conn.close();
  } finally {
    await target.stop();
  }
});

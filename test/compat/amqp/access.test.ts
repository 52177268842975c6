// Vhosts and permissions on AMQP (rabbit_reader connection.open, rabbit_channel
// check_resource_access), on Junction with --auth and on the real RabbitMQ 3.10.8 with
// JUNCTION_AMQP_TARGET=reference: the user, vhost and permissions are made through each one's
// management API, then amqplib and pika meet the refusals with RabbitMQ's exact texts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import amqplib from 'amqplib';
import { IS_REFERENCE, startAmqpTarget } from '../../helpers/amqp-target.js';
import { runPython } from '../../helpers/python.js';

const PY_DIR = fileURLToPath(new URL('../../../../test/compat/amqp/py/', import.meta.url));

interface AuthTarget { amqpPort: number; api: string; admin: string; password: string; stop(): Promise<void> }

async function startAuthTarget(): Promise<AuthTarget> {
  if (IS_REFERENCE) {
    const t = await startAmqpTarget();
    return { amqpPort: t.amqpPort, api: `${t.managementUrl}/api`, admin: 'guest', password: 'guest', stop: () => t.stop() };
  }
  const { startTestServer } = await import('../../helpers/junction.js');
  const server = await startTestServer({ auth: true, enabled: ['amqp'] });
  const password = readFileSync(join(server.dataDir, 'auth', 'initial-admin-password'), 'utf8').trim();
  return { amqpPort: server.ports.amqp!, api: `http://127.0.0.1:${server.ports.amqpManagement}/api`, admin: 'nacos', password,
    stop: () => server.destroy() };
}

describe('vhost access and resource permissions on AMQP', () => {
  let t: AuthTarget;
  const url = (user: string, password: string, vhost: string) => `amqp://${user}:${password}@127.0.0.1:${t.amqpPort}/${encodeURIComponent(vhost)}`;
  const mgmt = async (method: string, path: string, body?: unknown): Promise<number> => {
    const res = await fetch(`${t.api}/${path}`, {
      method, headers: { authorization: `Basic ${Buffer.from(`${t.admin}:${t.password}`).toString('base64')}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await res.arrayBuffer();
    return res.status;
  };
  before(async () => {
    t = await startAuthTarget();
    assert.equal(await mgmt('PUT', 'users/acc-user', { password: 'acc-pw', tags: '' }), 201);
    assert.equal(await mgmt('PUT', 'vhosts/acc-v'), 201);
    assert.equal(await mgmt('PUT', 'permissions/acc-v/acc-user', { configure: '^acc-', write: '^acc-', read: '^acc-' }), 201);
    // The admin may need a permission on the new vhost (RabbitMQ grants its creator one).
    await mgmt('PUT', `permissions/acc-v/${t.admin}`, { configure: '.*', write: '.*', read: '.*' });
    assert.equal(await mgmt('PUT', 'queues/acc-v/other-q', { durable: false }), 201);
  });
  after(async () => {
    if (IS_REFERENCE) {
      await mgmt('DELETE', 'vhosts/acc-v');
      await mgmt('DELETE', 'users/acc-user');
    }
    await t?.stop();
  });

  it('connection.open: a missing vhost is 530 "vhost X not found", one without a permission 530 "access to vhost refused"', async () => {
    // amqplib shows only that connection.close came instead of open-ok; pika shows the text.
    await assert.rejects(amqplib.connect(url('acc-user', 'acc-pw', 'no-such-vhost')), /Expected ConnectionOpenOk; got <ConnectionClose/);
    const py = async (vhost: string) => JSON.parse(await runPython(`${PY_DIR}access_refused.py`,
      ['127.0.0.1', String(t.amqpPort), 'acc-user', 'acc-pw', vhost, 'x'], 30_000)) as { open?: string };
    assert.equal((await py('no-such-vhost')).open, "ConnectionClosedByBroker: (530) 'NOT_ALLOWED - vhost no-such-vhost not found'");
    assert.equal((await py('/')).open, 'ConnectionClosedByBroker: (530) "NOT_ALLOWED - access to vhost \'/\' refused for user \'acc-user\'"');
  });

  it('the initial admin (or guest) works right away on the default vhost', async () => {
    const conn = await amqplib.connect(url(t.admin, t.password, '/'));
    const ch = await conn.createChannel();
    await ch.assertQueue('acc-admin-q', { durable: false });
    await ch.deleteQueue('acc-admin-q');
    await conn.close();
  });

  it('configure/write/read are checked per operation with RabbitMQ\'s 403 texts (amqplib)', async () => {
    const conn = await amqplib.connect(url('acc-user', 'acc-pw', 'acc-v'));
    try {
      const refused = (what: string) => new RegExp(`ACCESS_REFUSED - access to ${what} in vhost 'acc-v' refused for user 'acc-user'`);
      // A refused operation closes its channel (403 is a channel error): each check gets a fresh one.
      const fresh = async () => { const c = await conn.createChannel(); c.on('error', () => undefined); return c; };
      let ch = await fresh();
      await assert.rejects(ch.assertQueue('other-new', { durable: false }), refused("queue 'other-new'"));
      ch = await fresh();
      await ch.assertQueue('acc-q', { durable: false });
      await ch.assertExchange('acc-x', 'fanout', { durable: false });
      await ch.bindQueue('acc-q', 'acc-x', '');
      await assert.rejects(ch.bindQueue('acc-q', 'amq.direct', 'k'), refused("exchange 'amq.direct'"));
      ch = await fresh();
      await assert.rejects(ch.consume('other-q', () => undefined), refused("queue 'other-q'"));
      ch = await fresh();
      await assert.rejects(ch.get('other-q'), refused("queue 'other-q'"));
      ch = await fresh();
      await assert.rejects(ch.purgeQueue('other-q'), refused("queue 'other-q'"));
      ch = await fresh();
      await assert.rejects(ch.deleteQueue('other-q'), refused("queue 'other-q'"));
      ch = await conn.createChannel();
      const closed = new Promise<Error>((resolve) => ch.on('error', resolve));
      ch.sendToQueue('acc-q', Buffer.from('via the default exchange'));
      assert.match((await closed).message, refused("exchange 'amq.default'"));
      ch = await fresh();
      ch.publish('acc-x', '', Buffer.from('allowed'));
      await ch.assertQueue('acc-q', { durable: false });
      const got = await ch.get('acc-q', { noAck: true });
      assert.equal(got && got.content.toString(), 'allowed');
      await ch.deleteQueue('acc-q');
      await ch.deleteExchange('acc-x');
    } finally {
      await conn.close();
    }
  });

  it('pika meets the same refusal of a queue.declare', async () => {
    const declared = JSON.parse(await runPython(`${PY_DIR}access_refused.py`, ['127.0.0.1', String(t.amqpPort), 'acc-user', 'acc-pw', 'acc-v', 'other-2'], 30_000));
    assert.deepEqual(declared.declare, [403, "ACCESS_REFUSED - access to queue 'other-2' in vhost 'acc-v' refused for user 'acc-user'"]);
  });
});

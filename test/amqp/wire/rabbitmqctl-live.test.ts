import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import amqplib from 'amqplib';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { runCli } from '../../cli/run-cli.js';
import { curl, eventually } from './curl.js';

/** `junction rabbitmqctl` and curl against a running Junction with --auth, over objects made by
 *  amqplib: the initial admin works on AMQP and the management API right after the first start. */
describe('rabbitmqctl and the management API with --auth over real AMQP objects', () => {
  let server: TestServer;
  let env: Record<string, string>;
  let password: string;
  let api: string;
  let conn: amqplib.ChannelModel;
  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['amqp'] });
    password = readFileSync(join(server.dataDir, 'auth', 'initial-admin-password'), 'utf8').trim();
    api = `http://127.0.0.1:${server.ports.amqpManagement}/api`;
    env = { JUNCTION_MGMT: `http://127.0.0.1:${server.ports.amqpManagement}`, JUNCTION_USERNAME: 'nacos', JUNCTION_PASSWORD: password };
    // The course's URL form with the initial admin: amqp://ADMIN:PASSWORD@127.0.0.1:PORT/%2F
    conn = await amqplib.connect(`amqp://nacos:${encodeURIComponent(password)}@127.0.0.1:${server.ports.amqp}/%2F`);
    const ch = await conn.createChannel();
    await ch.assertQueue('ctl.jobs', { durable: true });
    await ch.assertExchange('ctl.x', 'topic', { durable: true });
    await ch.bindQueue('ctl.jobs', 'ctl.x', 'job.*');
    for (let i = 0; i < 4; i++) ch.publish('ctl.x', 'job.a', Buffer.from(`j${i}`));
    await ch.prefetch(1);
    await ch.consume('ctl.jobs', () => undefined, { consumerTag: 'ctl-worker' });
  });
  after(async () => {
    await conn?.close().catch(() => undefined);
    await server?.destroy();
  });
  const ctl = (...args: string[]) => runCli(['rabbitmqctl', ...args], { env });

  it('the management API: 401 without credentials, whoami for the initial admin', async () => {
    const none = await curl('GET', `${api}/overview`);
    assert.deepEqual([none.status, none.json], [401, { error: 'not_authorized', reason: 'Login failed' }]);
    const wrong = await curl('GET', `${api}/overview`, { user: 'nacos:wrong' });
    assert.equal(wrong.status, 401);
    const me = await curl('GET', `${api}/whoami`, { user: `nacos:${password}` });
    assert.deepEqual([me.status, (me.json as { name: string; tags: string[] }).tags], [200, ['administrator']]);
  });

  it('list_queues shows the counts amqplib produced', async () => {
    await eventually(async () => {
      const out = await ctl('-q', 'list_queues', 'name', 'messages', 'messages_ready', 'messages_unacknowledged', 'consumers');
      assert.equal(out.stdout, 'name\tmessages\tmessages_ready\tmessages_unacknowledged\tconsumers\nctl.jobs\t4\t3\t1\t1\n');
    });
  });

  it('list_connections, list_consumers and list_bindings show the live objects', async () => {
    const conns = await ctl('-q', 'list_connections', 'user', 'vhost', 'channels', 'state');
    assert.equal(conns.stdout, 'user\tvhost\tchannels\tstate\nnacos\t/\t1\trunning\n');
    const consumers = await ctl('-q', 'list_consumers', 'queue_name', 'consumer_tag', 'ack_required', 'prefetch_count');
    assert.equal(consumers.stdout, 'queue_name\tconsumer_tag\tack_required\tprefetch_count\nctl.jobs\tctl-worker\ttrue\t1\n');
    const bindings = await ctl('-q', 'list_bindings', 'source_name', 'destination_name', 'routing_key');
    assert.equal(bindings.stdout, 'source_name\tdestination_name\trouting_key\n\tctl.jobs\tctl.jobs\nctl.x\tctl.jobs\tjob.*\n');
  });

  it('purge_queue drops the ready messages and delete_queue removes the queue (amqplib sees both)', async () => {
    const purged = await ctl('purge_queue', 'ctl.jobs');
    assert.equal(purged.code, 0);
    const probe = await conn.createChannel();
    assert.equal((await probe.checkQueue('ctl.jobs')).messageCount, 0);
    const deleted = await ctl('delete_queue', 'ctl.jobs');
    assert.equal(deleted.code, 0);
    assert.match(deleted.stdout, /Queue was successfully deleted/);
    const gone = await conn.createChannel();
    gone.on('error', () => undefined);
    await assert.rejects(gone.checkQueue('ctl.jobs'), /NOT_FOUND - no queue 'ctl.jobs' in vhost '\/'/);
    // No queue left: -q prints nothing, not even the header (as the real rabbitmqctl with no rows).
    assert.equal((await ctl('-q', 'list_queues')).stdout, '');
  });
});

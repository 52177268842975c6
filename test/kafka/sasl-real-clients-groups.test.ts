// Group and admin permissions with unchanged clients against a Junction started with --auth, users
// and grants made over the Nacos auth API: a kafkajs consumer with READ on the topic but not on its
// group is refused with GROUP_AUTHORIZATION_FAILED and consumes once the group is granted; kcat -G
// (librdkafka's balanced consumer) consumes with SASL and rights; a kafkajs admin without ALTER is
// refused createPartitions.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { RunningKafka } from '../../src/kafka/personality.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { nacosAuthAdmin } from '../helpers/nacos-auth-admin.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../test/kafka/clients/kafkajs-sasl-group.mjs', import.meta.url));
const TIMEOUT = { timeout: 120_000 };

interface Outcome { ok?: boolean; values?: string[]; error?: string; type?: string | null; message?: string; causes?: string[] }

describe('kafka group and admin permissions with real clients (--auth, granted over the Nacos API)', () => {
  let server: TestServer;
  let bootstrap: string;
  let grant: (role: string, resource: string, action: string) => Promise<void>;

  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['nacos', 'kafka'] });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
    const post = await nacosAuthAdmin(server);
    grant = async (role, resource, action) => { await post('/permissions', { role, resource, action }); };
    for (const [user, role] of [['bob', 'orders-reader'], ['carol', 'kcat-reader']]) {
      await post('/users', { username: user!, password: `${user}-secret` });
      await post('/roles', { role: role!, username: user! });
      await grant(role!, 'kafka:topic:orders-*', 'r');
    }
    await post('/users', { username: 'alice', password: 'alice-secret' });
    await post('/roles', { role: 'orders-writer', username: 'alice' });
    await grant('orders-writer', 'kafka:topic:orders-*', 'w');
    await (server.junction.personality('kafka') as RunningKafka).topics.create('orders-eu', 2, {});
    for (const [partition, values] of [['0', 'one\nthree\n'], ['1', 'two\n']] as const) {
      // Idempotent: InitProducerId is allowed by WRITE on a topic, without IDEMPOTENT_WRITE on the cluster (KIP-679).
      const producer = run('kcat', ['-P', '-t', 'orders-eu', '-p', partition, '-X', 'enable.idempotence=true', ...kcatSasl('alice')], { timeout: 30_000 });
      producer.child.stdin!.end(values);
      await producer;
    }
  });
  after(async () => { await server?.destroy(); });

  const kcatSasl = (user: string): string[] => ['-b', bootstrap, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN',
    '-X', `sasl.username=${user}`, '-X', `sasl.password=${user}-secret`];

  const kafkajs = async (user: string, ...args: string[]): Promise<Outcome> => {
    const { stdout } = await run('node', [script, bootstrap, user, `${user}-secret`, ...args], { timeout: 60_000 });
    return JSON.parse(stdout) as Outcome;
  };

  it('kafkajs: without READ on the group it is refused (FindCoordinator, then JoinGroup); with it, it consumes', TIMEOUT, async () => {
    const refused = await kafkajs('bob', 'consume', 'orders-eu', 'billing', '3');
    // kafkajs reports a refused FindCoordinator as "Failed to find group coordinator" (it does so
    // against Kafka too); the broker's GROUP_AUTHORIZATION_FAILED is in its debug log.
    assert.deepEqual([refused.error, refused.causes], [
      'KafkaJSGroupCoordinatorNotFound', ['Tried to find group coordinator: GROUP_AUTHORIZATION_FAILED']], JSON.stringify(refused));
    // w on the group grants DESCRIBE (FindCoordinator) but not READ: JoinGroup is refused, and
    // kafkajs reports that one as such.
    await grant('orders-reader', 'kafka:group:billing', 'w');
    const joinRefused = await kafkajs('bob', 'consume', 'orders-eu', 'billing', '3');
    assert.deepEqual([joinRefused.error, joinRefused.type], ['KafkaJSProtocolError', 'GROUP_AUTHORIZATION_FAILED'], JSON.stringify(joinRefused));
    await grant('orders-reader', 'kafka:group:billing', 'rw');
    const consumed = await kafkajs('bob', 'consume', 'orders-eu', 'billing', '3');
    assert.deepEqual(consumed.values?.sort(), ['one', 'three', 'two'], JSON.stringify(consumed));
  });

  it('kcat -G (balanced consumer) with SASL and READ on topic and group consumes everything', TIMEOUT, async () => {
    await grant('kcat-reader', 'kafka:group:kcat-*', 'r');
    const { stdout } = await run('kcat', ['-G', 'kcat-1', ...kcatSasl('carol'), '-o', 'beginning', '-e', '-f', '%s\\n', 'orders-eu'], { timeout: 60_000 });
    assert.deepEqual(stdout.trim().split('\n').sort(), ['one', 'three', 'two']);
  });

  it('kafkajs admin: createPartitions without ALTER is TOPIC_AUTHORIZATION_FAILED; with w on the topic it grows', TIMEOUT, async () => {
    const refused = await kafkajs('bob', 'create-partitions', 'orders-eu', '3');
    assert.equal(refused.type, 'TOPIC_AUTHORIZATION_FAILED', JSON.stringify(refused));
    const kafka = server.junction.personality('kafka') as RunningKafka;
    assert.equal(kafka.topics.topic('orders-eu')!.partitions, 2);
    await grant('orders-reader', 'kafka:topic:orders-eu', 'w');
    assert.deepEqual(await kafkajs('bob', 'create-partitions', 'orders-eu', '3'), { ok: true });
    assert.equal(kafka.topics.topic('orders-eu')!.partitions, 3);
  });
});

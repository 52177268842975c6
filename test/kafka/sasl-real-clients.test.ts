// SASL PLAIN and SCRAM against a Junction started with --auth, driven by unchanged clients: kafkajs
// (SaslHandshake v1 + SaslAuthenticate v1), kcat/librdkafka 2.0.2 (v1 + v0) and kafka-python 2.0.2
// (SaslHandshake v0 + raw tokens). Users and permissions come from the shared user store.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { RunningKafka } from '../../src/kafka/personality.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { PYTHON } from '../helpers/python.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { nacosAuthAdmin } from '../helpers/nacos-auth-admin.js';
import { WireClient } from './wire-client.js';

const run = promisify(execFile);
const script = (name: string) => fileURLToPath(new URL(`../../../test/kafka/clients/${name}`, import.meta.url));
const TIMEOUT = { timeout: 120_000 };

interface KafkajsOutcome { ok?: boolean; offsets?: Array<[number, string, string]>; error?: string; type?: string | null; message?: string }

describe('kafka SASL with real clients (--auth)', () => {
  let server: TestServer;
  let bootstrap: string;

  before(async () => {
    server = await startTestServer({ auth: true, enabled: ['kafka'] });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
    const auth = server.junction.auth;
    await auth.createUser('alice', 'alice-pw');
    await auth.addRole('kafka-producer', 'alice');
    await auth.addPermission('kafka-producer', 'kafka:topic:*', 'rw');
    await auth.addPermission('kafka-producer', 'kafka:cluster', 'w');
    await auth.createUser('reader', 'reader-pw');
    await auth.addRole('kafka-reader', 'reader');
    await auth.addPermission('kafka-reader', 'kafka:topic:*', 'r');
    const kafka = server.junction.personality('kafka') as RunningKafka;
    for (const topic of ['t-plain', 't-scram-sha-256', 't-scram-sha-512', 't-kcat-plain', 't-kcat-scram', 't-py-plain', 't-py-scram', 't-py-scram512', 't-ro']) {
      await kafka.topics.create(topic, 1, {});
    }
  });
  after(async () => { await server?.destroy(); });

  const kafkajs = async (topic: string, mechanism: string, user: string, password: string): Promise<KafkajsOutcome> => {
    const { stdout } = await run('node', [script('kafkajs-sasl.mjs'), bootstrap, topic, mechanism, user, password], { timeout: 60_000 });
    return JSON.parse(stdout) as KafkajsOutcome;
  };

  for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512']) {
    it(`kafkajs ${mechanism}: the right password produces and lists offsets; a wrong one is refused`, TIMEOUT, async () => {
      const good = await kafkajs(`t-${mechanism}`, mechanism, 'alice', 'alice-pw');
      assert.deepEqual(good, { ok: true, offsets: [[0, '0', '2']] });
      const bad = await kafkajs(`t-${mechanism}`, mechanism, 'alice', 'wrong');
      assert.equal(bad.error, 'KafkaJSSASLAuthenticationError');
      assert.match(bad.message!, mechanism === 'plain' ? /Authentication failed: Invalid username or password/
        : new RegExp(`Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism.toUpperCase()}`));
    });
  }

  const kcatSasl = (mechanism: string, user: string, password: string): string[] => [
    '-b', bootstrap, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`,
    '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`,
  ];

  for (const [mechanism, topic] of [['PLAIN', 't-kcat-plain'], ['SCRAM-SHA-256', 't-kcat-scram']] as const) {
    it(`kcat ${mechanism}: produce and consume with the right password; a wrong one fails to connect`, TIMEOUT, async () => {
      const producer = run('kcat', ['-P', '-t', topic, '-K', ':', ...kcatSasl(mechanism, 'alice', 'alice-pw')], { timeout: 30_000 });
      producer.child.stdin!.end('k:hello\n:world\n');
      await producer;
      const { stdout } = await run('kcat', ['-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-f', '%o %k %s\n',
        ...kcatSasl(mechanism, 'alice', 'alice-pw')], { timeout: 30_000 });
      assert.equal(stdout, '0 k hello\n1  world\n');
      await assert.rejects(run('kcat', ['-L', '-m', '5', ...kcatSasl(mechanism, 'alice', 'wrong')], { timeout: 30_000 }),
        (err: { stderr?: string }) => /Authentication failed/.test(err.stderr ?? ''));
    });
  }

  for (const [mechanism, topic] of [['PLAIN', 't-py-plain'], ['SCRAM-SHA-256', 't-py-scram'], ['SCRAM-SHA-512', 't-py-scram512']] as const) {
    it(`kafka-python ${mechanism} (SaslHandshake v0, raw tokens): produce and read back; a wrong password fails`, TIMEOUT, async () => {
      const py = (password: string) => run(PYTHON, [script('kafka_python_sasl.py'), bootstrap, topic, mechanism, 'alice', password], { timeout: 60_000 });
      const { stdout } = await py('alice-pw');
      assert.equal(stdout.trim(), "[(0, b'k', b'hello'), (1, None, b'world')]");
      const bad = await py('wrong');
      assert.match(bad.stdout.trim(), /^(NoBrokersAvailable|KafkaConnectionError|AuthenticationFailedError)$/);
    });
  }

  it('an unauthenticated Metadata closes the connection; ApiVersions is answered first', TIMEOUT, async () => {
    const c = await WireClient.connect(server.ports.kafka!);
    try {
      const versions = await c.request(ApiKey.ApiVersions, 0, {});
      assert.equal(versions.body.errorCode, 0);
      c.send(ApiKey.Metadata, 1, { topics: null });
      assert.equal(await c.closedWithin(5_000), true);
      assert.equal(c.pendingFrames, 0, 'no Metadata answer');
    } finally {
      c.close();
    }
  });

  it('a user with only read permission gets TOPIC_AUTHORIZATION_FAILED from a real producer', TIMEOUT, async () => {
    const denied = await kafkajs('t-ro', 'plain', 'reader', 'reader-pw');
    assert.equal(denied.type, 'TOPIC_AUTHORIZATION_FAILED', JSON.stringify(denied));
    const allowed = await kafkajs('t-ro', 'plain', 'alice', 'alice-pw');
    assert.deepEqual(allowed, { ok: true, offsets: [[0, '0', '2']] }, 'nothing of the refused produce was stored');
  });
});

describe('kafka permissions granted through the Nacos auth API (docs/compat/kafka.md)', () => {
  it('a user created and granted over HTTP logs in with SCRAM from kcat and produces where allowed only', TIMEOUT, async () => {
    const server = await startTestServer({ auth: true, enabled: ['nacos', 'kafka'] });
    try {
      const post = await nacosAuthAdmin(server);
      await post('/users', { username: 'alice', password: 'alice-secret' });
      await post('/roles', { role: 'orders-producer', username: 'alice' });
      await post('/permissions', { role: 'orders-producer', resource: 'kafka:topic:orders-*', action: 'rw' });
      await post('/permissions', { role: 'orders-producer', resource: 'kafka:cluster', action: 'w' });
      const sasl = ['-b', `127.0.0.1:${server.ports.kafka}`, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=SCRAM-SHA-256',
        '-X', 'sasl.username=alice', '-X', 'sasl.password=alice-secret'];
      const produce = run('kcat', ['-P', '-t', 'orders-eu', ...sasl], { timeout: 30_000 });
      produce.child.stdin!.end('one\ntwo\n');
      await produce;
      const { stdout } = await run('kcat', ['-C', '-t', 'orders-eu', '-p', '0', '-o', 'beginning', '-e', '-f', '%s\n', ...sasl], { timeout: 30_000 });
      assert.equal(stdout, 'one\ntwo\n');
      const { stdout: listing } = await run('kcat', ['-L', '-m', '10', ...sasl], { timeout: 30_000 });
      assert.match(listing, /topic "orders-eu"/);
      const refused = run('kcat', ['-P', '-t', 'payments', ...sasl], { timeout: 30_000 });
      refused.child.stdin!.end('x\n');
      await assert.rejects(refused, (err: { stderr?: string }) => /Topic authorization failed|TOPIC_AUTHORIZATION_FAILED/i.test(err.stderr ?? ''));
    } finally {
      await server.destroy();
    }
  });
});


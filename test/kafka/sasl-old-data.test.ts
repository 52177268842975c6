// Users whose password was set before SCRAM credentials were kept (the frozen v2 data dir): PLAIN
// works, SCRAM fails until the password is set again (docs/compat/kafka.md, Security).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningKafka } from '../../src/kafka/personality.js';
import { FIXTURE_ADMIN_PASSWORD } from '../fixtures/make-datadir.js';
import { startTestServer, tempDir } from '../helpers/junction.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../test/kafka/clients/kafkajs-sasl.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('../../../test/fixtures/datadir-v2', import.meta.url));

test('the v2 data dir\'s admin logs in with PLAIN, with SCRAM only after the password is set again', { timeout: 120_000 }, async () => {
  const dataDir = tempDir('junction-sasl-old-');
  cpSync(fixture, dataDir, { recursive: true });
  const server = await startTestServer({ dataDir, auth: true, enabled: ['kafka'] });
  try {
    await (server.junction.personality('kafka') as RunningKafka).topics.create('old', 1, {});
    const login = async (mechanism: string) => JSON.parse((await run('node',
      [script, `127.0.0.1:${server.ports.kafka}`, 'old', mechanism, 'nacos', FIXTURE_ADMIN_PASSWORD], { timeout: 60_000 })).stdout) as Record<string, unknown>;
    assert.equal((await login('plain')).ok, true);
    assert.equal((await login('scram-sha-256')).error, 'KafkaJSSASLAuthenticationError');
    assert.equal((await server.junction.auth.setPassword('nacos', FIXTURE_ADMIN_PASSWORD)).ok, true);
    assert.deepEqual(await login('scram-sha-256'), { ok: true, offsets: [[0, '0', '4']] });
  } finally {
    await server.destroy();
  }
});

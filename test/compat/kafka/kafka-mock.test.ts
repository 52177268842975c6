// The mock-cluster helper itself: it starts librdkafka 2.0.2's mock, creates topics of the size
// asked (refusing a second one of the same name, TOPIC_ALREADY_EXISTS = 36, as the mock's
// RD_KAFKA_MOCK_CMD_TOPIC_CREATE does), and stop() leaves no listener behind.
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { describe, it } from 'node:test';
import { startKafkaMock } from '../../helpers/kafka-mock.js';
import { kcat } from './common.js';

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port }, () => { sock.destroy(); resolve(true); });
    sock.on('error', () => resolve(false));
  });
}

describe('librdkafka mock cluster helper', () => {
  it('serves Metadata for the topics it was told to create; stop() closes its port', async () => {
    const mock = await startKafkaMock();
    try {
      assert.match(mock.bootstrap, /^127\.0\.0\.1:\d+$/);
      await mock.createTopic('sized', 5);
      await assert.rejects(mock.createTopic('sized', 2), /"error":36/);
      const listing = await kcat(['-b', mock.bootstrap, '-L']);
      assert.match(listing, /1 topics:\n {2}topic "sized" with 5 partitions/);
    } finally {
      await mock.stop();
    }
    assert.equal(await connects(mock.port), false);
  });
});

// `junction kafka topics` against a Junction started here: the texts are kafka-topics.sh's
// (TopicCommand.java, apache/kafka 1eb7644): "Created topic X.", the describe lines, and
// "Error while executing topic command : …" on stdout with exit code 1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { WireClient } from '../kafka/wire-client.js';
import { kcat } from '../compat/kafka/common.js';
import { runCli } from './run-cli.js';

describe('junction kafka topics', () => {
  let server: TestServer;
  let bootstrap: string;
  const topics = (...args: string[]) => runCli(['kafka', 'topics', '--bootstrap-server', bootstrap, ...args]);
  /** Whether the server under test serves an API (CreatePartitions and DescribeConfigs come from other branches). */
  let serves: (apiKey: number) => boolean;

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 2 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
    const client = await WireClient.connect(server.ports.kafka!);
    const { body } = await client.request(ApiKey.ApiVersions, 0, {});
    client.close();
    const keys = new Set((body.apiKeys as Array<{ apiKey: number }>).map((k) => k.apiKey));
    serves = (k) => keys.has(k);
  });
  after(async () => { await server?.destroy(); });

  it('--create prints "Created topic X." and the topic exists with that many partitions (kcat -L agrees)', async () => {
    const r = await topics('--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '1');
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'Created topic orders.\n', '']);
    assert.match(await kcat(['-b', bootstrap, '-L', '-t', 'orders']), /topic "orders" with 3 partitions/);
  });

  it('--create without --partitions takes the broker default (num.partitions)', async () => {
    const r = await topics('--create', '--topic', 'defaults');
    assert.equal(r.stdout, 'Created topic defaults.\n');
    assert.match(await kcat(['-b', bootstrap, '-L', '-t', 'defaults']), /topic "defaults" with 2 partitions/);
  });

  it('a topic name with a period or underscore gets the metric-name collision warning', async () => {
    const r = await topics('--create', '--topic', 'a.b', '--partitions', '1');
    assert.equal(r.stdout, "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could " +
      'collide. To avoid issues it is best to use either, but not both.\nCreated topic a.b.\n');
  });

  it('--create of an existing topic: the broker\'s message, exit 1; --if-not-exists makes it a no-op', async () => {
    const r = await topics('--create', '--topic', 'orders', '--partitions', '1');
    assert.deepEqual([r.code, r.stdout], [1, "Error while executing topic command : Topic 'orders' already exists.\n"]);
    const quiet = await topics('--create', '--topic', 'orders', '--if-not-exists');
    assert.deepEqual([quiet.code, quiet.stdout], [0, '']);
  });

  it('--replication-factor 3 on one broker is refused with Kafka\'s message', async () => {
    const r = await topics('--create', '--topic', 'rf3', '--replication-factor', '3');
    assert.deepEqual([r.code, r.stdout], [1, 'Error while executing topic command : Replication factor: 3 larger than available brokers: 1.\n']);
  });

  it('--list prints the names sorted, one per line; --topic filters by regex', async () => {
    const all = await topics('--list');
    assert.deepEqual(all.stdout.trim().split('\n'), ['a.b', 'defaults', 'orders']);
    assert.equal((await topics('--list', '--topic', 'ord.*')).stdout, 'orders\n');
  });

  it('--describe prints the topic line and one line per partition, tab-separated', async () => {
    const r = await topics('--describe', '--topic', 'orders');
    assert.equal(r.code, 0);
    const partitionLine = (p: number) => `\tTopic: orders\tPartition: ${p}\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A`;
    assert.equal(r.stdout, ['Topic: orders\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: ', partitionLine(0), partitionLine(1), partitionLine(2)].join('\n') + '\n');
  });

  it('--describe shows --config overrides when the broker serves DescribeConfigs (else none)', async () => {
    await topics('--create', '--topic', 'kept', '--partitions', '1', '--config', 'retention.ms=3600000');
    const r = await topics('--describe', '--topic', 'kept');
    const first = r.stdout.split('\n')[0];
    const configs = serves(ApiKey.DescribeConfigs) ? 'retention.ms=3600000' : '';
    assert.equal(first, `Topic: kept\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: ${configs}`);
  });

  it('--alter --partitions grows a topic through CreatePartitions (or says the broker lacks it)', async () => {
    const r = await topics('--alter', '--topic', 'defaults', '--partitions', '4');
    if (serves(ApiKey.CreatePartitions)) {
      assert.deepEqual([r.code, r.stdout], [0, '']);
      assert.match(await kcat(['-b', bootstrap, '-L', '-t', 'defaults']), /topic "defaults" with 4 partitions/);
    } else {
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^Error while executing topic command : the broker at .* does not support CreatePartitions\n$/);
    }
  });

  it('--delete removes the topic (no output); a missing topic is an error unless --if-exists', async () => {
    const r = await topics('--delete', '--topic', 'a.b');
    assert.deepEqual([r.code, r.stdout], [0, '']);
    assert.doesNotMatch((await topics('--list')).stdout, /a\.b/);
    const missing = await topics('--delete', '--topic', 'nosuch');
    assert.deepEqual([missing.code, missing.stdout], [1, "Error while executing topic command : Topic 'nosuch' does not exist as expected\n"]);
    assert.equal((await topics('--delete', '--topic', 'nosuch', '--if-exists')).code, 0);
  });

  it('bad usage exits 2 with the tool\'s message: no action, --create without --topic', async () => {
    const none = await topics();
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Command must include exactly one action: --list, --describe, --create, --alter or --delete/);
    const noTopic = await topics('--create');
    assert.equal(noTopic.code, 2);
    assert.match(noTopic.stderr, /Missing required argument "\[topic\]"/);
  });

  it('an unreachable broker fails with exit 1 and says which address', async () => {
    const r = await runCli(['kafka', 'topics', '--bootstrap-server', '127.0.0.1:1', '--list']);
    assert.equal(r.code, 1);
    assert.match(r.stdout + r.stderr, /127\.0\.0\.1:1/);
  });
});

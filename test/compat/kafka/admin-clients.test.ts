// The admin APIs through real clients: kafkajs 2.2.4 (describeConfigs, alterConfigs,
// createPartitions, deleteTopicRecords, describeCluster), kafka-python 2.0.2's KafkaAdminClient
// (describe_configs, alter_configs, create_partitions), and kcat reading from the new log start
// after DeleteRecords.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import kafkajs, { Kafka, logLevel, type Admin } from 'kafkajs';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { kcat, kcatReadAll, runKafkaPy } from './common.js';

interface KafkaPythonAdminRun {
  described: Record<string, string>; altered_error: number; after_alter: Record<string, string>;
  partitions_after: number; shrink_error: string; unknown_config_error: string;
}

// kafkajs is CommonJS: its enum comes from the default export.
const { ConfigResourceTypes } = kafkajs;

describe('admin APIs (real clients)', () => {
  let server: TestServer;
  let bootstrap: string;
  let admin: Admin;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'] });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
    admin = new Kafka({ clientId: 'admin-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
    await admin.connect();
  });
  after(async () => {
    await admin?.disconnect();
    await server?.destroy();
  });

  it('kafkajs: describeConfigs and alterConfigs of a topic, and of the broker', async () => {
    await admin.createTopics({ topics: [{ topic: 'kjs-configs', configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    const describe = async (names?: string[]) => (await admin.describeConfigs({
      includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'kjs-configs', ...(names ? { configNames: names } : {}) }],
    })).resources[0]!;
    const all = await describe();
    assert.equal(all.errorCode, 0);
    assert.equal(all.configEntries.length, 31);
    const retention = all.configEntries.find((e) => e.configName === 'retention.ms')!;
    assert.deepEqual([retention.configValue, retention.isDefault, retention.readOnly], ['3600000', false, false]);
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'kjs-configs', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const after = await describe(['cleanup.policy', 'retention.ms']);
    assert.deepEqual(after.configEntries.map((e) => [e.configName, e.configValue, e.isDefault]).sort(), [['cleanup.policy', 'compact', false], ['retention.ms', '604800000', true]]);
    await assert.rejects(admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'kjs-configs', configEntries: [{ name: 'retention.ms', value: 'later' }] }] }),
      (err: Error & { type?: string }) => err.type === 'INVALID_CONFIG');
    const broker = (await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['num.partitions'] }] })).resources[0]!;
    assert.deepEqual(broker.configEntries.map((e) => [e.configName, e.configValue, e.readOnly]), [['num.partitions', '1', true]]);
  });

  it('kafkajs: createPartitions, deleteTopicRecords (kcat then reads from the new start), describeCluster', async () => {
    await admin.createTopics({ topics: [{ topic: 'kjs-grow', numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'kjs-grow', count: 3 }] });
    const { topics } = await admin.fetchTopicMetadata({ topics: ['kjs-grow'] });
    assert.deepEqual(topics[0]!.partitions.map((p) => p.partitionId).sort(), [0, 1, 2]);
    await assert.rejects(admin.createPartitions({ topicPartitions: [{ topic: 'kjs-grow', count: 2 }] }), (err: Error & { type?: string }) => err.type === 'INVALID_PARTITIONS');

    await kcat(['-b', bootstrap, '-P', '-t', 'kjs-grow', '-p', '0'], Array.from({ length: 10 }, (_, i) => `line-${i}`).join('\n') + '\n');
    await admin.deleteTopicRecords({ topic: 'kjs-grow', partitions: [{ partition: 0, offset: '6' }] });
    const offsets = await admin.fetchTopicOffsets('kjs-grow');
    assert.deepEqual(offsets.filter((o) => o.partition === 0).map((o) => [o.low, o.high]), [['6', '10']]);
    const read = await kcatReadAll(bootstrap, 'kjs-grow');
    assert.deepEqual(read.map((l) => l.split(' ')[1]), ['6', '7', '8', '9']);
    assert.ok(read[0]!.endsWith('line-6'));

    const cluster = await admin.describeCluster();
    assert.deepEqual([cluster.brokers.length, cluster.controller, cluster.clusterId.length], [1, 1, 22]);
  });

  it('kafka-python KafkaAdminClient: describe_configs, alter_configs, create_partitions', async () => {
    const r = await runKafkaPy<KafkaPythonAdminRun>('kafka_python_admin.py', bootstrap);
    assert.deepEqual([r.described['retention.ms'], r.described['cleanup.policy']], ['604800000', 'delete']);
    assert.equal(r.altered_error, 0);
    assert.deepEqual([r.after_alter['retention.ms'], r.after_alter['max.message.bytes']], ['86400000', '2000000']);
    assert.equal(r.partitions_after, 4);
    assert.equal(r.shrink_error, 'InvalidPartitionsError');
    assert.equal(r.unknown_config_error, 'InvalidConfigurationError');
  });
});

// kafka-python 2.0.2 and confluent-kafka-python 1.7.0 (librdkafka 2.0.2), Debian's packages run by
// /usr/bin/python3, against Junction. kafka-python's version probe (ApiVersions v0 + Metadata v0)
// must infer a broker that takes magic-2 batches; its consumer runs without a group (assign).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { kcatReadAll, runKafkaPy } from './common.js';

interface KafkaPythonRun {
  create_twice: string; replication_3: string; topics_before_delete: string[]; topics_after_delete: string[];
  keyed_partitions: Record<string, number>; consumed: Array<[number, number, string, string]>;
  end_offsets: Record<string, number>; offsets_for_times: Record<string, number | null>;
}
interface DeliveryReport { error: string | null; partition: number; offset: number; key: string }

describe('python clients', () => {
  let server: TestServer;
  let bootstrap: string;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 2 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
  });
  after(async () => { await server?.destroy(); });

  it('kafka-python 2.0.2: admin, producer (keyed, gzip) and a group-less consumer', async () => {
    const r = await runKafkaPy<KafkaPythonRun>('kafka_python_roundtrip.py', bootstrap);
    assert.equal(r.create_twice, 'TopicAlreadyExistsError');
    assert.equal(r.replication_3, 'InvalidReplicationFactorError');
    assert.deepEqual(r.topics_before_delete, ['py-events', 'py-scratch']);
    assert.deepEqual(r.topics_after_delete, ['py-events']);
    assert.equal(r.consumed.length, 15);
    // Every key in one partition; keyed and gzip values all read back in offset order.
    for (const key of ['k0', 'k1', 'gz']) {
      const parts = new Set(r.consumed.filter((m) => m[2] === key).map((m) => m[0]));
      assert.equal(parts.size, 1, key);
    }
    assert.deepEqual(r.consumed.filter((m) => m[2] === 'gz').map((m) => m[3]), ['gzip-0', 'gzip-1', 'gzip-2', 'gzip-3', 'gzip-4']);
    assert.equal(Object.values(r.end_offsets).reduce((a, b) => a + b, 0), 15);
    for (const [partition, offset] of Object.entries(r.offsets_for_times)) {
      assert.equal(offset, r.end_offsets[partition]! > 0 ? 0 : null, `partition ${partition}`);
    }
  });

  it('confluent-kafka-python: Producer delivery reports, plain and gzip, read back by kcat', async () => {
    const reports = await runKafkaPy<DeliveryReport[]>('confluent_producer.py', bootstrap, ['ck-events']);
    assert.equal(reports.length, 12);
    assert.ok(reports.every((d) => d.error === null), JSON.stringify(reports));
    const lines = await kcatReadAll(bootstrap, 'ck-events');
    assert.equal(lines.length, 12);
    assert.ok(lines.some((l) => l.endsWith('gzip value 5')));
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const d of reports) partitionsOfKey.set(d.key, (partitionsOfKey.get(d.key) ?? new Set()).add(d.partition));
    for (const [key, parts] of partitionsOfKey) assert.equal(parts.size, 1, key);
  });
});

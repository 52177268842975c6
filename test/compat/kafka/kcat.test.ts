// kcat 1.7.1 (librdkafka 2.0.2, Debian) against Junction: metadata listing (-L), producing from
// stdin with and without keys (-P, -K), consuming from the beginning to the end (-C -e), and
// offsets queried by librdkafka's watermark ListOffsets (-Q).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { fetchBody, firstPartition, WireClient } from '../../kafka/wire-client.js';
import { kcat, kcatReadAll } from './common.js';

describe('kcat (librdkafka 2.0.2)', () => {
  let server: TestServer;
  let bootstrap: string;
  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 3 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
  });
  after(async () => { await server?.destroy(); });

  it('-L lists this broker as controller and no topics at first', async () => {
    const out = await kcat(['-b', bootstrap, '-L']);
    assert.match(out, new RegExp(`broker 1 at 127\\.0\\.0\\.1:${server.ports.kafka} \\(controller\\)`));
    assert.match(out, /0 topics:/);
  });

  it('-P produces lines (auto-creating the topic), -C reads them back in order', async () => {
    await kcat(['-b', bootstrap, '-P', '-t', 'lines', '-p', '0'], 'one\ntwo\nthree\n');
    assert.deepEqual(await kcatReadAll(bootstrap, 'lines'), ['0 0  one', '0 1  two', '0 2  three']);
    const listing = await kcat(['-b', bootstrap, '-L', '-t', 'lines']);
    assert.match(listing, /topic "lines" with 3 partitions/);
  });

  it('-K keyed messages: one key always lands in one partition', async () => {
    const input = Array.from({ length: 30 }, (_, i) => `key${i % 3}:value${i}`).join('\n') + '\n';
    await kcat(['-b', bootstrap, '-P', '-t', 'keyed', '-K', ':'], input);
    const lines = await kcatReadAll(bootstrap, 'keyed');
    assert.equal(lines.length, 30);
    const partitionsOfKey = new Map<string, Set<string>>();
    for (const line of lines) {
      const [partition, , key] = line.split(' ');
      if (!partitionsOfKey.has(key!)) partitionsOfKey.set(key!, new Set());
      partitionsOfKey.get(key!)!.add(partition!);
    }
    assert.equal(partitionsOfKey.size, 3);
    for (const [key, parts] of partitionsOfKey) assert.equal(parts.size, 1, `${key} in ${[...parts].join(',')}`);
  });

  // librdkafka 2.0.2 compresses gzip/snappy only when Produce's range overlaps [0, 0] (Junction
  // advertises Produce from v0 for it, as Kafka 4.0 does, KAFKA-18659), zstd when it overlaps
  // [0, 7], and lz4 only with its LZ4 feature, which needs FindCoordinator v0 (served with the
  // consumer groups).
  it('-z gzip, snappy, lz4, zstd batches are stored compressed as produced', async () => {
    const client = await WireClient.connect(server.ports.kafka!);
    for (const [codec, id] of [['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]] as const) {
      const values = Array.from({ length: 20 }, (_, i) => `${codec} value ${i} `.repeat(10).trimEnd());
      await kcat(['-b', bootstrap, '-P', '-t', `z-${codec}`, '-p', '0', '-z', codec], values.join('\n') + '\n');
      const lines = await kcatReadAll(bootstrap, `z-${codec}`);
      assert.deepEqual(lines.map((l) => l.split(' ').slice(3).join(' ')).sort(), [...values].sort(), codec);
      // The stored batch carries the producer's codec (attributes bits 0-2): never recompressed.
      const stored = firstPartition((await client.request(ApiKey.Fetch, 11, fetchBody(`z-${codec}`, [[0, 0, 1 << 20]]))).body).records as Buffer;
      assert.equal(stored.readInt16BE(21) & 0x07, id, codec);
    }
    client.close();
  });

  it('-Q answers offsets by timestamp', async () => {
    const before = Date.now() - 60_000;
    const out = await kcat(['-b', bootstrap, '-Q', '-t', `lines:0:${before}`]);
    assert.match(out, /lines \[0\]\s+offset 0/);
  });
});

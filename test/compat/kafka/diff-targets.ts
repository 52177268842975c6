/**
 * The two brokers of the differential compat suite: Junction and librdkafka's mock cluster (the
 * nearest thing to a real Kafka here, issue 9 §6). Each scenario runs the same client program
 * against both in the same run; the tests compare the normalized outputs and, where they differ,
 * assert which side Kafka's source says is right (docs/compat/kafka.md, "Reference: librdkafka's
 * mock cluster").
 */
import assert from 'node:assert/strict';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { startTestServer } from '../../helpers/junction.js';
import { MOCK_DEFAULT_PARTITIONS, startKafkaMock } from '../../helpers/kafka-mock.js';
import { WireClient } from '../../kafka/wire-client.js';

export interface DiffTarget {
  kind: 'junction' | 'mock';
  bootstrap: string;
  port: number;
  createTopic(name: string, partitions: number): Promise<void>;
  stop(): Promise<void>;
}

export interface DiffPair { junction: DiffTarget; mock: DiffTarget; stop(): Promise<void> }

/** Start both. Junction auto-creates topics with the mock's partition count, so a topic a client
 *  creates implicitly (Metadata) has the same shape on both sides. */
export async function startDiffPair(): Promise<DiffPair> {
  const [junction, mock] = await Promise.all([startJunction(), startMock()]);
  return { junction, mock, stop: async () => { await Promise.all([junction.stop(), mock.stop()]); } };
}

/** Run the same scenario against both (concurrently: they are independent brokers). */
export async function onBoth<T>(pair: DiffPair, scenario: (t: DiffTarget) => Promise<T>): Promise<{ junction: T; mock: T }> {
  const [junction, mock] = await Promise.all([scenario(pair.junction), scenario(pair.mock)]);
  return { junction, mock };
}

async function startJunction(): Promise<DiffTarget> {
  const server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: MOCK_DEFAULT_PARTITIONS } });
  const port = server.ports.kafka!;
  return {
    kind: 'junction', port, bootstrap: `127.0.0.1:${port}`,
    async createTopic(name, partitions) {
      const client = await WireClient.connect(port);
      try {
        const body = { topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5000, validateOnly: false };
        const [result] = (await client.request(ApiKey.CreateTopics, 4, body)).body.topics as Array<{ errorCode: number }>;
        assert.equal(result!.errorCode, 0, `CreateTopics ${name}`);
      } finally {
        client.close();
      }
    },
    stop: () => server.destroy(),
  };
}

async function startMock(): Promise<DiffTarget> {
  const mock = await startKafkaMock();
  return { kind: 'mock', port: mock.port, bootstrap: mock.bootstrap, createTopic: mock.createTopic, stop: mock.stop };
}

/** Replace a target's port in client output, so outputs of the two targets compare equal. */
export function withoutPort(text: string, target: DiffTarget): string {
  return text.split(String(target.port)).join('PORT');
}

/** Per partition, what Kafka's ListOffsets answers for `at`: the first record whose timestamp is
 *  at or after it, as [offset, timestamp], or null when there is none (offsets -1). */
export function expectedByTime(records: Array<[number, number, number]>, partitions: number, at: number): Array<[number, [number, number] | null]> {
  return Array.from({ length: partitions }, (_, p) => {
    const first = records.filter(([rp, , ts]) => rp === p && ts >= at).sort((a, b) => a[1] - b[1])[0];
    return [p, first ? [first[1], first[2]] : null];
  });
}

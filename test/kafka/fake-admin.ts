/**
 * Admin, SASL and producer-id answers for FakeBroker (see fake-cluster.ts): topics live in the same
 * name → partition-count object the Metadata handler reads, groups are a fixed set of empty ones,
 * SASL/PLAIN accepts one user. Test scaffolding for the codec, not the broker's semantics.
 */
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import type { FakeHandler } from './fake-broker.js';

type Rows = Record<string, unknown>[];

export const SASL_USER = 'alice';
export const SASL_PASSWORD = 'alice-secret';
export const FAKE_GROUPS = ['g-admin-1', 'g-admin-2'];

function topicHandlers(topics: Record<string, number>): [number, FakeHandler][] {
  const createTopics: FakeHandler = ({ body }) => ({
    topics: (body.topics as Rows).map((t) => {
      const name = t.name as string;
      if (name in topics) return { name, errorCode: 36, errorMessage: `Topic '${name}' already exists.` };
      topics[name] = t.numPartitions === -1 ? 1 : t.numPartitions as number;
      return { name, errorCode: 0, errorMessage: null };
    }),
  });
  const deleteTopics: FakeHandler = ({ body }) => ({
    responses: (body.topicNames as string[]).map((name) => {
      const known = name in topics;
      delete topics[name];
      return { name, errorCode: known ? 0 : 3 };
    }),
  });
  const createPartitions: FakeHandler = ({ body }) => ({
    results: (body.topics as Rows).map((t) => {
      topics[t.name as string] = t.count as number;
      return { name: t.name, errorCode: 0, errorMessage: null };
    }),
  });
  const describeConfigs: FakeHandler = ({ body }) => ({
    results: (body.resources as Rows).map((r) => ({
      errorCode: 0, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName,
      // ConfigSource 5 = DEFAULT_CONFIG (DescribeConfigsResponse.ConfigSource).
      configs: [{ name: 'retention.ms', value: '604800000', readOnly: false, configSource: 5, isSensitive: false }],
    })),
  });
  const deleteRecords: FakeHandler = ({ body }) => ({
    topics: (body.topics as Rows).map((t) => ({
      name: t.name,
      partitions: (t.partitions as Rows).map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: p.offset, errorCode: 0 })),
    })),
  });
  return [
    [ApiKey.CreateTopics, createTopics], [ApiKey.DeleteTopics, deleteTopics], [ApiKey.CreatePartitions, createPartitions],
    [ApiKey.DescribeConfigs, describeConfigs], [ApiKey.DeleteRecords, deleteRecords],
  ];
}

function groupAdminHandlers(): [number, FakeHandler][] {
  const listGroups: FakeHandler = () => ({ errorCode: 0, groups: FAKE_GROUPS.map((groupId) => ({ groupId, protocolType: 'consumer' })) });
  const describeGroups: FakeHandler = ({ body }) => ({
    groups: (body.groups as string[]).map((groupId) => ({
      errorCode: 0, groupId, groupState: 'Empty', protocolType: 'consumer', protocolData: '', members: [],
    })),
  });
  const deleteGroups: FakeHandler = ({ body }) => ({
    results: (body.groupsNames as string[]).map((groupId) => ({ groupId, errorCode: FAKE_GROUPS.includes(groupId) ? 0 : 69 })),
  });
  return [[ApiKey.ListGroups, listGroups], [ApiKey.DescribeGroups, describeGroups], [ApiKey.DeleteGroups, deleteGroups]];
}

function saslHandlers(): [number, FakeHandler][] {
  const handshake: FakeHandler = ({ body }) => ({ errorCode: body.mechanism === 'PLAIN' ? 0 : 33, mechanisms: ['PLAIN'] });
  const authenticate: FakeHandler = ({ body }) => {
    // PLAIN token: authzid NUL user NUL password (RFC 4616); PlainSaslServer's failure message.
    const [, user, password] = (body.authBytes as Buffer).toString('utf8').split('\0');
    const ok = user === SASL_USER && password === SASL_PASSWORD;
    return ok ? { errorCode: 0, errorMessage: null, authBytes: Buffer.alloc(0) }
      : { errorCode: 58, errorMessage: 'Authentication failed: Invalid username or password', authBytes: Buffer.alloc(0) };
  };
  return [[ApiKey.SaslHandshake, handshake], [ApiKey.SaslAuthenticate, authenticate]];
}

/** Admin, SASL and InitProducerId handlers over the shared `topics` object. */
export function fakeAdminHandlers(topics: Record<string, number>): [number, FakeHandler][] {
  let producerId = 1000n;
  const initProducerId: FakeHandler = () => ({ errorCode: 0, producerId: producerId++, producerEpoch: 0 });
  return [...topicHandlers(topics), ...groupAdminHandlers(), ...saslHandlers(), [ApiKey.InitProducerId, initProducerId]];
}

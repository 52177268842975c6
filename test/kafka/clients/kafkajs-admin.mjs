// kafkajs 2.2.4 admin calls, one JSON line of results: create, describe configs, add partitions,
// delete records, list/describe/delete groups, delete the topic; then an idempotent producer
// (InitProducerId). With a user and password: SASL/PLAIN first.
import kafkajs from 'kafkajs';

const [bootstrap, user, password] = process.argv.slice(2);
const sasl = user ? { mechanism: 'plain', username: user, password } : undefined;
const kafka = new kafkajs.Kafka({ clientId: 'codec-admin', brokers: [bootstrap], sasl, logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const out = {};
out.created = await admin.createTopics({ topics: [{ topic: 'a-js', numPartitions: 2 }], waitForLeaders: false });
out.createdAgain = await admin.createTopics({ topics: [{ topic: 'a-js', numPartitions: 2 }], waitForLeaders: false })
  .catch((e) => e.type ?? e.message);
const configs = await admin.describeConfigs({ resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: 'a-js' }], includeSynonyms: false });
out.configs = configs.resources.map((r) => [r.resourceName, r.configEntries.map((c) => [c.configName, c.configValue])]);
await admin.createPartitions({ topicPartitions: [{ topic: 'a-js', count: 3 }] });
out.partitions = (await admin.fetchTopicMetadata({ topics: ['a-js'] })).topics[0].partitions.length;
await admin.deleteTopicRecords({ topic: 'a-js', partitions: [{ partition: 0, offset: '0' }] });
out.groups = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
out.described = (await admin.describeGroups(out.groups)).groups.map((g) => [g.groupId, g.state, g.members.length]);
out.deleted = (await admin.deleteGroups(['g-admin-1'])).map((r) => [r.groupId, r.errorCode]);
await admin.deleteTopics({ topics: ['a-js'] });
out.topics = (await admin.listTopics()).sort();
await admin.disconnect();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
await producer.disconnect();
console.log(JSON.stringify(out));

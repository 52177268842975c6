// kafkajs 2.2.4 over SASL_PLAINTEXT: produce two records to TOPIC, then read the partition's
// offsets (no consumer group: ListOffsets). One JSON line: {ok, offsets} or {error, type, message}.
// Usage: kafkajs-sasl.mjs BOOTSTRAP TOPIC MECHANISM(plain|scram-sha-256|scram-sha-512) USER PASSWORD
import kafkajs from 'kafkajs';

const [bootstrap, topic, mechanism, username, password] = process.argv.slice(2);
const kafka = new kafkajs.Kafka({
  clientId: 'sasl-test', brokers: [bootstrap], sasl: { mechanism, username, password },
  logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 0 },
});
const producer = kafka.producer({ allowAutoTopicCreation: false });
const admin = kafka.admin();
try {
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'k', value: 'hello' }, { value: 'world' }] });
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  console.log(JSON.stringify({ ok: true, offsets: offsets.map((o) => [o.partition, o.low, o.high]) }));
} catch (e) {
  console.log(JSON.stringify({ error: e.name, type: e.type ?? null, message: e.message }));
} finally {
  await producer.disconnect().catch(() => {});
  await admin.disconnect().catch(() => {});
}

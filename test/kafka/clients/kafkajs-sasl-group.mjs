// kafkajs 2.2.4 over SASL_PLAINTEXT/PLAIN, for the permission tests. One JSON line:
// {ok, ...} or {error, type, message, causes} (type: the Kafka error name kafkajs reports; causes:
// the broker errors kafkajs logged on the way — it hides a FindCoordinator refusal behind
// KafkaJSGroupCoordinatorNotFound "Failed to find group coordinator", cluster/index.js).
// Usage: kafkajs-sasl-group.mjs BOOTSTRAP USER PASSWORD consume TOPIC GROUP COUNT
//          read COUNT records from the beginning in consumer group GROUP (commits as it goes)
//        kafkajs-sasl-group.mjs BOOTSTRAP USER PASSWORD create-partitions TOPIC COUNT
import kafkajs from 'kafkajs';

const [bootstrap, username, password, mode, ...args] = process.argv.slice(2);
const causes = [];
const logCreator = () => ({ log }) => { if (log.error?.type) causes.push(`${log.message}: ${log.error.type}`); };
const kafka = new kafkajs.Kafka({
  clientId: 'sasl-group-test', brokers: [bootstrap], sasl: { mechanism: 'plain', username, password },
  logLevel: kafkajs.logLevel.DEBUG, logCreator, retry: { retries: 0 },
});
const outcome = (e) => ({ error: e.name, type: e.type ?? null, message: e.message, causes });

async function consume(topic, groupId, count) {
  // No restart after a crash: the first refusal is the outcome.
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 0, restartOnFailure: async () => false } });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise((resolve) => {
      const seen = [];
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(outcome(payload.error)));
      consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value.toString());
          if (seen.length === count) resolve({ ok: true, values: seen });
        },
      }).catch((e) => resolve(outcome(e)));
    });
  } catch (e) {
    return outcome(e);
  } finally {
    await consumer.disconnect().catch(() => {});
  }
}

async function createPartitions(topic, count) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createPartitions({ topicPartitions: [{ topic, count }] });
    return { ok: true };
  } catch (e) {
    return outcome(e);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

const result = mode === 'consume' ? await consume(args[0], args[1], Number(args[2])) : await createPartitions(args[0], Number(args[1]));
console.log(JSON.stringify(result));

// kafkajs 2.2.4: produce two records to TOPIC, read them back in group GROUP, print them as JSON.
import kafkajs from 'kafkajs';

const [bootstrap, topic, group] = process.argv.slice(2);
const kafka = new kafkajs.Kafka({ clientId: 'codec-test', brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
const producer = kafka.producer();
await producer.connect();
await producer.send({ topic, messages: [{ key: 'k', value: 'hello' }, { value: 'world' }] });
await producer.disconnect();
const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
const seen = [];
await new Promise((resolve, reject) => {
  consumer.run({
    eachMessage: async ({ message }) => {
      seen.push([message.offset, message.key?.toString() ?? null, message.value.toString()]);
      if (seen.length === 2) resolve();
    },
  }).catch(reject);
});
await consumer.disconnect();
console.log(JSON.stringify(seen));

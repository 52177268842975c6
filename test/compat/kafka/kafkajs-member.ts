// A kafkajs 2.2.4 group member in its own process, so a test can kill it with SIGKILL (it then
// stops heartbeating without leaving). Usage: node kafkajs-member.js BOOTSTRAP GROUP TOPIC NAME.
// Prints one JSON line per event: {"joined":[partitions]} on each assignment and
// {"record":[partition,offset,value]} per record it processed.
import { Kafka, logLevel } from 'kafkajs';

const [bootstrap, groupId, topic, name] = process.argv.slice(2) as [string, string, string, string];
const kafka = new Kafka({ clientId: name, brokers: [bootstrap], logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 300, rebalanceTimeout: 20_000, maxWaitTimeInMs: 500 });
const print = (event: object): void => { process.stdout.write(`${JSON.stringify(event)}\n`); };
consumer.on(consumer.events.GROUP_JOIN, (e) => print({ joined: e.payload.memberAssignment[topic] ?? [] }));
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ partition, message }) => { print({ record: [partition, Number(message.offset), message.value!.toString()] }); },
});

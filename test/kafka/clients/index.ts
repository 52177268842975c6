/**
 * How each real client is run against a broker, shared by the codec tests and
 * test/fixtures/kafka/capture-requests.mjs. Each entry is [command, args] for `execFile`.
 */
import { fileURLToPath } from 'node:url';
import { PYTHON } from '../../helpers/python.js';

const script = (name: string) => fileURLToPath(new URL(`../../../../test/kafka/clients/${name}`, import.meta.url));

export type ClientName = 'kcat' | 'kafka-python' | 'confluent-kafka' | 'kafkajs';
export type Command = [string, string[]];

/** List topics and brokers (Metadata for all topics). */
export function listTopicsCommand(client: ClientName, bootstrap: string): Command {
  switch (client) {
    case 'kcat': return ['kcat', ['-L', '-b', bootstrap, '-m', '10']];
    case 'kafka-python': return [PYTHON, ['-c', `
import kafka
c = kafka.KafkaConsumer(bootstrap_servers='${bootstrap}')
print(sorted(c.topics()), sorted(c.partitions_for_topic('t1') or []), c.config['api_version'])
c.close()`]];
    case 'confluent-kafka': return [PYTHON, ['-c', `
from confluent_kafka.admin import AdminClient
m = AdminClient({'bootstrap.servers': '${bootstrap}'}).list_topics(timeout=10)
print(m.cluster_id, m.controller_id, sorted(m.brokers), sorted((t, sorted(v.partitions)) for t, v in m.topics.items()))`]];
    case 'kafkajs': return ['node', ['-e', `
const { Kafka, logLevel } = require('kafkajs');
const admin = new Kafka({ clientId: 'capture', brokers: ['${bootstrap}'], logLevel: logLevel.NOTHING }).admin();
admin.connect().then(() => admin.listTopics()).then((t) => { console.log(JSON.stringify(t.sort())); return admin.disconnect(); })
  .catch((e) => { console.error(e.message); process.exit(1); });`]];
  }
}

/** Produce two records ("hello" with key "k", then "world") and read them back in a consumer group
 *  (kcat: the consumer half only; its producer reads stdin, see kcatProduceCommand). */
export function roundTripCommand(client: ClientName, bootstrap: string, topic: string, group: string): Command {
  switch (client) {
    case 'kcat': return ['kcat', ['-G', group, '-b', bootstrap, '-o', 'beginning', '-e', '-f', '%o %k %s\\n', topic]];
    case 'kafka-python': return [PYTHON, [script('kafka_python_roundtrip.py'), bootstrap, topic, group]];
    case 'confluent-kafka': return [PYTHON, [script('confluent_kafka_roundtrip.py'), bootstrap, topic, group]];
    case 'kafkajs': return ['node', [script('kafkajs-roundtrip.mjs'), bootstrap, topic, group]];
  }
}

/** kcat's producer: records from stdin, key and value split at ':'. */
export function kcatProduceCommand(bootstrap: string, topic: string): Command {
  return ['kcat', ['-P', '-b', bootstrap, '-t', topic, '-K', ':']];
}

export const KCAT_INPUT = 'k:hello\n:world\n';

/** Topic, group and producer-id admin calls (kafkajs, confluent-kafka; test/kafka/clients/*admin*). */
export function adminCommand(client: 'kafkajs' | 'confluent-kafka', bootstrap: string, sasl: [string, string] | [] = []): Command {
  return client === 'kafkajs'
    ? ['node', [script('kafkajs-admin.mjs'), bootstrap, ...sasl]]
    : [PYTHON, [script('confluent_kafka_admin.py'), bootstrap, ...sasl]];
}

/** kcat -L over SASL_PLAINTEXT with the PLAIN mechanism. */
export function kcatSaslListCommand(bootstrap: string, user: string, password: string): Command {
  return ['kcat', ['-L', '-b', bootstrap, '-m', '5', '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN',
    '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`]];
}

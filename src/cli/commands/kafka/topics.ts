/**
 * `junction kafka topics`: kafka-topics.sh over the Kafka port. Flags, checks and output follow
 * Apache Kafka's TopicCommand (tools/…/TopicCommand.java, apache/kafka 1eb7644): "Created topic X.",
 * the describe lines (TopicDescription / PartitionDescription.printDescription), errors as
 * "Error while executing topic command : MESSAGE" on stdout with exit code 1.
 */
import type { KafkaConnection } from '../../../kafka/client/connection.js';
import {
  createPartitions, createTopic, deleteTopics, describeTopicConfigs, describeTopics, KafkaResponseError, listTopics,
  type TopicInfo,
} from '../../../kafka/client/admin.js';
import { UsageError, type Args } from '../../args.js';
import {
  bool, connectKafka, CONNECTION_USAGE, intOption, KafkaToolFailure, keyValues, parseKafkaArgs, str, strs, topicMatcher,
} from './common.js';

export const TOPICS_USAGE = `usage: junction kafka topics --bootstrap-server HOST:PORT ACTION [options]   (kafka-topics.sh)

actions (exactly one):
  --create --topic T [--partitions N] [--replication-factor N] [--config K=V …] [--if-not-exists]
  --list [--topic REGEX] [--exclude-internal]
  --describe [--topic REGEX] [--exclude-internal]
  --alter --topic T --partitions N [--if-exists]    add partitions (CreatePartitions)
  --delete --topic T [--if-exists]

options:
${CONNECTION_USAGE}
  --topic NAME|REGEX    the topic; a comma list or regex for --list/--describe/--alter/--delete
  --partitions N        partitions of a new topic (default: the broker's num.partitions), or the new total
  --replication-factor N  1 on a one-broker Junction (default: the broker's)
  --config K=V          topic config override (repeatable), e.g. retention.ms=86400000

Output is kafka-topics.sh's: "Created topic T.", topic names one per line, the describe lines.
`;

const OPTIONS = {
  create: bool, list: bool, describe: bool, delete: bool, alter: bool,
  topic: str, partitions: str, 'replication-factor': str, config: strs,
  'if-not-exists': bool, 'if-exists': bool, 'exclude-internal': bool,
};

const ACTIONS = ['create', 'list', 'describe', 'alter', 'delete'] as const;

export async function topicsCommand(argv: string[]): Promise<void> {
  const args = parseKafkaArgs(argv, OPTIONS, TOPICS_USAGE);
  const actions = ACTIONS.filter((a) => args.flag(a));
  // TopicCommandOptions.checkArgs
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete', TOPICS_USAGE);
  const action = actions[0]!;
  if (['create', 'alter', 'delete'].includes(action) && !args.string('topic')) {
    throw new UsageError(`Missing required argument "[topic]"`, TOPICS_USAGE);
  }
  if (action === 'alter' && args.string('partitions') === undefined) {
    throw new UsageError('Missing required argument "[partitions]"', TOPICS_USAGE);
  }
  const conn = await connectKafka(args, 'junction-kafka-topics');
  try {
    await ACTION_RUNNERS[action](conn, args);
  } catch (err) {
    if (err instanceof KafkaToolFailure || err instanceof UsageError) throw err;
    throw new KafkaToolFailure(`Error while executing topic command : ${(err as Error).message}`, 1, 'stdout');
  } finally {
    conn.close();
  }
}

const ACTION_RUNNERS: Record<(typeof ACTIONS)[number], (conn: KafkaConnection, args: Args) => Promise<void>> = {
  create, list, describe, alter, delete: remove,
};

async function create(conn: KafkaConnection, args: Args): Promise<void> {
  const name = args.string('topic')!;
  const partitions = intOption(args, 'partitions');
  const replicationFactor = intOption(args, 'replication-factor');
  if (replicationFactor !== undefined && (replicationFactor < 1 || replicationFactor > 32767)) {
    throw new Error('The replication factor must be between 1 and 32767 inclusive');
  }
  if (partitions !== undefined && partitions < 1) throw new Error('The partitions must be greater than 0');
  if (name.includes('.') || name.includes('_')) {
    process.stdout.write("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could " +
      'collide. To avoid issues it is best to use either, but not both.\n');
  }
  try {
    await createTopic(conn, { name, partitions, replicationFactor, configs: Object.fromEntries(keyValues(args, 'config')) });
  } catch (err) {
    // --if-not-exists: a TopicExistsException is not an error (TopicService.createTopic).
    if (err instanceof KafkaResponseError && err.errorName === 'TOPIC_ALREADY_EXISTS' && args.flag('if-not-exists')) return;
    throw err;
  }
  process.stdout.write(`Created topic ${name}.\n`);
}

/** Topics matching --topic (all when absent), sorted; an explicit --topic must match one (ensureTopicExists). */
async function selectTopics(conn: KafkaConnection, args: Args, requireExisting: boolean): Promise<string[]> {
  const all = await listTopics(conn, !args.flag('exclude-internal'));
  const spec = args.string('topic');
  const topics = spec === undefined ? all : all.filter(topicMatcher(spec));
  if (spec !== undefined && spec !== '' && requireExisting && !args.flag('if-exists') && topics.length === 0) {
    throw new Error(`Topic '${spec}' does not exist as expected`);
  }
  return topics;
}

async function list(conn: KafkaConnection, args: Args): Promise<void> {
  const topics = await selectTopics(conn, args, false);
  // TopicService.listTopics prints the names joined by newlines with println: one line even when empty.
  process.stdout.write(`${topics.join('\n')}\n`);
}

async function describe(conn: KafkaConnection, args: Args): Promise<void> {
  const names = await selectTopics(conn, args, true);
  if (names.length === 0) return;
  for (const topic of await describeTopics(conn, names)) {
    if (topic.errorCode !== 0) throw new KafkaResponseError(topic.errorCode);
    const configs = await describeTopicConfigs(conn, topic.name);
    process.stdout.write(describeText(topic, configs?.filter((c) => !c.isDefault).map((c) => `${c.name}=${c.value}`) ?? []));
  }
}

/** TopicDescription.printDescription then PartitionDescription.printDescription per partition. TopicId
 *  is printed only when not zero: Metadata below v10 carries none. Elr comes from
 *  DescribeTopicPartitions only, so after the Metadata fallback it is N/A, as Kafka prints it. */
export function describeText(topic: TopicInfo, overrides: string[]): string {
  const replicationFactor = topic.partitions[0]?.replicas.length ?? 0;
  const lines = [`Topic: ${topic.name}\tPartitionCount: ${topic.partitions.length}\tReplicationFactor: ${replicationFactor}\tConfigs: ${overrides.join(',')}`];
  for (const p of topic.partitions) {
    lines.push(`\tTopic: ${topic.name}\tPartition: ${p.partition}\tLeader: ${p.leader < 0 ? 'none' : p.leader}` +
      `\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}\tElr: N/A\tLastKnownElr: N/A`);
  }
  return lines.join('\n') + '\n';
}

async function alter(conn: KafkaConnection, args: Args): Promise<void> {
  const count = intOption(args, 'partitions')!;
  for (const name of await selectTopics(conn, args, true)) await createPartitions(conn, name, count);
}

async function remove(conn: KafkaConnection, args: Args): Promise<void> {
  const topics = await selectTopics(conn, args, true);
  if (topics.length > 0) await deleteTopics(conn, topics);
}

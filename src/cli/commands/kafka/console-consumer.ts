/**
 * `junction kafka console-consumer`: kafka-console-consumer.sh (ConsoleConsumer /
 * ConsoleConsumerOptions in apache/kafka 1eb7644). Records are printed by DefaultMessageFormatter's
 * rules; at the end "Processed a total of N messages" goes to stderr, as reportRecordCount prints it,
 * whether the run ended by --max-messages, --timeout-ms, an error or Ctrl-C.
 * Without --group the Java tool joins a random throw-away group with auto-commit off; alone in it,
 * it is assigned every partition, which is what this consumer reads directly (no group traffic).
 * With --group (or group.id) it is a real group member that commits (enable.auto.commit).
 */
import { Fetcher, type ResetPolicy } from '../../../kafka/client/fetcher.js';
import { topicWithAutoCreate } from '../../../kafka/client/admin.js';
import type { KafkaConnection } from '../../../kafka/client/connection.js';
import { GroupMember } from '../../../kafka/client/group.js';
import { UsageError, type Args } from '../../args.js';
import { bool, connectKafka, CONNECTION_USAGE, intOption, isTrue, KafkaToolFailure, keyValues, parseKafkaArgs, str, strs } from './common.js';
import { MessageFormatter } from './message-formatter.js';
import { ConsoleOutput } from './console-output.js';

export const CONSOLE_CONSUMER_USAGE = `usage: junction kafka console-consumer --bootstrap-server HOST:PORT --topic T [options]
(kafka-console-consumer.sh: records → stdout; "Processed a total of N messages" on stderr)

options:
${CONNECTION_USAGE}
  --topic T                  the topic to read
  --from-beginning           start at the earliest offset when there is no committed one
  --partition N              read only this partition (no group)
  --offset O                 with --partition: earliest, latest (default) or an offset
  --group G                  consume as member of group G (commits offsets)
  --consumer-property K=V    group.id, auto.offset.reset, enable.auto.commit, client.id … (repeatable)
  --max-messages N           stop after N records
  --timeout-ms MS            stop when no record arrived for MS
  --property K=V             print.key, print.value, print.partition, print.offset, print.timestamp,
                             print.headers, key.separator, line.separator, headers.separator, null.literal
  --skip-message-on-error    skip a batch that cannot be decoded instead of stopping
  --isolation-level L        read_uncommitted (default) or read_committed
`;

const OPTIONS = {
  topic: str, 'from-beginning': bool, partition: str, offset: str, group: str, 'consumer-property': strs,
  'max-messages': str, 'timeout-ms': str, property: strs, 'skip-message-on-error': bool, 'isolation-level': str,
};

interface Plan {
  topic: string; partition?: number; offset?: 'earliest' | 'latest' | bigint; groupId?: string; reset: ResetPolicy;
  autoCommit: boolean; maxMessages: number; timeoutMs: number; clientId: string; isolationLevel: number;
}

export async function consoleConsumerCommand(argv: string[]): Promise<void> {
  const args = parseKafkaArgs(argv, OPTIONS, CONSOLE_CONSUMER_USAGE);
  const plan = planOf(args);
  const formatter = new MessageFormatter(keyValues(args, 'property'));
  const out = new ConsoleOutput();
  const conn = await connectKafka(args, plan.clientId);
  let failure: Error | null = null;
  try {
    await consume(conn, plan, args.flag('skip-message-on-error'), (records) => out.write(records.map((r) => formatter.format(r))));
  } catch (err) {
    failure = err as Error;
  } finally {
    conn.close();
  }
  await out.end();
  // ConsoleConsumer.process: an error ends the loop with a log line; the count is reported after it.
  if (failure instanceof TimeoutReached) {
    process.stderr.write('ERROR Error processing message, terminating consumer process: org.apache.kafka.common.errors.TimeoutException\n');
  } else if (failure instanceof KafkaToolFailure) {
    process.stderr.write(`${failure.text}\n`);
    process.exitCode = failure.exitCode;
  } else if (failure) {
    process.stderr.write(`ERROR Error processing message, terminating consumer process: ${failure.message}\n`);
    process.exitCode = 1;
  }
  process.stderr.write(`Processed a total of ${out.count} messages\n`);
}

/** The checks and defaults of ConsoleConsumerOptions. */
function planOf(args: Args): Plan {
  const topic = args.string('topic');
  const props = keyValues(args, 'consumer-property');
  if (!topic) throw new UsageError('Exactly one of --include/--topic is required. ', CONSOLE_CONSUMER_USAGE);
  const partition = intOption(args, 'partition');
  const fromBeginning = args.flag('from-beginning');
  const offsetText = args.string('offset');
  if (partition !== undefined && fromBeginning && offsetText !== undefined) {
    throw new UsageError('Options from-beginning and offset cannot be specified together.', CONSOLE_CONSUMER_USAGE);
  }
  if (partition === undefined && offsetText !== undefined) throw new UsageError('The partition is required when offset is specified.', CONSOLE_CONSUMER_USAGE);
  const groups = new Set([args.string('group'), props.get('group.id')].filter((g): g is string => g !== undefined));
  if (groups.size > 1) {
    throw new UsageError("The group ids provided in different places (directly using '--group', via '--consumer-property', or via " +
      `'--consumer.config') do not match. Detected group ids: ${[...groups].map((g) => `'${g}'`).join(', ')}`, CONSOLE_CONSUMER_USAGE);
  }
  if (groups.size > 0 && partition !== undefined) throw new UsageError('Options group and partition cannot be specified together.', CONSOLE_CONSUMER_USAGE);
  const reset = props.get('auto.offset.reset') ?? (fromBeginning ? 'earliest' : 'latest');
  if (fromBeginning && reset !== 'earliest') {
    throw new KafkaToolFailure(`Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option`, 1);
  }
  if (!['earliest', 'latest', 'none'].includes(reset)) throw new UsageError(`Invalid value ${reset} for configuration auto.offset.reset`, CONSOLE_CONSUMER_USAGE);
  const isolation = args.string('isolation-level') ?? props.get('isolation.level') ?? 'read_uncommitted';
  return {
    topic, partition, groupId: [...groups][0], reset: reset as ResetPolicy,
    offset: partition === undefined ? undefined : parseOffset(offsetText, fromBeginning),
    autoCommit: groups.size > 0 && (props.has('enable.auto.commit') ? isTrue(props.get('enable.auto.commit')) : true),
    maxMessages: intOption(args, 'max-messages') ?? -1,
    timeoutMs: intOption(args, 'timeout-ms') ?? -1,
    clientId: props.get('client.id') ?? 'console-consumer',
    isolationLevel: isolation === 'read_committed' ? 1 : 0,
  };
}

function parseOffset(text: string | undefined, fromBeginning: boolean): 'earliest' | 'latest' | bigint {
  if (text === undefined) return fromBeginning ? 'earliest' : 'latest';
  const lower = text.toLowerCase();
  if (lower === 'earliest' || lower === 'latest') return lower;
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`The provided offset value '${text}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`, CONSOLE_CONSUMER_USAGE);
  }
  return BigInt(text);
}

class TimeoutReached extends Error {}

type Sink = (records: import('../../../kafka/client/records.js').ConsumedRecord[]) => Promise<number>;

/** The poll loop: assignment, positions, fetch, print, stop conditions, commits. */
async function consume(conn: KafkaConnection, plan: Plan, skipOnError: boolean, sink: Sink): Promise<void> {
  const topic = await topicWithAutoCreate(conn, plan.topic);
  const fetcher = new Fetcher(conn, {
    topic: plan.topic, maxWaitMs: 500, reset: plan.reset, isolationLevel: plan.isolationLevel,
    onBadBatch: (partition, offset, err) => {
      if (skipOnError) process.stderr.write(`ERROR Error processing message, skipping this message: partition ${partition} offset ${offset}: ${err.message}\n`);
      return skipOnError;
    },
  });
  const member = plan.groupId === undefined ? null
    : await GroupMember.join(conn, { groupId: plan.groupId, topic: plan.topic, clientId: plan.clientId, partitions: topic.partitions.length });
  const stop = stopSignal();
  try {
    await position(fetcher, member, plan, topic.partitions.map((p) => p.partition));
    let printed = 0;
    let lastRecordAt = Date.now();
    let lastCommit = Date.now();
    while (!stop.requested && (plan.maxMessages < 0 || printed < plan.maxMessages)) {
      if (member?.needsRejoin) {
        if (plan.autoCommit) await member.commit(fetcher.positions).catch(() => {});
        fetcher.positions.clear();
        await position(fetcher, member, plan, []);
      }
      let records = await fetcher.poll();
      if (plan.maxMessages >= 0) records = records.slice(0, plan.maxMessages - printed);
      if (records.length > 0) {
        printed += await sink(records);
        lastRecordAt = Date.now();
        // Only what was printed counts as consumed (ConsumerWrapper.resetUnconsumedOffsets).
        for (const r of records) fetcher.seek(r.partition, r.offset + 1n);
      } else if (plan.timeoutMs >= 0 && Date.now() - lastRecordAt > plan.timeoutMs) {
        throw new TimeoutReached();
      }
      if (member && plan.autoCommit && Date.now() - lastCommit >= 5000) { await member.commit(fetcher.positions); lastCommit = Date.now(); }
    }
  } finally {
    stop.dispose();
    if (member) {
      if (plan.autoCommit) await member.commit(fetcher.positions).catch(() => {});
      await member.leave();
    }
  }
}

/** Starting positions: --partition/--offset; else committed offsets of the group; else the reset policy. */
async function position(fetcher: Fetcher, member: GroupMember | null, plan: Plan, allPartitions: number[]): Promise<void> {
  if (plan.partition !== undefined) {
    if (typeof plan.offset === 'bigint') fetcher.seek(plan.partition, plan.offset);
    else await fetcher.seekByPolicy([plan.partition], plan.offset ?? 'latest');
    return;
  }
  const partitions = member ? (member.needsRejoin ? await member.rejoin() : member.assigned) : allPartitions;
  const committed = member ? await member.committed(partitions) : new Map<number, bigint>();
  for (const [p, o] of committed) fetcher.seek(p, o);
  const unpositioned = partitions.filter((p) => !committed.has(p));
  if (unpositioned.length > 0 && plan.reset === 'none') {
    throw new Error(`Undefined offset with no reset policy for partitions: ${unpositioned.map((p) => `${plan.topic}-${p}`).join(', ')}`);
  }
  if (plan.reset !== 'none') await fetcher.seekByPolicy(unpositioned, plan.reset);
}

/** Ctrl-C / SIGTERM end the loop cleanly (the Java tool's shutdown hook wakes the consumer up). */
function stopSignal(): { requested: boolean; dispose(): void } {
  const state = { requested: false, dispose: () => { process.off('SIGINT', on); process.off('SIGTERM', on); } };
  const on = () => { state.requested = true; };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return state;
}

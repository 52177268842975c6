/**
 * `junction kafka consumer-groups`: kafka-consumer-groups.sh (ConsumerGroupCommand /
 * ConsumerGroupCommandOptions, apache/kafka 1eb7644): --list, --describe (the offsets table, LAG =
 * LOG-END-OFFSET − CURRENT-OFFSET, "-" where unknown), --reset-offsets, --delete, with the tool's texts.
 */
import { listOffsets, LATEST } from '../../../kafka/client/admin.js';
import type { KafkaConnection } from '../../../kafka/client/connection.js';
import {
  coordinatorFor, deleteGroups, describeGroup, groupOffsets, listGroups, tpKey, tpOf, type GroupInfo, type TopicPartitionKey,
} from '../../../kafka/client/group-admin.js';
import { KafkaErrors, kafkaErrorName } from '../../../kafka/errors.js';
import { UsageError } from '../../args.js';
import { bool, connectKafka, CONNECTION_USAGE, parseKafkaArgs, str, strs } from './common.js';
import { offsetsTable, resetTable, type OffsetRow } from './consumer-groups-format.js';
import { resetOffsets } from './consumer-groups-reset.js';

export const CONSUMER_GROUPS_USAGE = `usage: junction kafka consumer-groups --bootstrap-server HOST:PORT ACTION [options]
(kafka-consumer-groups.sh)

actions (exactly one):
  --list
  --describe --group G … | --all-groups       committed offsets, log-end offsets and lag per partition
  --reset-offsets --group G … | --all-groups  --topic T[:P,…] … | --all-topics
                  --to-earliest | --to-latest | --to-offset N | --to-current | --shift-by N
                  --dry-run (default) | --execute   (the group must have no active members)
  --delete --group G … | --all-groups

options:
${CONNECTION_USAGE}
`;

const OPTIONS = {
  list: bool, describe: bool, delete: bool, 'reset-offsets': bool, group: strs, 'all-groups': bool, topic: strs,
  'all-topics': bool, 'to-earliest': bool, 'to-latest': bool, 'to-offset': str, 'to-current': bool, 'shift-by': str,
  execute: bool, 'dry-run': bool, offsets: bool,
};

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets'] as const;

export async function consumerGroupsCommand(argv: string[]): Promise<void> {
  const args = parseKafkaArgs(argv, OPTIONS, CONSUMER_GROUPS_USAGE);
  const actions = ACTIONS.filter((a) => args.flag(a));
  if (actions.length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets', CONSUMER_GROUPS_USAGE);
  }
  const action = actions[0]!;
  if (action !== 'list' && args.strings('group').length === 0 && !args.flag('all-groups')) {
    throw new UsageError(`Option [${action}] takes one of these options: [all-groups], [group]`, CONSUMER_GROUPS_USAGE);
  }
  const conn = await connectKafka(args, 'junction-kafka-consumer-groups');
  try {
    if (action === 'list') { for (const g of await listGroups(conn)) process.stdout.write(`${g}\n`); return; }
    const groups = args.flag('all-groups') ? await listGroups(conn) : args.strings('group');
    if (action === 'describe') await describe(conn, groups);
    else if (action === 'delete') await remove(conn, groups);
    else {
      const { rows, groupsHandled } = await resetOffsets(conn, args, groups);
      process.stdout.write(resetTable(rows, groupsHandled));
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // ConsumerGroupCommand.run: printError("Executing consumer group command failed due to …").
    process.stdout.write(`\nError: Executing consumer group command failed due to ${(err as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    conn.close();
  }
}

async function describe(conn: KafkaConnection, groups: string[]): Promise<void> {
  for (const groupId of [...groups].sort()) {
    const coordinator = await coordinatorFor(conn, groupId);
    try {
      const group = await describeGroup(coordinator, groupId);
      if (group.errorCode !== 0) throw new Error(errorText(group.errorCode));
      const rows = await offsetRows(conn, group, await groupOffsets(coordinator, groupId));
      printGroupState(group, rows);
    } finally {
      coordinator.close();
    }
  }
}

/** ConsumerGroupService.shouldPrintMemberState, then printOffsets. */
function printGroupState(group: GroupInfo, rows: OffsetRow[]): void {
  if (group.state === 'Dead') {
    process.stdout.write(`\nError: Consumer group '${group.groupId}' does not exist.\n`);
    return;
  }
  if (group.state === 'Empty') process.stderr.write(`\nConsumer group '${group.groupId}' has no active members.\n`);
  if (group.state === 'PreparingRebalance' || group.state === 'CompletingRebalance') {
    process.stderr.write(`\nWarning: Consumer group '${group.groupId}' is rebalancing.\n`);
  }
  if (rows.length > 0) process.stdout.write(offsetsTable(rows));
}

/** collectGroupsOffsets: members with partitions (most partitions first), then committed partitions no member holds. */
async function offsetRows(conn: KafkaConnection, group: GroupInfo, committed: Map<TopicPartitionKey, bigint>): Promise<OffsetRow[]> {
  const members = group.members.filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
  const assigned = new Set(members.flatMap((m) => m.assignment.map((a) => tpKey(a.topic, a.partition))));
  const unassigned = [...committed.keys()].filter((k) => !assigned.has(k)).map(tpOf);
  const all = [...members.flatMap((m) => m.assignment), ...unassigned];
  const ends = await logEndOffsets(conn, all);
  const row = (tp: { topic: string; partition: number }, consumerId: string, host: string, clientId: string): OffsetRow => {
    const current = committed.get(tpKey(tp.topic, tp.partition));
    const end = ends.get(tpKey(tp.topic, tp.partition));
    return {
      group: group.groupId, topic: tp.topic, partition: tp.partition, current, logEnd: end,
      lag: current !== undefined && end !== undefined ? end - current : undefined, consumerId, host, clientId,
    };
  };
  const byPartition = (a: { partition: number }, b: { partition: number }) => a.partition - b.partition;
  return [
    ...members.flatMap((m) => [...m.assignment].sort(byPartition).map((tp) => row(tp, m.memberId, m.host, m.clientId))),
    ...unassigned.sort(byPartition).map((tp) => row(tp, '-', '-', '-')),
  ];
}

/** ListOffsets(latest) per topic: the high watermark, which the tool shows as LOG-END-OFFSET. */
async function logEndOffsets(conn: KafkaConnection, partitions: Array<{ topic: string; partition: number }>): Promise<Map<TopicPartitionKey, bigint>> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  const out = new Map<TopicPartitionKey, bigint>();
  for (const [topic, ps] of byTopic) {
    try {
      for (const [p, o] of await listOffsets(conn, topic, ps, LATEST)) out.set(tpKey(topic, p), o);
    } catch { /* unknown: the column shows "-" */ }
  }
  return out;
}

async function remove(conn: KafkaConnection, groups: string[]): Promise<void> {
  const results = new Map<string, number>();
  for (const groupId of groups) {
    const coordinator = await coordinatorFor(conn, groupId);
    try {
      for (const [g, code] of await deleteGroups(coordinator, [groupId])) results.set(g, code);
    } finally {
      coordinator.close();
    }
  }
  const ok = [...results].filter(([, code]) => code === 0).map(([g]) => g);
  const failed = [...results].filter(([, code]) => code !== 0);
  if (failed.length === 0) {
    process.stdout.write(`Deletion of requested consumer groups ('${ok.join(', ')}') was successful.\n`);
    return;
  }
  process.stdout.write('\nError: Deletion of some consumer groups failed:\n');
  // The Java tool prints the ExecutionException that wraps the group's error.
  for (const [g, code] of failed) process.stdout.write(`* Group '${g}' could not be deleted due to: java.util.concurrent.ExecutionException: ${errorText(code)}\n`);
  if (ok.length > 0) process.stdout.write(`\nThese consumer groups were deleted successfully: '${ok.join("', '")}'\n`);
  process.exitCode = 1;
}

/** "org.apache.kafka.common.errors.XxxException: message" as the Java tools print an exception. */
function errorText(code: number): string {
  const name = kafkaErrorName(code);
  if (!name) return `error code ${code}`;
  const exception = name.toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
  return `org.apache.kafka.common.errors.${EXCEPTION_NAMES[name] ?? `${exception}Exception`}: ${KafkaErrors[name].message}`;
}

/** Errors whose exception class name is not the CamelCase of the error name. */
const EXCEPTION_NAMES: Partial<Record<string, string>> = {
  NON_EMPTY_GROUP: 'GroupNotEmptyException',
  GROUP_ID_NOT_FOUND: 'GroupIdNotFoundException',
  COORDINATOR_NOT_AVAILABLE: 'CoordinatorNotAvailableException',
};

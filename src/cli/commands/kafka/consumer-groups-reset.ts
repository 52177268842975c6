/**
 * `consumer-groups --reset-offsets` (ConsumerGroupService.resetOffsets / prepareOffsetsToReset):
 * only while the group is Empty (or Dead); the new offsets are committed with --execute and only
 * shown otherwise; an offset outside [log start, log end] is clamped with Kafka's warning.
 */
import { describeTopics, EARLIEST, LATEST, listOffsets } from '../../../kafka/client/admin.js';
import type { KafkaConnection } from '../../../kafka/client/connection.js';
import { commitGroupOffsets, coordinatorFor, describeGroup, groupOffsets, tpKey, tpOf, type TopicPartitionKey } from '../../../kafka/client/group-admin.js';
import { UsageError, type Args } from '../../args.js';
import type { ResetRow } from './consumer-groups-format.js';

const SCENARIOS = ['to-earliest', 'to-latest', 'to-offset', 'to-current', 'shift-by'] as const;

export async function resetOffsets(conn: KafkaConnection, args: Args, groups: string[]): Promise<{ rows: ResetRow[]; groupsHandled: number }> {
  const scenarios = SCENARIOS.filter((s) => args.flag(s) || args.string(s) !== undefined);
  if (scenarios.length !== 1) {
    throw new UsageError(`Option '[reset-offsets]' requires one of the following scenarios: [${SCENARIOS.map((s) => `[${s}]`).join(', ')}]`, args.usage);
  }
  if (args.flag('execute') && args.flag('dry-run')) throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]', args.usage);
  if (!args.flag('execute') && !args.flag('dry-run')) {
    process.stderr.write('WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of ' +
      'this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option ' +
      'explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n');
  }
  const rows: ResetRow[] = [];
  for (const groupId of groups) {
    const coordinator = await coordinatorFor(conn, groupId);
    try {
      const group = await describeGroup(coordinator, groupId);
      if (group.state !== 'Empty' && group.state !== 'Dead') {
        process.stdout.write(`\nError: Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${group.state}.\n`);
        process.exitCode = 1;
        continue;
      }
      const committed = await groupOffsets(coordinator, groupId);
      const partitions = await partitionsToReset(conn, args, committed);
      const offsets = await prepare(conn, args, scenarios[0]!, partitions, committed);
      if (args.flag('execute')) await commitGroupOffsets(coordinator, groupId, offsets);
      for (const [key, offset] of offsets) rows.push({ group: groupId, ...tpOf(key), offset });
    } finally {
      coordinator.close();
    }
  }
  rows.sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { rows, groupsHandled: groups.length };
}

/** --all-topics: every committed partition; --topic T or T:0,1: those partitions (all of T when none given). */
async function partitionsToReset(conn: KafkaConnection, args: Args, committed: Map<TopicPartitionKey, bigint>): Promise<TopicPartitionKey[]> {
  if (args.flag('all-topics')) return [...committed.keys()];
  const specs = args.strings('topic');
  if (specs.length === 0) throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.', args.usage);
  const out: TopicPartitionKey[] = [];
  for (const spec of specs) {
    const at = spec.indexOf(':');
    const topic = at < 0 ? spec : spec.slice(0, at);
    let partitions: number[];
    if (at >= 0) partitions = spec.slice(at + 1).split(',').map((p) => Number(p.trim()));
    else {
      const [info] = await describeTopics(conn, [topic]);
      if (!info || info.errorCode !== 0) throw new Error(`Topic ${topic} does not exist`);
      partitions = info.partitions.map((p) => p.partition);
    }
    for (const p of partitions) out.push(tpKey(topic, p));
  }
  return out;
}

async function prepare(conn: KafkaConnection, args: Args, scenario: (typeof SCENARIOS)[number], partitions: TopicPartitionKey[],
  committed: Map<TopicPartitionKey, bigint>): Promise<Map<TopicPartitionKey, bigint>> {
  const earliest = await offsetsAt(conn, partitions, EARLIEST);
  const latest = await offsetsAt(conn, partitions, LATEST);
  const out = new Map<TopicPartitionKey, bigint>();
  for (const key of partitions) {
    const start = earliest.get(key) ?? 0n;
    const end = latest.get(key) ?? 0n;
    let target: bigint;
    switch (scenario) {
      case 'to-earliest': target = start; break;
      case 'to-latest': target = end; break;
      case 'to-offset': target = BigInt(args.string('to-offset')!); break;
      case 'to-current': target = committed.get(key) ?? end; break;
      case 'shift-by': target = (committed.get(key) ?? end) + BigInt(args.string('shift-by')!); break;
    }
    out.set(key, clamp(key, target, start, end));
  }
  return out;
}

/** checkOffsetRange: the warnings ConsumerGroupCommand logs, then the nearest valid offset. */
function clamp(key: TopicPartitionKey, offset: bigint, start: bigint, end: bigint): bigint {
  const { topic, partition } = tpOf(key);
  if (offset > end) {
    process.stderr.write(`WARN New offset (${offset}) is higher than latest offset for topic partition ${topic}-${partition}. Value will be set to ${end}\n`);
    return end;
  }
  if (offset < start) {
    process.stderr.write(`WARN New offset (${offset}) is lower than earliest offset for topic partition ${topic}-${partition}. Value will be set to ${start}\n`);
    return start;
  }
  return offset;
}

async function offsetsAt(conn: KafkaConnection, partitions: TopicPartitionKey[], timestamp: bigint): Promise<Map<TopicPartitionKey, bigint>> {
  const byTopic = new Map<string, number[]>();
  for (const key of partitions) { const { topic, partition } = tpOf(key); byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]); }
  const out = new Map<TopicPartitionKey, bigint>();
  for (const [topic, ps] of byTopic) for (const [p, o] of await listOffsets(conn, topic, ps, timestamp)) out.set(tpKey(topic, p), o);
  return out;
}

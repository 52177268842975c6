import type { StateMachine } from '../../core/state/state-machine.js';

/** One topic as the broker's metadata keeps it (Kafka's TopicRecord + its ConfigRecords). */
export interface TopicRecord {
  /** Kafka's topic id (a UUID in Kafka's base64 form), fixed at creation. */
  readonly id: string;
  readonly partitions: number;
  /** Topic-level config overrides (retention.ms, segment.bytes …) as the client gave them. */
  readonly configs: Readonly<Record<string, string>>;
}

export interface TopicsState {
  /** Metadata v2+ cluster_id: chosen once, at the first start, and logged so it never changes. */
  clusterId: string | null;
  topics: Map<string, TopicRecord>;
  /** Producer ids below this were handed out in blocks (Kafka's ProducerIdManager): never reused. */
  producerIdsAllocatedUpTo: number;
}

/** Mutations of the topic metadata; each carries everything apply needs (principle 1). */
export type TopicCommand =
  | { type: 'setClusterId'; clusterId: string }
  | { type: 'createTopic'; name: string; topicId: string; partitions: number; configs: Record<string, string> }
  | { type: 'deleteTopic'; name: string }
  /** Replace a topic's config overrides (AlterConfigs / IncrementalAlterConfigs, Kafka's ConfigRecord). */
  | { type: 'setTopicConfigs'; name: string; configs: Record<string, string> }
  /** Grow a topic to `partitions` (CreatePartitions, Kafka's PartitionRecord). */
  | { type: 'createPartitions'; name: string; partitions: number }
  /** Producer ids [start, end) are taken (Kafka's ProducerIdsRecord). */
  | { type: 'allocateProducerIds'; start: number; end: number };

export type TopicResult = { ok: true } | { ok: false; error: 'TOPIC_ALREADY_EXISTS' | 'UNKNOWN_TOPIC_OR_PARTITION' };

interface TopicsImage { clusterId: string | null; topics: Array<[string, TopicRecord]>; producerIdsAllocatedUpTo?: number }

/**
 * The broker's topic metadata as a deterministic state machine (in Kafka the controller's
 * metadata log of TopicRecord/PartitionRecord/RemoveTopicRecord): the partition data lives in one
 * PartitionLog per partition, this model only says which exist.
 */
export const topicsMachine: StateMachine<TopicsState, TopicCommand> = {
  initial: () => ({ clusterId: null, topics: new Map(), producerIdsAllocatedUpTo: 0 }),
  apply(state, command): TopicResult {
    switch (command.type) {
      case 'setClusterId':
        state.clusterId ??= command.clusterId;
        return { ok: true };
      case 'createTopic':
        if (state.topics.has(command.name)) return { ok: false, error: 'TOPIC_ALREADY_EXISTS' };
        state.topics.set(command.name, { id: command.topicId, partitions: command.partitions, configs: { ...command.configs } });
        return { ok: true };
      case 'deleteTopic':
        return state.topics.delete(command.name) ? { ok: true } : { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' };
      case 'setTopicConfigs': {
        const topic = state.topics.get(command.name);
        if (!topic) return { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' };
        state.topics.set(command.name, { ...topic, configs: { ...command.configs } });
        return { ok: true };
      }
      case 'createPartitions': {
        const topic = state.topics.get(command.name);
        if (!topic) return { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' };
        // Only growth: a replayed or stale command never shrinks a topic.
        state.topics.set(command.name, { ...topic, partitions: Math.max(topic.partitions, command.partitions) });
        return { ok: true };
      }
      case 'allocateProducerIds':
        state.producerIdsAllocatedUpTo = Math.max(state.producerIdsAllocatedUpTo, command.end);
        return { ok: true };
    }
  },
  snapshot: (state): TopicsImage => ({ clusterId: state.clusterId, topics: [...state.topics], producerIdsAllocatedUpTo: state.producerIdsAllocatedUpTo }),
  restore(image) {
    const { clusterId, topics, producerIdsAllocatedUpTo } = image as TopicsImage;
    return { clusterId, topics: new Map(topics), producerIdsAllocatedUpTo: producerIdsAllocatedUpTo ?? 0 };
  },
};

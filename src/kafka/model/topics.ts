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
}

/** Mutations of the topic metadata; each carries everything apply needs (principle 1). */
export type TopicCommand =
  | { type: 'setClusterId'; clusterId: string }
  | { type: 'createTopic'; name: string; topicId: string; partitions: number; configs: Record<string, string> }
  | { type: 'deleteTopic'; name: string };

export type TopicResult = { ok: true } | { ok: false; error: 'TOPIC_ALREADY_EXISTS' | 'UNKNOWN_TOPIC_OR_PARTITION' };

interface TopicsImage { clusterId: string | null; topics: Array<[string, TopicRecord]> }

/**
 * The broker's topic metadata as a deterministic state machine (in Kafka the controller's
 * metadata log of TopicRecord/PartitionRecord/RemoveTopicRecord): the partition data lives in one
 * PartitionLog per partition, this model only says which exist.
 */
export const topicsMachine: StateMachine<TopicsState, TopicCommand> = {
  initial: () => ({ clusterId: null, topics: new Map() }),
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
    }
  },
  snapshot: (state): TopicsImage => ({ clusterId: state.clusterId, topics: [...state.topics] }),
  restore(image) {
    const { clusterId, topics } = image as TopicsImage;
    return { clusterId, topics: new Map(topics) };
  },
};

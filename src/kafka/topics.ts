import { randomBytes } from 'node:crypto';
import { readdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { PersonalityStorage } from '../core/personality.js';
import type { DurableStore } from '../core/state/durable-store.js';
import type { RawLog, StoreOptions } from '../core/storage/storage.js';
import { KafkaApiError } from './errors.js';
import { KafkaLogError } from './log/errors.js';
import { PartitionLog, partitionStoreName } from './log/partition-log.js';
import { topicsMachine, type TopicCommand, type TopicRecord, type TopicResult, type TopicsState } from './model/topics.js';
import { ProducerIdAllocator } from './producer-ids.js';
import type { KafkaConfig } from './settings.js';
import { effectiveTopicConfig, type EffectiveTopicConfig } from './topic-configs.js';

/** A new Kafka Uuid (topic id, cluster id) in Kafka's text form: 16 random bytes, URL-safe base64
 *  without padding (Uuid.toString). */
export function newKafkaUuid(): string { return randomBytes(16).toString('base64url'); }

/**
 * Partitions this broker holds at most, over all topics. Each open partition keeps a file
 * descriptor and some memory; past the process's descriptor limit a creation would be durable but
 * its logs could not be opened (nor at the next start). Kafka has no such bound (KIP-578 proposed
 * one); a creation above it is refused with INVALID_PARTITIONS.
 */
export const MAX_PARTITIONS = 10_000;

/** Kafka's producer.id.expiration.ms default: an idempotent producer silent this long is forgotten
 *  (its next batch is then accepted at any sequence, as from a new producer). */
export const PRODUCER_ID_EXPIRATION_MS = 86_400_000;

interface OpenTopic { record: TopicRecord; config: EffectiveTopicConfig; partitions: PartitionLog[] }

/** The partition logs' view of the personality's storage: `kafka/<topic>-<p>` → data/kafka/<topic>-<p>. */
function partitionStorage(storage: PersonalityStorage): { dirOf(name: string): string; rawLog(name: string, opts?: StoreOptions): Promise<RawLog> } {
  const local = (name: string): string => name.slice('kafka/'.length);
  return { dirOf: (name) => join(storage.dir, local(name)), rawLog: (name, opts) => storage.rawLog(local(name), opts) };
}

/**
 * The broker's topics: their metadata in a command store (model/topics.ts) and one PartitionLog per
 * partition under data/kafka/<topic>-<partition>/. Creations and deletions run one at a time, so
 * a topic's logs are opened or removed before the next change to it starts.
 */
export class TopicService {
  /** InitProducerId's ids, from blocks logged in this service's store. */
  readonly producerIds = new ProducerIdAllocator(this);
  private readonly open = new Map<string, OpenTopic>();
  /** Topic id → name, for the APIs that name topics by id (Metadata v12, Fetch v13+, DeleteTopics v6). */
  private readonly namesById = new Map<string, string>();
  private changes: Promise<unknown> = Promise.resolve();

  private constructor(private readonly store: DurableStore<TopicsState, TopicCommand>, private readonly storage: PersonalityStorage,
    private readonly settings: KafkaConfig, private readonly clock: Clock, private readonly logger: Logger) {}

  static async open(storage: PersonalityStorage, settings: KafkaConfig, clock: Clock, logger: Logger): Promise<TopicService> {
    const store = await storage.commandStore(topicsMachine);
    const service = new TopicService(store, storage, settings, clock, logger);
    try {
      if (store.state.clusterId === null) await store.submit({ type: 'setClusterId', clusterId: newKafkaUuid() });
      service.setAsideStrayPartitionDirs();
      for (const [name, record] of store.state.topics) await service.openTopic(name, record);
    } catch (err) {
      await service.close();
      throw err;
    }
    return service;
  }

  get clusterId(): string { return this.store.state.clusterId!; }

  /** Topic names, sorted (Metadata lists all topics in this order). */
  names(): string[] { return [...this.open.keys()].sort(); }

  topic(name: string): TopicRecord | undefined { return this.open.get(name)?.record; }

  /** The name of the topic with this id (Kafka's MetadataCache.getTopicName), if it exists. */
  nameOfId(topicId: string): string | undefined { return this.namesById.get(topicId); }

  config(name: string): EffectiveTopicConfig | undefined { return this.open.get(name)?.config; }

  partition(topic: string, partition: number): PartitionLog | undefined { return this.open.get(topic)?.partitions[partition]; }

  /** Counts for `junction status`. */
  status(): { topics: number; partitions: number; bytes: number } {
    let partitions = 0;
    let bytes = 0;
    for (const t of this.open.values()) {
      partitions += t.partitions.length;
      for (const p of t.partitions) bytes += p.sizeBytes;
    }
    return { topics: this.open.size, partitions, bytes };
  }

  /** Bytes of each topic's partition segments (Kafka's per-partition Log Size, summed per topic). */
  logSizes(): Map<string, number> {
    const sizes = new Map<string, number>();
    for (const [name, t] of this.open) sizes.set(name, t.partitions.reduce((sum, p) => sum + p.sizeBytes, 0));
    return sizes;
  }

  /**
   * Create a topic (checked by the caller: name, partitions, configs) once its command is durable,
   * then open its partitions. TOPIC_ALREADY_EXISTS as Kafka words it.
   */
  create(name: string, partitions: number, configs: Record<string, string>): Promise<void> {
    return this.serially(async () => {
      if (this.open.has(name)) throw new KafkaApiError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`);
      this.checkPartitionLimit(partitions);
      const result = await this.store.submit<TopicResult>({ type: 'createTopic', name, topicId: newKafkaUuid(), partitions, configs });
      if (!result.ok) throw new KafkaApiError(result.error, `Topic '${name}' already exists.`);
      await this.openTopic(name, this.store.state.topics.get(name)!);
      this.logger.info({ topic: name, partitions }, 'kafka topic created');
    });
  }

  /** Refuse a creation that would take the broker past MAX_PARTITIONS (checked again inside create). */
  checkPartitionLimit(adding: number): void {
    let held = 0;
    for (const t of this.open.values()) held += t.partitions.length;
    if (held + adding > MAX_PARTITIONS) {
      throw new KafkaApiError('INVALID_PARTITIONS', `Creating ${adding} partitions would take this broker to ${held + adding}, ` +
        `above its limit of ${MAX_PARTITIONS} partitions.`);
    }
  }

  /** Delete a topic: the command first (durable), then its partitions' logs, a journal checkpoint,
   *  and their directories. */
  delete(name: string): Promise<void> {
    return this.serially(async () => {
      const topic = this.open.get(name);
      if (!topic) throw new KafkaApiError('UNKNOWN_TOPIC_OR_PARTITION');
      await this.store.submit<TopicResult>({ type: 'deleteTopic', name });
      this.open.delete(name);
      this.namesById.delete(topic.record.id);
      await Promise.all(topic.partitions.map((p) => p.close()));
      // Nothing of the closed logs may stay in the journal once their directories are gone: a crash
      // would leave records of a missing log (or of an older log of a name created again).
      await this.storage.checkpoint();
      // On libuv's pool: rmSync of a large partition held the event loop (~290 ms a GiB here).
      await Promise.all(topic.partitions.map((_, p) => this.removePartitionDir(name, p)));
      this.logger.info({ topic: name }, 'kafka topic deleted');
    });
  }

  /**
   * Replace a topic's config overrides by `change` of the current ones (it checks them and throws the
   * Kafka error) once logged, and apply them to the
   * open topic: retention at the next check, max.message.bytes at the next Produce, segment.bytes and
   * message.timestamp.type at the next append (Kafka's DynamicConfigManager → LogManager.updateTopicConfig).
   */
  alterConfigs(name: string, change: (current: Readonly<Record<string, string>>) => Record<string, string>, validateOnly = false): Promise<void> {
    return this.serially(async () => {
      const topic = this.open.get(name);
      if (!topic) throw new KafkaApiError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${name}' does not exist.`);
      // Computed here, one change at a time, so two concurrent incremental changes both apply.
      const configs = change(topic.record.configs);
      if (validateOnly) return;
      const result = await this.store.submit<TopicResult>({ type: 'setTopicConfigs', name, configs });
      if (!result.ok) throw new KafkaApiError(result.error);
      topic.record = this.store.state.topics.get(name)!;
      topic.config = effectiveTopicConfig(topic.record.configs, this.settings);
      for (const p of topic.partitions) p.reconfigure(topic.config.log);
      this.logger.info({ topic: name, configs }, 'kafka topic configs altered');
    });
  }

  /** Grow a topic to `count` partitions (checked by the caller) once logged, opening the new ones. */
  addPartitions(name: string, count: number): Promise<void> {
    return this.serially(async () => {
      const topic = this.open.get(name);
      if (!topic) throw new KafkaApiError('UNKNOWN_TOPIC_OR_PARTITION');
      if (count <= topic.partitions.length) return;
      this.checkPartitionLimit(count - topic.partitions.length);
      const result = await this.store.submit<TopicResult>({ type: 'createPartitions', name, partitions: count });
      if (!result.ok) throw new KafkaApiError(result.error);
      const added: PartitionLog[] = [];
      for (let p = topic.partitions.length; p < count; p++) {
        added.push(await PartitionLog.open(partitionStorage(this.storage), name, p, { ...topic.config.log, now: () => this.clock.now() }));
      }
      // Metadata shows the new partitions only once their logs are open.
      topic.partitions.push(...added);
      topic.record = this.store.state.topics.get(name)!;
      this.logger.info({ topic: name, partitions: count }, 'kafka topic partitions added');
    });
  }

  /** Take the next block of `size` producer ids, logged before it is used (ProducerIdManager). */
  allocateProducerIds(size: number): Promise<{ start: number; end: number }> {
    return this.serially(async () => {
      const start = this.store.state.producerIdsAllocatedUpTo;
      await this.store.submit<TopicResult>({ type: 'allocateProducerIds', start, end: start + size });
      return { start, end: start + size };
    });
  }

  /** Retention (log.retention.check.interval.ms): drop whole old segments of every partition, and
   *  forget idempotent producers silent for producer.id.expiration.ms. */
  async enforceRetention(): Promise<number> {
    let removed = 0;
    const producerCutoff = this.clock.now() - PRODUCER_ID_EXPIRATION_MS;
    for (const topic of this.open.values()) {
      for (const p of topic.partitions) p.expireProducers(producerCutoff);
      const { retentionMs, retentionBytes } = topic.config;
      if (retentionMs < 0 && retentionBytes < 0) continue;
      for (const p of topic.partitions) {
        removed += await p.retain({
          ...(retentionBytes >= 0 ? { maxBytes: retentionBytes } : {}),
          ...(retentionMs >= 0 ? { maxAgeMs: retentionMs } : {}),
          now: this.clock.now(),
        });
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    await this.changes;
    const all = [...this.open.values()].flatMap((t) => t.partitions);
    this.open.clear();
    this.namesById.clear();
    await Promise.allSettled(all.map((p) => p.close()));
    await this.store.close();
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.changes.then(fn);
    this.changes = run.catch(() => undefined);
    return run;
  }

  private async openTopic(name: string, record: TopicRecord): Promise<void> {
    const config = effectiveTopicConfig(record.configs, this.settings);
    const logs: PartitionLog[] = [];
    try {
      for (let p = 0; p < record.partitions; p++) {
        const log = await PartitionLog.open(partitionStorage(this.storage), name, p, { ...config.log, now: () => this.clock.now() });
        logs.push(log);
        const stoppedBy = log.producerRebuild.stoppedBy;
        if (stoppedBy) this.logger.warn({ topic: name, partition: p, err: stoppedBy }, 'kafka producer state rebuilt only in part');
      }
    } catch (err) {
      await Promise.allSettled(logs.map((l) => l.close()));
      throw err;
    }
    this.open.set(name, { record, config, partitions: logs });
    this.namesById.set(record.id, name);
  }

  /**
   * A deletion is logged before the partition directories go; a crash in between (or a journal
   * replay that restores a deleted log's tail) leaves directories of a topic the model does not
   * have. They are renamed aside, never deleted at start (ARCHITECTURE principle 9), as Kafka
   * renames stray partition directories to `-stray` (KIP-858), so a topic created later under
   * that name starts empty and the operator can still look at the bytes.
   */
  private setAsideStrayPartitionDirs(): void {
    const topics = this.store.state.topics;
    for (const entry of readdirSync(this.storage.dir, { withFileTypes: true })) {
      const match = /^(.+)-(\d+)$/.exec(entry.name);
      if (!entry.isDirectory() || !match) continue;
      const topic = topics.get(match[1]!);
      if (topic && Number(match[2]) < topic.partitions) continue;
      const aside = join(this.storage.dir, `${entry.name}.${this.clock.now()}-stray`);
      this.logger.warn({ dir: join(this.storage.dir, entry.name), renamedTo: aside }, 'kafka partition directory of no known topic set aside');
      renameSync(join(this.storage.dir, entry.name), aside);
    }
  }

  private removePartitionDir(topic: string, partition: number): Promise<void> {
    return rm(partitionStorage(this.storage).dirOf(partitionStoreName(topic, partition)), { recursive: true, force: true });
  }
}

/** The topic name rule of Kafka's Topic.validate, as a KafkaApiError (INVALID_TOPIC_EXCEPTION). */
export function checkTopicName(name: string): void {
  try { partitionStoreName(name, 0); } catch (err) {
    if (err instanceof KafkaLogError) throw new KafkaApiError('INVALID_TOPIC_EXCEPTION', err.message);
    throw err;
  }
}

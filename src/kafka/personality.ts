import type { PersonalityContext, RunningPersonality } from '../core/personality.js';
import { GroupService, type GroupServiceSettings } from './groups/service.js';
import { registerGroupMetrics, registerKafkaMetrics } from './metrics.js';
import { KafkaServer } from './server.js';
import type { KafkaConfig } from './settings.js';
import { TopicService } from './topics.js';

/** The running Kafka personality; its tests reach the server and topics through this type. */
export interface RunningKafka extends RunningPersonality {
  readonly server: KafkaServer;
  readonly topics: TopicService;
  readonly groups: GroupService;
}

/** Open the topic store and partition logs, then listen on the Kafka port (see plugin.ts). */
export async function openKafka(ctx: PersonalityContext<KafkaConfig>): Promise<RunningKafka> {
  const settings = ctx.settings;
  const topics = await TopicService.open(ctx.storage, settings, ctx.clock, ctx.logger);
  let groups: GroupService;
  try {
    groups = await GroupService.open(ctx.storage, topics, ctx.clock, groupSettings(settings), ctx.logger);
    // A crash between a topic's deletion and its offsets' leaves offsets of a missing topic.
    await groups.dropOffsetsOfMissingTopics((topic) => topics.topic(topic) !== undefined);
  } catch (err) {
    await topics.close();
    throw err;
  }
  let server: KafkaServer | null = null;
  const metrics = registerKafkaMetrics(ctx.metrics, () => (server ? { ...topics.status(), connections: server.listener.connections.size } : null),
    () => (server ? topics.logSizes() : null));
  registerGroupMetrics(ctx.metrics, () => (server ? groups.stats() : null));
  const running = server = new KafkaServer(settings, topics, groups, ctx.bind, ctx.logger, metrics,
    { users: ctx.users, authRequired: ctx.authRequired });
  let port: number;
  try {
    port = await running.listen(ctx.bind, settings.port);
  } catch (err) {
    await groups.close();
    await topics.close();
    throw err;
  }
  const retention = ctx.clock.setInterval(() => {
    topics.enforceRetention().catch((err: unknown) => ctx.logger.error({ err }, 'kafka retention check failed'));
  }, settings.retentionCheckIntervalMs);
  return {
    server: running,
    topics,
    groups,
    ports: () => ({ kafka: port }),
    url: (host) => `${host}:${port}`,
    status: () => ({ ...topics.status(), groups: groups.list().length }),
    async close() {
      retention.cancel();
      await running.close();
      await groups.close();
      await topics.close();
    },
  };
}

function groupSettings(s: KafkaConfig): GroupServiceSettings {
  return {
    initialRebalanceDelayMs: s.groupInitialRebalanceDelayMs, minSessionTimeoutMs: s.groupMinSessionTimeoutMs,
    maxSessionTimeoutMs: s.groupMaxSessionTimeoutMs, offsetsRetentionMs: s.offsetsRetentionMinutes * 60_000,
  };
}

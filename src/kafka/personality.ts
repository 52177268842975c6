import type { PersonalityContext, RunningPersonality } from '../core/personality.js';
import { registerKafkaMetrics } from './metrics.js';
import { KafkaServer } from './server.js';
import type { KafkaConfig } from './settings.js';
import { TopicService } from './topics.js';

/** The running Kafka personality; its tests reach the server and topics through this type. */
export interface RunningKafka extends RunningPersonality {
  readonly server: KafkaServer;
  readonly topics: TopicService;
}

/** Open the topic store and partition logs, then listen on the Kafka port (see plugin.ts). */
export async function openKafka(ctx: PersonalityContext<KafkaConfig>): Promise<RunningKafka> {
  const settings = ctx.settings;
  const topics = await TopicService.open(ctx.storage, settings, ctx.clock, ctx.logger);
  let server: KafkaServer | null = null;
  const metrics = registerKafkaMetrics(ctx.metrics, () => (server ? { ...topics.status(), connections: server.listener.connections.size } : null));
  const running = server = new KafkaServer(settings, topics, ctx.bind, ctx.logger, metrics,
    { users: ctx.users, authRequired: ctx.authRequired });
  let port: number;
  try {
    port = await running.listen(ctx.bind, settings.port);
  } catch (err) {
    await topics.close();
    throw err;
  }
  const retention = ctx.clock.setInterval(() => {
    topics.enforceRetention().catch((err: unknown) => ctx.logger.error({ err }, 'kafka retention check failed'));
  }, settings.retentionCheckIntervalMs);
  return {
    server: running,
    topics,
    ports: () => ({ kafka: port }),
    url: (host) => `${host}:${port}`,
    status: () => topics.status(),
    async close() {
      retention.cancel();
      await running.close();
      await topics.close();
    },
  };
}

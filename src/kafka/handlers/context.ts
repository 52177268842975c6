import type { Logger } from '../../core/logger.js';
import type { GroupService } from '../groups/service.js';
import type { KafkaMetrics } from '../metrics.js';
import type { KafkaConfig } from '../settings.js';
import type { TopicService } from '../topics.js';

/** What every handler may use: the broker's settings, topics, metrics and its advertised address. */
export interface BrokerContext {
  readonly settings: KafkaConfig;
  readonly topics: TopicService;
  /** The group coordinator and committed offsets (src/kafka/groups/). */
  readonly groups: GroupService;
  readonly logger: Logger;
  readonly metrics: KafkaMetrics;
  /** The address Metadata gives clients (advertised.listeners, or the bind address and port). */
  advertised(): { host: string; port: number };
}

/** One request as its handler sees it. */
export interface RequestContext {
  readonly broker: BrokerContext;
  readonly apiVersion: number;
  readonly clientId: string | null;
  readonly connectionId: number;
  /** The client's address as Kafka shows it in DescribeGroups (InetAddress.toString: "/127.0.0.1"). */
  readonly clientHost: string;
  /** Aborted when the connection closes (a parked Fetch stops waiting). */
  readonly signal: AbortSignal;
  /** Close the connection after the responses it owes (logged with `reason`). */
  close(reason: string): void;
  /** Drop the connection over an unexpected error (logged once). */
  fail(err: unknown): void;
}

/** A handler's answer when the request gets no response at all (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no response');

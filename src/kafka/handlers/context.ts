import type { Logger } from '../../core/logger.js';
import type { KafkaAuthorizer, KafkaOperation, KafkaResourceType } from '../auth/authorizer.js';
import type { SaslAuthenticator } from '../auth/sasl-authenticator.js';
import type { SaslCredentials } from '../auth/sasl-server.js';
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
  /** Per-topic/group permissions from the shared user store (auth/authorizer.ts). */
  readonly authorizer: KafkaAuthorizer;
  /** What SASL checks credentials against, and whether --auth requires it. */
  readonly saslCredentials: SaslCredentials;
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
  /** The SASL-authenticated user; null when not authenticated (--auth off). */
  readonly principal: string | null;
  /** The connection's SASL state (the SaslHandshake and SaslAuthenticate handlers drive it). */
  readonly sasl: SaslAuthenticator;
  /** May this connection's principal do `operation` on the resource (always true with --auth
   *  off)? e.g. `ctx.authorize('READ', 'group', groupId)`, `ctx.authorize('WRITE', 'topic', name)`. */
  authorize(operation: KafkaOperation, type: KafkaResourceType, name?: string): boolean;
  /** May the principal do `operation` on some resource of the type (Kafka's authorizeByResourceType)?
   *  e.g. InitProducerId: `ctx.authorize('IDEMPOTENT_WRITE', 'cluster') || ctx.authorizeByResourceType('WRITE', 'topic')`. */
  authorizeByResourceType(operation: KafkaOperation, type: KafkaResourceType): boolean;
  /** Close the connection after the responses it owes (logged with `reason`). */
  close(reason: string): void;
  /** Drop the connection over an unexpected error (logged once). */
  fail(err: unknown): void;
}

/** A handler's answer when the request gets no response at all (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no response');

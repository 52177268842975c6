import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { AuthService } from './auth/auth-service.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { MetricsScope } from './metrics/registry.js';
import type { SettingsGroup } from './settings/group.js';
import type { DurableStore } from './state/durable-store.js';
import type { Command, StateMachine } from './state/state-machine.js';
import type { CommandStoreOptions, RawLog, StoreOptions } from './storage/storage.js';

/**
 * The contract every personality implements (ARCHITECTURE principle 8). Core knows a personality
 * only through it: the registry (src/personalities.ts) lists them, and the app, the admin port,
 * `junction status`, the start usage and the test helpers loop over that list. Nothing outside a
 * personality's folder knows its model.
 */
export interface Personality<S extends object = object> {
  /** Registry name: --enable value, config file section, flag prefix, metric prefix, data/<name>. */
  readonly name: string;
  /** For people: "ZooKeeper 3.8". */
  readonly title: string;
  /** Declared in the personality's folder, cheap to import (the usage text needs them without
   *  loading the personality's code). */
  readonly settings: SettingsGroup<S>;
  /** Load the personality's code (only when it is enabled) and start serving. */
  open(ctx: PersonalityContext<S>): Promise<RunningPersonality>;
}

/** What a personality gets from core: its own settings and the core services it may use. */
export interface PersonalityContext<S> {
  readonly settings: S;
  /** Listen address for every port. */
  readonly bind: string;
  readonly storage: PersonalityStorage;
  readonly clock: Clock;
  /** Carries `personality: <name>` on every line. */
  readonly logger: Logger;
  /** Metric names get the `junction_<name>_` prefix here. */
  readonly metrics: MetricsScope;
  /** A Fastify instance with the bounds every HTTP port keeps (request timeout, per-IP limit). */
  httpApp(options?: FastifyServerOptions): FastifyInstance;
  /** The one user store (users, roles, permissions, tokens) shared by every personality. */
  readonly users: AuthService;
  /** --auth: clients must authenticate against `users` before anything else. */
  readonly authRequired: boolean;
}

/** Stores of one personality under data/<name>, on the server's shared commit cycles, with fsync
 *  time labelled store=<name>. */
export interface PersonalityStorage {
  /** data/<name> */
  readonly dir: string;
  /** The personality's JSON command store (log + snapshots) in data/<name> (or opts.dir),
   *  replaying `machine`. */
  commandStore<St, C extends Command>(machine: StateMachine<St, C>, opts?: CommandStoreOptions): Promise<DurableStore<St, C>>;
  /** A raw-record log kept byte for byte in data/<name>/<log>/ (a Kafka partition, an AMQP queue). */
  rawLog(log: string, opts?: StoreOptions): Promise<RawLog>;
  /** Storage.checkpoint: call it after closing raw logs and before deleting their directories
   *  (a Kafka topic deletion). */
  checkpoint(): Promise<void>;
}

export interface RunningPersonality {
  /** Ports actually bound, by name (`nacos`, `zk` …): what status, the banner and tests show. */
  ports(): Record<string, number>;
  /** Where a client connects, for the start banner (default: host:port of each port). */
  url?(host: string): string;
  /** Counts for `junction status` (znodes, sessions, configs …). */
  status(): Record<string, number>;
  /** Extra routes on the admin port, behind the admin credential when auth is on. */
  adminRoutes?(app: FastifyInstance): void;
  /** Stop accepting, finish what is in flight, close the stores. */
  close(): Promise<void>;
}

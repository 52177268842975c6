import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAdminHttp } from './admin/server.js';
import { createHttpApp, httpLimits } from './core/http/fastify.js';
import { AuthService } from './core/auth/auth-service.js';
import { systemClock, type Clock } from './core/clock.js';
import type { JunctionConfig } from './core/config.js';
import { StorageError } from './core/errors.js';
import type { Logger } from './core/logger.js';
import { Metrics } from './core/metrics/registry.js';
import type { Personality, PersonalityContext, PersonalityStorage, RunningPersonality } from './core/personality.js';
import { Storage } from './core/storage/storage.js';
import { VERSION } from './core/version.js';

/**
 * Data-dir layout version (ARCHITECTURE principle 6); bump with a migration when formats change.
 * 2: data/journal/ (the shared write-ahead journal). A version-1 dir has none, so it opens as it is
 * and is marked 2; a build that reads only version 1 then refuses it rather than ignore a journal
 * holding acknowledged records.
 */
export const DATA_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

export interface StartOptions {
  /** The personalities this build has (src/personalities.ts); tests add fakes. */
  registry: readonly Personality[];
  logger: Logger;
  clock?: Clock;
  metrics?: Metrics;
  /** The commit cycles' fdatasync (default fs.fdatasync): tests hold it to see what waits for it. */
  fdatasync?: (fd: number) => Promise<void>;
}

/** A running Junction: the enabled personalities, the admin port, and the stores behind them. */
export class Junction {
  readonly version = VERSION;
  readonly startedAt: number;
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly config: JunctionConfig,
    readonly logger: Logger,
    readonly clock: Clock,
    readonly metrics: Metrics,
    private readonly storage: Storage,
    readonly auth: AuthService,
    /** Every personality this build has, enabled or not. */
    readonly registry: readonly Personality[],
    /** Open personalities by name, in registry order. */
    private readonly open: ReadonlyMap<string, RunningPersonality>,
    private admin: FastifyInstance | null,
  ) {
    this.startedAt = clock.now();
  }

  static async start(config: JunctionConfig, opts: StartOptions): Promise<Junction> {
    const clock = opts.clock ?? systemClock;
    const { logger } = opts;
    const metrics = opts.metrics ?? new Metrics();
    prepareDataDir(config.dataDir);
    for (const { file, warning } of config.warnings) logger.warn({ file, warning }, 'setting ignored');
    const storage = new Storage({ dataDir: config.dataDir, fsync: config.fsync, logger, metrics,
      ...(opts.fdatasync ? { commit: { fdatasync: opts.fdatasync } } : {}) });
    let auth: AuthService;
    try {
      // Replay the journal into every log before any store reads its log (or refuse, changing nothing).
      await storage.open();
      auth = await AuthService.open({
        storage, authRequired: config.auth, tokenTtlSeconds: config.tokenTtlSeconds,
        adminInit: config.adminInit, adminUser: config.adminUser, logger, clock,
      });
    } catch (err) {
      await storage.close();
      throw err;
    }
    const open = new Map<string, RunningPersonality>();
    const junction = new Junction(config, logger, clock, metrics, storage, auth, opts.registry, open, null);
    try {
      // Personalities are independent: they open (load code, replay stores, bind) side by side.
      const enabled = opts.registry.filter((p) => config.enabled.includes(p.name));
      const opened = await Promise.allSettled(enabled.map((p) => p.open(contextFor(p, config, { storage, auth, clock, logger, metrics }))));
      opened.forEach((result, i) => { if (result.status === 'fulfilled') open.set(enabled[i]!.name, result.value); });
      const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const admin = createAdminHttp(junction, [...open.values()]);
      await admin.listen({ host: config.bind, port: config.adminPort });
      junction.admin = admin;
    } catch (err) {
      await junction.stop();
      throw err;
    }
    logger.info({ bind: config.bind, ports: junction.ports(), dataDir: config.dataDir, auth: config.auth, fsync: config.fsync }, 'junction ready');
    return junction;
  }

  /** A running personality (undefined when not enabled); its own type is its folder's business. */
  personality(name: string): RunningPersonality | undefined { return this.open.get(name); }

  /** Names of the running personalities, in registry order. */
  get enabled(): string[] { return [...this.open.keys()]; }

  /** The ports actually bound (differs from the config when it asked for port 0). */
  ports(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.open.values()) Object.assign(out, p.ports());
    const addr = this.admin?.server.address();
    if (addr && typeof addr === 'object') out.admin = addr.port;
    return out;
  }

  /** Graceful stop: stop accepting, finish in-flight requests, flush and fsync the logs. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.admin?.close();
      // Reverse registry order, then core: nothing a personality uses closes before it does.
      for (const p of [...this.open.values()].reverse()) {
        await p.close().catch((err: unknown) => this.logger.error({ err }, 'personality failed to stop cleanly'));
      }
      await this.auth.close();
      // Whatever a store's owner did not close: commit pending appends, write clean-stop markers.
      await this.storage.close();
      this.logger.info('junction stopped');
    })();
    return this.stopping;
  }
}

interface CoreServices { storage: Storage; auth: AuthService; clock: Clock; logger: Logger; metrics: Metrics }

/** A personality's view of core: its own settings, its storage under data/<name>, scoped logs and metrics. */
function contextFor(p: Personality, config: JunctionConfig, core: CoreServices): PersonalityContext<object> {
  const logger = core.logger.child({ personality: p.name });
  return {
    settings: config.personalities[p.name]!,
    bind: config.bind,
    storage: storageFor(p.name, core.storage),
    clock: core.clock,
    logger,
    metrics: core.metrics.scope(p.name),
    httpApp: (options) => createHttpApp(httpLimits(config), logger, options),
    users: core.auth,
    authRequired: config.auth,
  };
}

/** A personality's stores: data/<name> for its command store (log/ and snapshot/ in it),
 *  data/<name>/<log> for raw logs, whose names therefore cannot be `log` or `snapshot`. */
export function storageFor(name: string, storage: Storage): PersonalityStorage {
  return {
    dir: storage.dirOf(name),
    commandStore: (machine, opts) => storage.commandStore(name, machine, opts),
    rawLog: (log, opts) => {
      if (log === 'log' || log === 'snapshot') {
        return Promise.reject(new StorageError(`${name}: a raw log cannot be named ${JSON.stringify(log)} (the command store's directory)`));
      }
      return storage.rawLog(`${name}/${log}`, { metricLabel: name, ...opts });
    },
    checkpoint: () => storage.checkpoint(),
  };
}

/**
 * mkdir -p of the data dir, one level at a time, so a parent that refuses new entries fails with
 * the OS's error: Node 20's `mkdirSync(dir, { recursive: true })` never returns for a path such as
 * /proc/nope (mkdir answers ENOENT and it retries forever), so `--data-dir /proc/nope` spun at
 * full CPU with no output and ignored SIGTERM.
 */
function makeDataDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && d !== dirname(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StorageError(`cannot create data dir ${dir}: ${(err as Error).message}`);
      }
    }
  }
}

function prepareDataDir(dir: string): void {
  makeDataDir(dir);
  const file = join(dir, 'VERSION');
  const found = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : DATA_VERSION;
  if (!READABLE_VERSIONS.includes(found)) {
    throw new StorageError(`data dir ${dir} has layout version ${found}; this Junction reads versions ${READABLE_VERSIONS.join(', ')}`);
  }
  if (found !== DATA_VERSION || !existsSync(file)) writeFileSync(file, `${DATA_VERSION}\n`);
}

import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { PersonalityStorage } from '../core/personality.js';
import type { DurableStore } from '../core/state/durable-store.js';
import { allSessions, containerCandidates, createZkMachine, lastZxid, sessionOf, type ZkState } from './model/index.js';
import type { ApplyResult, SessionId, SessionRecord, ZkCommand } from './model/types.js';
import { SessionTracker } from './session-tracker.js';
import type { ZkSettings } from './server-view.js';
import { ZkWatchTable } from './watches/watch-table.js';

/** What a connection needs from the service when its session closes or expires. */
export interface SessionOwner { sessionClosed(): void }

/**
 * The ZooKeeper personality's state: the durable tree (DurableStore over the model), live-session
 * deadlines, the watch table, and which connection owns which session. Connections call submit();
 * the apply listener fires watches before the submitter's reply is built, as ZooKeeper's
 * FinalRequestProcessor applies the txn (firing watches) before it sends the response.
 */
export class ZkService {
  readonly watches = new ZkWatchTable();
  readonly tracker: SessionTracker;
  private readonly owners = new Map<SessionId, SessionOwner>();
  private readonly applyHooks = new WeakMap<ZkCommand, (result: ApplyResult) => void>();
  private nextSessionId: bigint;
  private readonly containerTimer: { cancel(): void };

  private constructor(
    readonly store: DurableStore<ZkState, ZkCommand>,
    readonly settings: ZkSettings,
    readonly clock: Clock,
    readonly logger: Logger,
  ) {
    this.tracker = new SessionTracker(clock, settings.tickTime, (id) => this.expire(id));
    // Sessions survive a restart: each gets a fresh full timeout to reconnect
    // (ZooKeeperServer.loadData → sessionTracker.addSession for every session in the snapshot).
    for (const s of allSessions(store.state)) this.tracker.touch(s.id, s.timeoutMs);
    this.nextSessionId = initialSessionId(clock.now(), allSessions(store.state));
    store.onApply((command, result) => this.applied(command, result as ApplyResult));
    this.containerTimer = clock.setInterval(() => this.removeContainers(), settings.containerCheckMs);
  }

  static async open(settings: ZkSettings, storage: PersonalityStorage, clock: Clock, logger: Logger): Promise<ZkService> {
    const store = await storage.commandStore(createZkMachine({ extendedTypesEnabled: settings.extendedTypesEnabled }), {
      dir: settings.dataDir, snapshotEvery: settings.snapCount, snapshotRetain: settings.snapRetainCount,
      // ZooKeeper's SyncRequestProcessor flushes as soon as its queue runs dry; writes that arrive
      // while an fsync is running share the next one. A fixed gathering delay would only add
      // latency (and cost throughput for a session with few requests in flight).
      log: { batchDelayMs: 0 },
    });
    return new ZkService(store, settings, clock, logger);
  }

  get state(): ZkState { return this.store.state; }
  lastZxid(): number { return lastZxid(this.store.state); }

  /** Log a command; `onApplied` runs synchronously inside its apply, after watches fired. */
  submit(command: ZkCommand, onApplied?: (result: ApplyResult) => void): Promise<ApplyResult> {
    if (onApplied) this.applyHooks.set(command, onApplied);
    return this.store.submit<ApplyResult>(command);
  }

  private applied(command: ZkCommand, result: ApplyResult): void {
    for (const t of result.triggers) this.watches.trigger(t);
    this.applyHooks.get(command)?.(result);
    for (const id of result.closedSessions ?? []) {
      this.tracker.forget(id);
      const owner = this.owners.get(id);
      this.owners.delete(id);
      owner?.sessionClosed();
    }
  }

  /** ZooKeeperServer.createSession: a random password, the next session id, a logged txn. */
  async createSession(timeoutMs: number): Promise<SessionRecord> {
    const id = (this.nextSessionId++).toString(16).padStart(16, '0');
    const passwd = randomBytes(16).toString('base64');
    await this.submit({ type: 'createSession', sessionId: id, timeoutMs, passwd, time: this.clock.now() });
    this.tracker.touch(id, timeoutMs);
    return { id, timeoutMs, passwd };
  }

  /** ZooKeeperServer.reopenSession: the id must be live and the password must match. */
  reopenSession(id: SessionId, passwd: Buffer, timeoutMs: number): boolean {
    const s = sessionOf(this.store.state, id);
    if (!s || !this.tracker.isLive(id) || !Buffer.from(s.passwd, 'base64').equals(passwd)) return false;
    return this.tracker.touch(id, timeoutMs);
  }

  /** The connection now serving a session; an older connection of the same session is closed
   *  (ZooKeeper closes the previous ServerCnxn when a session moves to a new one). */
  own(id: SessionId, owner: SessionOwner): void {
    const previous = this.owners.get(id);
    this.owners.set(id, owner);
    if (previous && previous !== owner) previous.sessionClosed();
  }

  disown(id: SessionId, owner: SessionOwner): void {
    if (this.owners.get(id) === owner) this.owners.delete(id);
  }

  closeSession(id: SessionId, onApplied?: (result: ApplyResult) => void): Promise<ApplyResult> {
    this.tracker.markClosing(id);
    return this.submit({ type: 'closeSession', sessionId: id, time: this.clock.now() }, onApplied);
  }

  /** SessionTracker expiry → a logged closeSession (ZooKeeperServer.expire). */
  private expire(id: SessionId): void {
    this.logger.info({ sessionId: `0x${id}` }, 'zk session expired');
    this.submit({ type: 'closeSession', sessionId: id, time: this.clock.now() })
      .catch((err: unknown) => this.logger.error({ err, sessionId: `0x${id}` }, 'zk session expiry not logged'));
  }

  /** ContainerManager.checkContainers: delete empty containers and expired TTL nodes. */
  private removeContainers(): void {
    for (const path of containerCandidates(this.store.state, this.clock.now())) {
      this.submit({ type: 'deleteContainer', path, time: this.clock.now() })
        .catch((err: unknown) => this.logger.error({ err, path }, 'zk container removal not logged'));
    }
  }

  async close(): Promise<void> {
    this.tracker.stop();
    this.containerTimer.cancel();
    await this.store.close();
  }
}

/** SessionTrackerImpl.initializeNextSessionId: server id 1 in the top byte (standalone), then the
 *  time in ms shifted into the next 40 bits, so ids differ across restarts; never below a
 *  restored session's id. */
function initialSessionId(now: number, existing: SessionRecord[]): bigint {
  let next = ((BigInt(now) << 24n) & 0x00ff_ffff_ffff_ffffn) >> 8n | (1n << 56n);
  for (const s of existing) {
    const id = BigInt(`0x${s.id}`);
    if (id >= next) next = id + 1n;
  }
  return next;
}

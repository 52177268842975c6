/** A GroupService on a ManualClock and a temp-dir store, for the coordinator's unit tests. */
import { rmSync } from 'node:fs';
import { ManualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { PersonalityStorage } from '../../../src/core/personality.js';
import { DurableStore } from '../../../src/core/state/durable-store.js';
import type { JoinRequest } from '../../../src/kafka/groups/coordinator.js';
import type { JoinResult, SyncResult } from '../../../src/kafka/groups/group.js';
import { GroupService, type GroupServiceSettings } from '../../../src/kafka/groups/service.js';
import { tempDir } from '../../helpers/junction.js';

export const SETTINGS: GroupServiceSettings = {
  initialRebalanceDelayMs: 0, minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 1_800_000, offsetsRetentionMs: 10_080 * 60_000,
};

/** Partitions of the fake topics: "t" has 3, log end 100 each. */
export const topics = {
  partition: (topic: string, p: number) => (topic === 't' && p >= 0 && p < 3 ? { highWatermark: 100 } : undefined),
};

export interface Harness { clock: ManualClock; groups: GroupService; dir: string; reopen(): Promise<void>; close(): Promise<void> }

export async function openHarness(settings: Partial<GroupServiceSettings> = {}, dir = tempDir('junction-groups-')): Promise<Harness> {
  const clock = new ManualClock();
  const storage = {
    dir,
    commandStore: (machine: never, opts: { dir: string }) => DurableStore.open(machine, { dir: opts.dir, fsync: 'batch', logger: silentLogger() }),
  } as unknown as PersonalityStorage;
  const all = { ...SETTINGS, ...settings };
  const h: Harness = {
    clock, dir,
    groups: await GroupService.open(storage, topics, clock, all, silentLogger()),
    async reopen() {
      await h.groups.close();
      h.groups = await GroupService.open(storage, topics, clock, all, silentLogger());
    },
    async close() {
      await h.groups.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** A promise whose outcome can be read synchronously once settled (after flush()). */
export interface Tracked<T> { readonly value: T | undefined; readonly settled: boolean; promise: Promise<T> }

export function track<T>(promise: Promise<T>): Tracked<T> {
  const t = { value: undefined as T | undefined, settled: false, promise };
  void promise.then((v) => { t.value = v; t.settled = true; });
  return t;
}

/** Let resolved callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

export function protocols(...names: string[]): JoinRequest['protocols'] {
  return names.map((name) => ({ name, metadata: Buffer.from(`meta-${name}`) }));
}

export function joinRequest(over: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: 'g', memberId: '', groupInstanceId: null, clientId: 'client', clientHost: '/127.0.0.1', sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000, protocolType: 'consumer', protocols: protocols('range'), requireKnownMemberId: true, ...over,
  };
}

/** Join as a new dynamic member the v4+ way (MEMBER_ID_REQUIRED, then again with the id); the
 *  second JoinGroup is returned still pending. */
export async function joinV4(h: Harness, over: Partial<JoinRequest> = {}): Promise<{ memberId: string; join: Tracked<JoinResult> }> {
  const first = await h.groups.coordinator.join(joinRequest(over));
  if (first.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
  return { memberId: first.memberId, join: track(h.groups.coordinator.join(joinRequest({ ...over, memberId: first.memberId }))) };
}

export function syncOf(h: Harness, memberId: string, generationId: number, assignments: Array<{ memberId: string; assignment: Buffer }> = []): Tracked<SyncResult> {
  return track(h.groups.coordinator.sync({ groupId: 'g', memberId, generationId, groupInstanceId: null }, assignments));
}

export function heartbeat(h: Harness, memberId: string, generationId: number, groupInstanceId: string | null = null): number {
  return h.groups.coordinator.heartbeat({ groupId: 'g', memberId, generationId, groupInstanceId });
}

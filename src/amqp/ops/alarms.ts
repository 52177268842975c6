import { statfs } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from '../../core/logger.js';

export type AlarmResource = 'memory' | 'disk';

/** The limits in force (RabbitMQ's vm_memory_high_watermark and disk_free_limit, relative or absolute). */
export interface AlarmLimits {
  /** Fraction of RAM, used when `vmMemoryHighWatermarkAbsolute` is 0. */
  vmMemoryHighWatermark: number;
  vmMemoryHighWatermarkAbsolute: number;
  diskFreeLimit: number;
  /** Multiple of RAM, used when > 0. */
  diskFreeLimitRelative: number;
  /** vm_memory_high_watermark_paging_ratio: `paging` above this fraction of the memory limit (default 0.5). */
  vmMemoryHighWatermarkPagingRatio?: number;
}

/** RabbitMQ's default vm_memory_high_watermark_paging_ratio. */
const DEFAULT_PAGING_RATIO = 0.5;

/** What the monitor measures; tests may replace a probe. */
export interface AlarmProbes {
  rssBytes(): number;
  totalMemoryBytes(): number;
  freeDiskBytes(dir: string): Promise<number>;
}

const SYSTEM_PROBES: AlarmProbes = {
  rssBytes: () => process.memoryUsage.rss(),
  totalMemoryBytes: () => totalmem(),
  freeDiskBytes: async (dir) => { const s = await statfsExisting(dir); return s.bavail * s.bsize; },
};

/** The data directory may not exist yet (created with the first durable queue): its nearest existing ancestor's disk. */
async function statfsExisting(dir: string): Promise<{ bavail: number; bsize: number }> {
  try { return await statfs(dir); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw err;
    return statfsExisting(dirname(dir));
  }
}

/** vm_memory_monitor checks every second. */
const MEMORY_CHECK_MS = 1000;
/** rabbit_disk_monitor: between 100 ms and 10 s, sooner the closer free space is to the limit
 *  (2 × (free − limit) / 250 000 ms, i.e. as if the disk filled at 250 MB/s); 10 s while alarmed. */
const DISK_MIN_CHECK_MS = 100;
const DISK_MAX_CHECK_MS = 10_000;

/**
 * RabbitMQ's resource alarms (vm_memory_monitor, rabbit_disk_monitor, rabbit_alarm) for one node:
 * memory (RSS, RabbitMQ's default vm_memory_calculation_strategy) against the high watermark, free
 * disk space under the data directory against disk_free_limit. `onChange` runs when the set of
 * active alarms changes; the AMQP server then blocks or unblocks publishers.
 */
export class ResourceAlarms {
  readonly active = new Set<AlarmResource>();
  /** RSS is above the paging ratio of the memory limit (checked with it, every second): non-durable
   *  queues page past their window (rabbit_memory_monitor tells queues to push messages to disk). */
  paging = false;
  private memoryTimer: NodeJS.Timeout | null = null;
  private diskTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly limits: AlarmLimits, private readonly dataDir: string, private readonly logger: Logger,
    private readonly onChange: () => void, private readonly probes: AlarmProbes = SYSTEM_PROBES) {}

  start(): void {
    this.checkMemory();
    this.memoryTimer = setInterval(() => this.checkMemory(), MEMORY_CHECK_MS);
    this.memoryTimer.unref();
    void this.diskLoop();
  }

  stop(): void {
    this.stopped = true;
    if (this.memoryTimer) clearInterval(this.memoryTimer);
    if (this.diskTimer) clearTimeout(this.diskTimer);
  }

  /** rabbitmqctl set_vm_memory_high_watermark / set_disk_free_limit: new limits, checked at once. */
  async setLimits(changes: Partial<AlarmLimits>): Promise<void> {
    Object.assign(this.limits, changes);
    this.checkMemory();
    await this.checkDisk();
  }

  memoryLimitBytes(): number {
    const l = this.limits;
    return l.vmMemoryHighWatermarkAbsolute > 0 ? l.vmMemoryHighWatermarkAbsolute : Math.floor(l.vmMemoryHighWatermark * this.probes.totalMemoryBytes());
  }

  diskLimitBytes(): number {
    const l = this.limits;
    return l.diskFreeLimitRelative > 0 ? Math.floor(l.diskFreeLimitRelative * this.probes.totalMemoryBytes()) : l.diskFreeLimit;
  }

  /** "low on memory", "low on disk", "low on memory & disk" (rabbit_reader blocked_by_message). */
  reason(): string {
    return `low on ${(['memory', 'disk'] as const).filter((r) => this.active.has(r)).join(' & ')}`;
  }

  checkMemory(): void {
    const used = this.probes.rssBytes();
    const limit = this.memoryLimitBytes();
    this.paging = used >= limit * (this.limits.vmMemoryHighWatermarkPagingRatio ?? DEFAULT_PAGING_RATIO);
    this.set('memory', used > limit, { used, limit });
  }

  async checkDisk(): Promise<number> {
    let free: number;
    try { free = await this.probes.freeDiskBytes(this.dataDir); } catch (err) {
      this.logger.warn({ dir: this.dataDir, err: (err as Error).message }, 'free disk space could not be determined');
      return DISK_MAX_CHECK_MS;
    }
    const limit = this.diskLimitBytes();
    this.set('disk', free < limit, { free, limit });
    if (this.active.has('disk')) return DISK_MAX_CHECK_MS;
    return Math.trunc(Math.max(DISK_MIN_CHECK_MS, Math.min(DISK_MAX_CHECK_MS, 2 * (free - limit) / 250_000)));
  }

  private async diskLoop(): Promise<void> {
    const next = await this.checkDisk();
    if (this.stopped) return;
    this.diskTimer = setTimeout(() => void this.diskLoop(), next);
    this.diskTimer.unref();
  }

  private set(resource: AlarmResource, on: boolean, figures: Record<string, number>): void {
    if (on === this.active.has(resource)) return;
    if (on) {
      this.active.add(resource);
      // rabbit_alarm's lines: "memory resource limit alarm set on node …" and the banner.
      this.logger.warn({ resource, ...figures }, `${resource} resource limit alarm set: publishers will be blocked until this alarm clears`);
    } else {
      this.active.delete(resource);
      this.logger.warn({ resource, ...figures }, `${resource} resource limit alarm cleared`);
    }
    this.onChange();
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Junction } from '../../src/app.js';
import type { Clock } from '../../src/core/clock.js';
import { loadConfig, type CoreSettings, type JunctionConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { Metrics } from '../../src/core/metrics/registry.js';
import type { Personality } from '../../src/core/personality.js';
import { declared } from '../../src/core/settings/group.js';
import { PERSONALITIES } from '../../src/personalities.js';

type Registered = (typeof PERSONALITIES)[number];
/** Per-personality overrides, e.g. `zk: { tickTime: 1000 }`. */
type PersonalityOverrides = { [P in Registered as P['name']]?: P extends Personality<infer S> ? Partial<S> : never };

export type TestServerOptions = Partial<CoreSettings> & PersonalityOverrides & {
  clock?: Clock;
  /** The storage's fdatasync (test/helpers/gated-fdatasync.ts holds it). */
  fdatasync?: (fd: number) => Promise<void>;
  /** The registry to start from (default: the real one); tests add fake personalities. */
  registry?: readonly Personality[];
  /** Overrides of personalities not in the real registry (fakes), by name. */
  settings?: Record<string, object>;
};

export interface TestServer {
  junction: Junction;
  /** Every bound port by name (nacos, zk, admin …). */
  ports: Record<string, number>;
  /** e.g. http://127.0.0.1:41234 — Nacos routes live under `${nacos}/nacos/v1/...` */
  nacos: string;
  nacosPort: number;
  /** ZooKeeper client port (when zk is enabled) */
  zkPort: number;
  admin: string;
  dataDir: string;
  /** Stop the server; the data dir stays (restart with the same dataDir to test recovery). */
  stop(): Promise<void>;
  /** Stop and delete the data dir. */
  destroy(): Promise<void>;
}

export function tempDir(prefix = 'junction-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Settings every test server starts with unless a test gives its own: a Kafka group's first
 *  rebalance does not wait group.initial.rebalance.delay.ms (3 s) for more members. */
const TEST_DEFAULTS: Record<string, object> = { kafka: { groupInitialRebalanceDelayMs: 0 } };

/** The config a test server runs with: every port 0 (fresh ports), then the overrides, loaded and
 *  checked like any configuration (a zoo.cfg named by `zk: { config }` is read too). */
export function testConfig(options: TestServerOptions = {}): JunctionConfig {
  const { clock: _clock, fdatasync: _fdatasync, registry = PERSONALITIES, settings = {}, ...rest } = options;
  const given: Record<string, unknown> = { adminPort: 0, dataDir: rest.dataDir ?? tempDir() };
  for (const p of registry) {
    const ports = Object.fromEntries(declared(p.settings).filter((d) => d.spec.isPort).map((d) => [d.key, 0]));
    const own = (rest as Record<string, object | undefined>)[p.name] ?? settings[p.name] ?? {};
    delete (rest as Record<string, unknown>)[p.name];
    given[p.name] = { ...ports, ...TEST_DEFAULTS[p.name], ...own };
  }
  return loadConfig(registry, {}, {}, { source: 'test settings', settings: { ...given, ...rest } });
}

/** Start an in-process Junction on fresh ports (port 0) with its own data dir. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const config = testConfig(options);
  const junction = await Junction.start(config, {
    registry: options.registry ?? PERSONALITIES, logger: silentLogger(), clock: options.clock,
    metrics: new Metrics({ processMetrics: false }), ...(options.fdatasync ? { fdatasync: options.fdatasync } : {}),
  });
  const ports = junction.ports();
  return {
    junction,
    ports,
    nacos: `http://127.0.0.1:${ports.nacos}`,
    nacosPort: ports.nacos!,
    zkPort: ports.zk!,
    admin: `http://127.0.0.1:${ports.admin}`,
    dataDir: config.dataDir,
    stop: () => junction.stop(),
    async destroy() {
      await junction.stop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Junction } from '../../src/app.js';
import type { Clock } from '../../src/core/clock.js';
import { DEFAULTS, type JunctionConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { Metrics } from '../../src/core/metrics/registry.js';

export interface TestServer {
  junction: Junction;
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

/** Start an in-process Junction on fresh ports (port 0) with its own data dir. */
export async function startTestServer(overrides: Partial<JunctionConfig> & { clock?: Clock } = {}): Promise<TestServer> {
  const { clock, ...rest } = overrides;
  const dataDir = rest.dataDir ?? tempDir();
  const config: JunctionConfig = {
    ...structuredClone(DEFAULTS),
    ...rest,
    dataDir,
    ports: { ...DEFAULTS.ports, nacos: 0, zk: 0, admin: 0, ...(rest.ports ?? {}) },
  };
  const junction = await Junction.start(config, { logger: silentLogger(), clock, metrics: new Metrics({ processMetrics: false }) });
  const ports = junction.ports();
  return {
    junction,
    nacos: `http://127.0.0.1:${ports.nacos}`,
    nacosPort: ports.nacos!,
    zkPort: ports.zk!,
    admin: `http://127.0.0.1:${ports.admin}`,
    dataDir,
    stop: () => junction.stop(),
    async destroy() {
      await junction.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

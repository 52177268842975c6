import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULTS, type JunctionConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { Metrics } from '../../src/core/metrics/registry.js';
import { AuthService } from '../../src/core/auth/auth-service.js';
import { ManualClock } from '../../src/core/clock.js';
import { openNacos } from '../../src/nacos/services.js';
import { tempDir } from '../helpers/junction.js';

async function open(dataDir: string) {
  const config: JunctionConfig = { ...structuredClone(DEFAULTS), dataDir };
  const clock = new ManualClock(1_700_000_000_000);
  const logger = silentLogger();
  const auth = await AuthService.open({ dir: `${dataDir}/auth`, config, logger, clock });
  const nacos = await openNacos({ config, auth, clock, logger, metrics: new Metrics({ processMetrics: false }) });
  return {
    nacos,
    async close() { nacos.stopTimers(); await nacos.app.close(); await nacos.store.close(); await auth.close(); },
  };
}

test('openNacos builds one set of services per server, and its routes use exactly those', async () => {
  const dirs = [tempDir(), tempDir()];
  const [a, b] = await Promise.all(dirs.map(open));
  try {
    // A 1.x client polling with udpPort becomes a subscriber of the runtime that server was given.
    const list = await a!.nacos.app.inject({ method: 'GET', url: '/nacos/v1/ns/instance/list?serviceName=s&udpPort=41000&clientIP=127.0.0.1' });
    assert.equal(list.statusCode, 200);
    assert.equal(a!.nacos.services.naming.subscriberCount(), 1);
    assert.equal(b!.nacos.services.naming.subscriberCount(), 0, 'the other server has its own runtime');
    // Config routes publish through the server's own store and ConfigService.
    const put = await b!.nacos.app.inject({ method: 'POST', url: '/nacos/v1/cs/configs?dataId=d&group=g&content=x' });
    assert.equal(put.body, 'true');
    assert.equal(b!.nacos.services.configs.currentMd5('', 'g', 'd'), '9dd4e461268c8034f5c8564e155c67a6');
    assert.equal(a!.nacos.services.configs.currentMd5('', 'g', 'd'), '');
    assert.equal(b!.nacos.services.ctx.store, b!.nacos.store);
  } finally {
    await Promise.all([a!.close(), b!.close()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startTestServer, tempDir, type TestServer } from '../../helpers/junction.js';
import { loadNacos } from '../../helpers/nacos-client.js';

// The `nacos` npm package (CommonJS) re-exports nacos-config's NacosConfigClient.
const { NacosConfigClient } = loadNacos() as {
  NacosConfigClient: new (opts: Record<string, unknown>) => {
    ready(): Promise<void>;
    publishSingle(dataId: string, group: string, content: string): Promise<boolean>;
    getConfig(dataId: string, group: string): Promise<string | null>;
    subscribe(info: { dataId: string; group: string }, listener: (content: string) => void): void;
    unSubscribe(info: { dataId: string; group: string }): void;
    remove(dataId: string, group: string): Promise<boolean>;
    close(): void;
  };
};

describe('nacos npm NacosConfigClient against Junction', () => {
  let s: TestServer;
  const cacheDir = tempDir('junction-nacos-cache-');
  let client: InstanceType<typeof NacosConfigClient>;

  before(async () => {
    s = await startTestServer();
    client = new NacosConfigClient({ serverAddr: `127.0.0.1:${s.nacosPort}`, cacheDir, requestTimeout: 5000 });
    await client.ready();
  });
  after(async () => {
    client.close();
    await s.destroy();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('publishSingle, getConfig, subscribe sees a change, remove', async () => {
    assert.equal(await client.publishSingle('client.cfg', 'DEFAULT_GROUP', 'v1 with spaces & ü'), true);
    assert.equal(await client.getConfig('client.cfg', 'DEFAULT_GROUP'), 'v1 with spaces & ü');

    const seen: string[] = [];
    let notify: () => void = () => {};
    client.subscribe({ dataId: 'client.cfg', group: 'DEFAULT_GROUP' }, (content) => { seen.push(content); notify(); });
    const next = () => new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no change delivered; seen ${JSON.stringify(seen)}`)), 8000);
      notify = () => { clearTimeout(t); resolve(); };
    });
    await next();
    assert.deepEqual(seen, ['v1 with spaces & ü']);
    // Give the client time to enter its long poll, then change the config.
    await new Promise((r) => setTimeout(r, 200));
    const changed = next();
    await client.publishSingle('client.cfg', 'DEFAULT_GROUP', 'v2');
    await changed;
    assert.deepEqual(seen, ['v1 with spaces & ü', 'v2']);
    client.unSubscribe({ dataId: 'client.cfg', group: 'DEFAULT_GROUP' });

    assert.equal(await client.remove('client.cfg', 'DEFAULT_GROUP'), true);
    assert.equal(await client.getConfig('client.cfg', 'DEFAULT_GROUP'), null);
    // Let the client settle into its next held long poll, so closing it (and the server, which
    // answers held polls on shutdown) leaves no request in flight.
    for (let i = 0; i < 200 && !/^junction_nacos_config_long_polling_listeners 1$/m.test(await s.junction.metrics.render()); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
  });
});

// @platformatic/kafka (npm, a pure-JavaScript client) against Junction. It implements only recent
// protocol versions — Metadata from v9, CreateTopics v7, DeleteTopics v6, Fetch from v12, the group
// APIs at their flexible versions — while Junction advertises the non-flexible ceilings
// (kafka.md §2, "Decision A": Metadata ≤ 8, CreateTopics ≤ 4, Fetch ≤ 11 …). So today the client
// stops at its first Metadata request. These tests record that gap from both sides (the versions
// the client exports, the ranges Junction advertises) and the client's actual behaviour; when
// Junction serves versions it can use, the same tests run the admin and producer round trips.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as platformatic from '@platformatic/kafka';
import { ApiKey } from '../../../src/kafka/protocol/api-keys.js';
import { startTestServer, type TestServer } from '../../helpers/junction.js';
import { WireClient } from '../../kafka/wire-client.js';
import { kcatReadAll } from './common.js';

/** API key → the versions @platformatic/kafka implements: each exported `<api>V<n>` holds an `api`
 *  function that carries its key and version (createAPI in its apis/definitions.js). */
function clientVersions(): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const value of Object.values(platformatic) as unknown[]) {
    const api = (value as { api?: unknown } | null)?.api;
    if (typeof api !== 'function') continue;
    const { key, version } = api as { key?: unknown; version?: unknown };
    if (typeof key !== 'number' || typeof version !== 'number') continue;
    out.set(key, [...(out.get(key) ?? []), version].sort((a, b) => a - b));
  }
  return out;
}

const NEEDED = { Metadata: ApiKey.Metadata, CreateTopics: ApiKey.CreateTopics, DeleteTopics: ApiKey.DeleteTopics, Produce: ApiKey.Produce };

describe('@platformatic/kafka 1.35.0', () => {
  let server: TestServer;
  let bootstrap: string;
  let usable: (key: number) => boolean;
  let gap: string[];

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 1 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
    const wire = await WireClient.connect(server.ports.kafka!);
    const { body } = await wire.request(ApiKey.ApiVersions, 0, {});
    wire.close();
    const served = new Map((body.apiKeys as Array<{ apiKey: number; minVersion: number; maxVersion: number }>).map((k) => [k.apiKey, k]));
    const implemented = clientVersions();
    usable = (key) => (implemented.get(key) ?? []).some((v) => v >= (served.get(key)?.minVersion ?? 1) && v <= (served.get(key)?.maxVersion ?? 0));
    gap = Object.entries(NEEDED).filter(([, key]) => !usable(key)).map(([name, key]) =>
      `${name}: client ${implemented.get(key)?.join(',') ?? 'none'}, Junction ${served.has(key) ? `${served.get(key)!.minVersion}-${served.get(key)!.maxVersion}` : 'none'}`);
  });
  after(async () => { await server?.destroy(); });

  it('exports the API versions it speaks: Metadata only from v9 (flexible), Produce from v7', () => {
    const versions = clientVersions();
    assert.equal(Math.min(...versions.get(ApiKey.Metadata)!), 9);
    assert.equal(Math.min(...versions.get(ApiKey.Produce)!), 7);
  });

  it('admin: create, list and delete topics — or, while Junction serves no Metadata version it knows, the client\'s refusal', async () => {
    const admin = new platformatic.Admin({ clientId: 'junction-test', bootstrapBrokers: [bootstrap], retries: 0 });
    try {
      if (!usable(ApiKey.Metadata)) {
        await assert.rejects(admin.listTopics(), /No usable implementation found for API Metadata/);
        assert.ok(gap.some((g) => g.startsWith('Metadata: client 9,10,11,12, Junction 0-8')), gap.join('; '));
        return;
      }
      await admin.createTopics({ topics: ['pk-admin'], partitions: 2, replicas: 1 });
      assert.ok((await admin.listTopics()).includes('pk-admin'));
      await admin.deleteTopics({ topics: ['pk-admin'] });
      assert.ok(!(await admin.listTopics()).includes('pk-admin'));
    } finally {
      await admin.close();
    }
  });

  it('producer: keyed records kcat reads back — or the same refusal at its first Metadata request', async () => {
    const producer = new platformatic.Producer({ clientId: 'junction-test', bootstrapBrokers: [bootstrap], retries: 0, autocreateTopics: true });
    try {
      const send = producer.send({ messages: [{ topic: 'pk-produce', key: Buffer.from('k'), value: Buffer.from('v') }] });
      if (!usable(ApiKey.Metadata) || !usable(ApiKey.Produce)) {
        await assert.rejects(send, /No usable implementation found for API (Metadata|Produce)/);
        return;
      }
      await send;
      assert.deepEqual(await kcatReadAll(bootstrap, 'pk-produce'), ['0 0 k v']);
    } finally {
      await producer.close();
    }
  });
});

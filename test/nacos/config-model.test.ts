import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigPublishCommand } from '../../src/nacos/model/config/commands.js';
import { configMachine } from '../../src/nacos/model/config/machine.js';
import { configKey, HISTORY_RETENTION_MS } from '../../src/nacos/model/config/types.js';

function pub(dataId: string, content: string, time: number, extra: Partial<ConfigPublishCommand> = {}): ConfigPublishCommand {
  return {
    type: 'config.publish', dataId, group: 'G', tenant: '', content, md5: `md5-${content}`, configType: 'text',
    appName: '', desc: null, use: null, effect: null, schema: null, configTags: null, encryptedDataKey: '',
    srcIp: '1.2.3.4', srcUser: null, casMd5: null, time, ...extra,
  };
}

describe('config model', () => {
  it('publish inserts then updates; history holds I with new content, U with the replaced content', () => {
    const s = configMachine.initial();
    assert.deepEqual(configMachine.apply(s, pub('d', 'v1', 1000)), { ok: true, opType: 'I', md5Changed: true });
    assert.deepEqual(configMachine.apply(s, pub('d', 'v2', 2000)), { ok: true, opType: 'U', md5Changed: true });
    assert.deepEqual(configMachine.apply(s, pub('d', 'v2', 3000)), { ok: true, opType: 'U', md5Changed: false });
    const item = s.configs.get(configKey('', 'G', 'd'))!;
    assert.equal(item.content, 'v2');
    assert.equal(item.createTime, 1000);
    assert.equal(item.modifyTime, 3000);
    const hist = s.history.list('', 'G', 'd');
    assert.deepEqual(hist.map((h) => [h.nid, h.opType, h.content]), [[1, 'I', 'v1'], [2, 'U', 'v1'], [3, 'U', 'v2']]);
    assert.equal(s.history.previous(item.id)!.nid, 3);
  });

  it('remove records D with the last content and is a no-op for a missing config', () => {
    const s = configMachine.initial();
    configMachine.apply(s, pub('d', 'v1', 1));
    assert.deepEqual(configMachine.apply(s, { type: 'config.remove', dataId: 'd', group: 'G', tenant: '', srcIp: 'x', srcUser: null, time: 2 }), { ok: true, existed: true });
    assert.deepEqual(configMachine.apply(s, { type: 'config.remove', dataId: 'd', group: 'G', tenant: '', srcIp: 'x', srcUser: null, time: 3 }), { ok: true, existed: false });
    assert.equal(s.configs.size, 0);
    assert.equal(s.countByTenant.get('') ?? 0, 0);
    assert.deepEqual(s.history.list('', 'G', 'd').map((h) => [h.opType, h.content]), [['I', 'v1'], ['D', 'v1']]);
  });

  it('casMd5 guards an update', () => {
    const s = configMachine.initial();
    configMachine.apply(s, pub('d', 'v1', 1));
    assert.deepEqual(configMachine.apply(s, pub('d', 'v2', 2, { casMd5: 'wrong' })), { ok: false, reason: 'cas-mismatch' });
    assert.deepEqual(configMachine.apply(s, pub('d', 'v2', 3, { casMd5: 'md5-v1' })), { ok: true, opType: 'U', md5Changed: true });
    assert.equal(s.configs.get(configKey('', 'G', 'd'))!.content, 'v2');
  });

  it('history older than 30 days is pruned when the config is written again', () => {
    const s = configMachine.initial();
    configMachine.apply(s, pub('d', 'v1', 0));
    configMachine.apply(s, pub('d', 'v2', 1000));
    configMachine.apply(s, pub('d', 'v3', HISTORY_RETENTION_MS + 500));
    assert.deepEqual(s.history.list('', 'G', 'd').map((h) => h.nid), [2, 3]);
    assert.equal(s.history.get(1), undefined);
  });

  it('namespaces: create, duplicate, update, remove', () => {
    const s = configMachine.initial();
    assert.deepEqual(configMachine.apply(s, { type: 'namespace.create', namespaceId: 'dev', name: 'Dev', desc: null, time: 5 }), { ok: true });
    assert.deepEqual(configMachine.apply(s, { type: 'namespace.create', namespaceId: 'dev', name: 'X', desc: null, time: 6 }), { ok: false, reason: 'exists' });
    configMachine.apply(s, { type: 'namespace.update', namespaceId: 'dev', name: 'Dev2', desc: 'd' });
    assert.equal(s.namespaces.get('dev')!.name, 'Dev2');
    assert.deepEqual(configMachine.apply(s, { type: 'namespace.remove', namespaceId: 'dev' }), { ok: true });
    assert.equal(s.namespaces.size, 0);
  });

  it('snapshot + restore rebuilds the same state, and replay after restore continues the ids', () => {
    const s = configMachine.initial();
    configMachine.apply(s, pub('a', '1', 1));
    configMachine.apply(s, pub('b', '2', 2, { tenant: 'ns' }));
    configMachine.apply(s, pub('a', '3', 3));
    configMachine.apply(s, { type: 'namespace.create', namespaceId: 'ns', name: 'NS', desc: 'x', time: 4 });
    const image = JSON.parse(JSON.stringify(configMachine.snapshot(s)));
    const r = configMachine.restore(image);
    assert.deepEqual(JSON.parse(JSON.stringify(configMachine.snapshot(r))), image);
    assert.equal(r.countByTenant.get('ns'), 1);
    configMachine.apply(s, pub('c', 'x', 5));
    configMachine.apply(r, pub('c', 'x', 5));
    assert.deepEqual(configMachine.snapshot(r), configMachine.snapshot(s));
  });
});

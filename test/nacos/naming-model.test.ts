import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../src/nacos/errors.js';
import { namingMachine, type NamingCommand, type NamingResult } from '../../src/nacos/model/naming/machine.js';
import type { InstanceSpec } from '../../src/nacos/model/naming/types.js';

const svc = { namespaceId: 'public', serviceName: 'DEFAULT_GROUP@@orders' };
const spec = (ip: string, port: number, ephemeral = true): InstanceSpec => ({
  ip, port, clusterName: 'DEFAULT', weight: 1, healthy: true, enabled: true, ephemeral, metadata: {},
  instanceId: `${ip}#${port}#DEFAULT#DEFAULT_GROUP@@orders`,
});
const reg = (s: InstanceSpec, time = 1): NamingCommand => ({ type: 'naming.instance.register', ...svc, instance: s, time });

test('register implies the service; a bare name and DEFAULT_GROUP@@name are the same service', () => {
  const state = namingMachine.initial();
  assert.deepEqual(namingMachine.apply(state, reg(spec('10.0.0.1', 80))), { ok: true, changed: true });
  namingMachine.apply(state, { ...reg(spec('10.0.0.2', 80)), serviceName: 'orders' } as NamingCommand);
  assert.equal(state.services.size, 1);
  const service = [...state.services.values()][0]!;
  assert.equal(service.instances.size, 2);
  assert.equal(service.ephemeral, true);
  assert.equal(service.explicit, false);
});

test('a persistent instance is refused by an ephemeral service, with Nacos\'s text', () => {
  const state = namingMachine.initial();
  namingMachine.apply(state, reg(spec('10.0.0.1', 80)));
  const r = namingMachine.apply(state, reg(spec('10.0.0.2', 80, false))) as NamingResult;
  assert.equal(r.ok, false);
  assert.match((r as { message: string }).message, /is ephemeral service, can't register persistent instance/);
});

test('beat marks an unhealthy instance healthy and bumps the revision only then', () => {
  const state = namingMachine.initial();
  namingMachine.apply(state, reg(spec('10.0.0.1', 80)));
  const ref = { ...svc, ip: '10.0.0.1', port: 80, clusterName: 'DEFAULT' };
  const service = [...state.services.values()][0]!;
  const r0 = service.revision;
  assert.deepEqual(namingMachine.apply(state, { type: 'naming.instance.beat', ...ref, time: 5 }), { ok: true, changed: false });
  assert.equal(service.revision, r0);
  assert.equal(service.instances.get('10.0.0.1:80')!.lastBeat, 5);
  namingMachine.apply(state, { type: 'naming.instance.health', ...ref, healthy: false });
  assert.equal(service.instances.get('10.0.0.1:80')!.healthy, false);
  assert.deepEqual(namingMachine.apply(state, { type: 'naming.instance.beat', ...ref, time: 6 }), { ok: true, changed: true });
  assert.equal(service.instances.get('10.0.0.1:80')!.healthy, true);
  const unknown = namingMachine.apply(state, { type: 'naming.instance.beat', ...ref, ip: '9.9.9.9', time: 7 }) as NamingResult;
  assert.equal(unknown.ok, false);
});

test('service create/delete follow ServiceOperatorV2Impl (exists, not empty, not found)', () => {
  const state = namingMachine.initial();
  const create: NamingCommand = { type: 'naming.service.create', ...svc, ephemeral: false, protectThreshold: 0, metadata: {}, selector: { type: 'none' } };
  assert.equal((namingMachine.apply(state, create) as NamingResult).ok, true);
  assert.deepEqual(namingMachine.apply(state, create), { ok: false, status: 400, message: 'specified service DEFAULT_GROUP@@orders already exists!', errorCode: ErrorCode.SERVICE_ALREADY_EXIST });
  namingMachine.apply(state, reg(spec('10.0.0.1', 80, false)));
  const del = namingMachine.apply(state, { type: 'naming.service.delete', ...svc }) as NamingResult;
  assert.equal(del.ok, false);
  assert.match((del as { message: string }).message, /is not empty, can't be delete/);
  namingMachine.apply(state, { type: 'naming.instance.deregister', ...svc, ip: '10.0.0.1', port: 80, clusterName: 'DEFAULT', ephemeral: false, time: 2 });
  assert.deepEqual(namingMachine.apply(state, { type: 'naming.service.delete', ...svc }), { ok: true, changed: true });
  assert.equal((namingMachine.apply(state, { type: 'naming.service.delete', ...svc }) as NamingResult).ok, false);
});

test('snapshot keeps explicit services and persistent instances only, and restores them', () => {
  const state = namingMachine.initial();
  namingMachine.apply(state, reg(spec('10.0.0.1', 80)));
  const other = { namespaceId: 'dev', serviceName: 'G1@@pay' };
  namingMachine.apply(state, { type: 'naming.instance.register', ...other, instance: spec('10.0.0.9', 90, false), time: 1 });
  namingMachine.apply(state, { type: 'naming.service.create', namespaceId: 'public', serviceName: 'DEFAULT_GROUP@@empty', ephemeral: false, protectThreshold: 0.5, metadata: { k: 'v' }, selector: { type: 'none' } });
  const image = JSON.parse(JSON.stringify(namingMachine.snapshot(state)));
  const restored = namingMachine.restore(image);
  assert.deepEqual([...restored.services.keys()].sort(), ['dev##G1@@pay', 'public##DEFAULT_GROUP@@empty']);
  assert.equal(restored.services.get('dev##G1@@pay')!.instances.get('10.0.0.9:90')!.port, 90);
  assert.equal(restored.services.get('public##DEFAULT_GROUP@@empty')!.protectThreshold, 0.5);
});

test('patch changes only the given fields; unknown instance is a 404', () => {
  const state = namingMachine.initial();
  namingMachine.apply(state, reg({ ...spec('10.0.0.1', 80), metadata: { a: '1' } }));
  const ref = { ...svc, ip: '10.0.0.1', port: 80, clusterName: 'DEFAULT' };
  namingMachine.apply(state, { type: 'naming.instance.patch', ...ref, weight: 3 });
  const i = [...state.services.values()][0]!.instances.get('10.0.0.1:80')!;
  assert.equal(i.weight, 3);
  assert.deepEqual(i.metadata, { a: '1' });
  const r = namingMachine.apply(state, { type: 'naming.instance.patch', ...ref, clusterName: 'OTHER', weight: 2 }) as NamingResult;
  assert.deepEqual(r, { ok: false, status: 404, message: 'no matched ip found!', errorCode: ErrorCode.RESOURCE_NOT_FOUND });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../src/core/logger.js';
import { Storage } from '../../../src/core/storage/storage.js';
import type { FieldTable } from '../../../src/amqp/protocol/field-table.js';
import {
  type DefinitionCommand, type DefinitionResult, type DefinitionsState, definitionsMachine, toLoggedCommand,
} from '../../../src/amqp/store/definitions-machine.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';

const ARGS: FieldTable = [['x-message-ttl', { type: 'l', value: 9_007_199_254_740_993n }], ['x-dead-letter-exchange', { type: 'S', value: Buffer.from([0xc3, 0x28]) }],
  ['x-death', { type: 'A', value: [{ type: 'F', value: [['time', { type: 'T', value: 1n }], ['d', { type: 'D', scale: 1, value: 5 }]] }] }]];

function apply(state: DefinitionsState, c: DefinitionCommand): DefinitionResult {
  return definitionsMachine.apply(state, toLoggedCommand(c)) as DefinitionResult;
}

const SCRIPT: DefinitionCommand[] = [
  { type: 'exchange.declare', vhost: '/', name: 'orders', exchangeType: 'topic', durable: true, autoDelete: false, internal: false, arguments: ARGS },
  { type: 'exchange.declare', vhost: '/', name: 'audit', exchangeType: 'fanout', durable: true, autoDelete: false, internal: true, arguments: [] },
  { type: 'exchange.declare', vhost: '/', name: 'scratch', exchangeType: 'direct', durable: false, autoDelete: true, internal: false, arguments: [] },
  { type: 'queue.declare', vhost: '/', name: 'q1', durable: true, autoDelete: false, arguments: ARGS },
  { type: 'queue.declare', vhost: '/', name: 'q2', durable: true, autoDelete: false, arguments: [] },
  { type: 'queue.declare', vhost: '/', name: 'tmp', durable: false, autoDelete: true, arguments: [] },
  { type: 'binding.add', vhost: '/', source: 'orders', destinationKind: 'queue', destination: 'q1', routingKey: 'eu.#', arguments: [] },
  { type: 'binding.add', vhost: '/', source: 'orders', destinationKind: 'queue', destination: 'q2', routingKey: 'eu.#', arguments: ARGS },
  { type: 'binding.add', vhost: '/', source: 'orders', destinationKind: 'exchange', destination: 'audit', routingKey: '#', arguments: [] },
  { type: 'binding.add', vhost: '/', source: 'audit', destinationKind: 'queue', destination: 'q2', routingKey: '', arguments: [] },
  { type: 'policy.set', vhost: '/', name: 'ttl', pattern: '^q', applyTo: 'queues', priority: 1, definition: { 'message-ttl': 1000, 'dead-letter-exchange': 'dlx' } },
  { type: 'exchange.declare', vhost: 'shop', name: 'x', exchangeType: 'headers', durable: true, autoDelete: false, internal: false, arguments: [] },
  { type: 'queue.declare', vhost: 'shop', name: 'q', durable: true, autoDelete: false, arguments: [] },
  { type: 'binding.add', vhost: 'shop', source: 'x', destinationKind: 'queue', destination: 'q', routingKey: '', arguments: [['x-match', { type: 'S', value: Buffer.from('any') }]] },
];

function summary(state: DefinitionsState): unknown[] {
  return [...state.vhosts].map(([vhost, d]) => ({
    vhost, exchanges: [...d.exchanges.keys()].sort(), queues: [...d.queues.keys()].sort(), policies: [...d.policies.keys()].sort(),
    bindings: [...d.bindings.values()].map((b) => `${b.source}->${b.destinationKind}:${b.destination}/${b.routingKey}`).sort(),
  }));
}

test('definitions machine: declares, bindings, policies; deletes cascade to bindings; vhost.drop; results say what changed', () => {
  const state = definitionsMachine.initial();
  for (const c of SCRIPT) assert.equal(apply(state, c).ok, true);
  const root = state.vhosts.get('/')!;
  assert.deepEqual([...root.exchanges.keys()], ['orders', 'audit'], 'transient exchanges are not definitions');
  assert.deepEqual([...root.queues.keys()], ['q1', 'q2']);
  assert.deepStrictEqual(root.queues.get('q1')!.arguments, ARGS, 'arguments kept exactly');
  assert.deepEqual(apply(state, SCRIPT[6]!), { ok: true, changed: false }, 'the same binding twice is one binding');
  assert.deepEqual(apply(state, { ...SCRIPT[7]!, arguments: [...ARGS].reverse() } as DefinitionCommand), { ok: true, changed: false }, 'argument order does not matter');
  assert.equal(root.bindings.size, 4);

  assert.deepEqual(apply(state, { type: 'exchange.delete', vhost: '/', name: 'audit' }), { ok: true, changed: true });
  assert.deepEqual(summary(state)[0], { vhost: '/', exchanges: ['orders'], queues: ['q1', 'q2'], policies: ['ttl'], bindings: ['orders->queue:q1/eu.#', 'orders->queue:q2/eu.#'] });
  assert.deepEqual(apply(state, { type: 'queue.delete', vhost: '/', name: 'q2' }), { ok: true, changed: true });
  assert.deepEqual(apply(state, { type: 'queue.delete', vhost: '/', name: 'q2' }), { ok: true, changed: false });
  assert.deepEqual(summary(state)[0], { vhost: '/', exchanges: ['orders'], queues: ['q1'], policies: ['ttl'], bindings: ['orders->queue:q1/eu.#'] });
  assert.deepEqual(apply(state, { type: 'binding.remove', vhost: '/', source: 'orders', destinationKind: 'queue', destination: 'q1', routingKey: 'eu.#', arguments: [] }), { ok: true, changed: true });
  assert.deepEqual(apply(state, { type: 'policy.delete', vhost: '/', name: 'ttl' }), { ok: true, changed: true });
  assert.deepEqual(apply(state, { type: 'vhost.drop', vhost: 'shop' }), { ok: true, changed: true });
  assert.deepEqual([...state.vhosts.keys()], ['/']);
  assert.equal((definitionsMachine.apply(state, { type: 'queue.declare', vhost: '/', name: 'z', durable: true, autoDelete: false, arguments: [['a', ['?']]] } as never) as DefinitionResult).ok, false);
  assert.equal((definitionsMachine.apply(state, { type: 'nope' } as never) as DefinitionResult).ok, false);
  assert.equal(state.vhosts.get('/')!.queues.has('z'), false, 'a refused command changes nothing');
});

test('definitions machine: snapshot → JSON → restore gives the same state', () => {
  const state = definitionsMachine.initial();
  for (const c of SCRIPT) apply(state, c);
  const restored = definitionsMachine.restore(JSON.parse(JSON.stringify(definitionsMachine.snapshot(state))));
  assert.deepStrictEqual(restored, state);
});

test('definitions in a core command store survive restart through the log and through snapshots', async () => {
  const dir = tmp('junction-defs-');
  try {
    for (const snapshotEvery of [1_000_000, 3]) {
      const s1 = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
      const store = await s1.commandStore(`amqp/definitions-${snapshotEvery}`, definitionsMachine, { snapshotEvery });
      for (const c of SCRIPT) assert.equal((await store.submit<DefinitionResult>(toLoggedCommand(c))).ok, true);
      await store.submit(toLoggedCommand({ type: 'queue.delete', vhost: '/', name: 'q1' }));
      const expected = store.state;
      await s1.close();
      const s2 = new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() });
      const again = await s2.commandStore(`amqp/definitions-${snapshotEvery}`, definitionsMachine, { snapshotEvery });
      assert.deepStrictEqual(again.state, expected, `snapshotEvery ${snapshotEvery}`);
      assert.deepStrictEqual(again.state.vhosts.get('/')!.exchanges.get('orders')!.arguments, ARGS);
      await s2.close();
    }
  } finally { cleanup(dir); }
});

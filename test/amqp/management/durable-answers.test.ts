// The management API answers a change only once it is on disk, as an AMQP declare-ok does
// (rabbit_mgmt's wm modules answer after the Mnesia transaction; its publish waits for the
// confirm): the broker behind a Storage whose fdatasync the test holds. And durable waits are
// per client: a write one client caused never holds another's answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Broker } from '../../../src/amqp/broker/broker.js';
import { DurableWaits } from '../../../src/amqp/broker/durable-waits.js';
import { DurableBroker } from '../../../src/amqp/durable/durable-broker.js';
import { BrokerAdapter } from '../../../src/amqp/management/broker-adapter.js';
import { storageFor } from '../../../src/app.js';
import type { RabbitAccess } from '../../../src/core/auth/vhost-access.js';
import { silentLogger } from '../../../src/core/logger.js';
import { Storage } from '../../../src/core/storage/storage.js';
import { cleanup, tmp } from '../../core/fixtures/log-helpers.js';
import { gatedFdatasync } from '../../helpers/gated-fdatasync.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `p` has settled after the event loop had time to run the commit cycles. */
async function settledSoon(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(() => { settled = true; }, () => { settled = true; });
  await sleep(40);
  return settled;
}

test('declare, bind, policy and a persistent publish are answered after their fdatasync, not before', async () => {
  const dir = tmp('junction-mgmt-durable-');
  const sync = gatedFdatasync();
  const storage = new Storage({ dataDir: dir, fsync: 'always', logger: silentLogger(), commit: { fdatasync: sync.fdatasync } });
  await storage.open();
  const broker = new Broker('/');
  const durable = await DurableBroker.open(storageFor('amqp', storage), broker, silentLogger());
  const adapter = new BrokerAdapter(broker, { connections: () => [], listener: { ip: '127.0.0.1', port: 0 } },
    { vhostExists: () => true } as unknown as RabbitAccess);
  try {
    const held = async (what: string, change: () => Promise<unknown>) => {
      sync.close();
      const answer = change();
      assert.equal(await settledSoon(answer), false, `${what}: not answered while its write waits in fdatasync`);
      assert.ok(sync.waiting() > 0, `${what}: a write waits`);
      sync.open();
      await answer;
    };
    await held('queue declare', () => adapter.declareQueue('/', 'dq', { durable: true, autoDelete: false, arguments: {} }));
    await held('exchange declare', () => adapter.declareExchange('/', 'dx', { type: 'direct', durable: true, autoDelete: false, internal: false, arguments: {} }));
    await held('binding', () => adapter.bind({ vhost: '/', source: 'dx', destination: 'dq', destinationType: 'queue', routingKey: 'k', arguments: {} }));
    await held('policy', () => adapter.putPolicy({ vhost: '/', name: 'p', pattern: '^dq$', applyTo: 'queues', priority: 0, definition: { 'max-length': 10 } }));
    await held('persistent publish', () => adapter.publish('/', 'dx', { routingKey: 'k', properties: { delivery_mode: 2 }, payload: Buffer.from('m') }));
    // A purge that drops the queue's files: answered once they are set aside for good.
    await held('purge', () => adapter.purgeQueue('/', 'dq'));
    // A transient object needs no write: answered at once even with the gate closed.
    sync.close();
    assert.equal(await settledSoon(adapter.declareQueue('/', 'tq', { durable: false, autoDelete: false, arguments: {} })), true);
    sync.open();
  } finally {
    sync.open();
    await durable.close();
    await storage.close();
    cleanup(dir);
  }
});

test('the broker notes a write in the waits of the client whose request caused it, and nowhere between requests', () => {
  const broker = new Broker('/');
  const a = new DurableWaits();
  const b = new DurableWaits();
  const write = Promise.resolve();
  const outer = broker.enter(a);
  broker.noteWrite(write);
  broker.noteRemoval(write);
  broker.leave(outer);
  broker.noteWrite(Promise.resolve()); // a timer's write: nobody waits
  broker.leave(broker.enter(b));
  assert.equal(b.takeWrites(), null, 'b caused nothing');
  assert.equal(b.takeRemovals(), null);
  assert.equal(a.takeWrites(), write);
  assert.equal(a.takeRemovals(), write);
  assert.equal(a.takeWrites(), null, 'taken once');
});

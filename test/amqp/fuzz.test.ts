// Seeded fuzz of the AMQP connection: after a real handshake, each connection sends a stream of
// valid frames with random mutations (bytes flipped, lengths changed, frames cut, random method
// ids). Whatever the server answers, it must not crash, and a bystander keeps working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeContentFrames, encodeMethodFrame } from '../../src/amqp/protocol/frames.js';
import { collect, connect, quietChannel } from '../helpers/amqp-client.js';
import { RawAmqp } from '../helpers/amqp-raw.js';
import { startTestServer } from '../helpers/junction.js';
import { seededRandom } from '../helpers/seeded-random.js';

function validFrames(): Buffer[] {
  return [
    encodeMethodFrame(1, 'channel.open'),
    encodeMethodFrame(1, 'queue.declare', { queue: 'fuzz', autoDelete: true, arguments: [['x-a', { type: 'I', value: 5 }]] }),
    encodeMethodFrame(1, 'exchange.declare', { exchange: 'fx', type: 'topic' }),
    encodeMethodFrame(1, 'queue.bind', { queue: 'fuzz', exchange: 'fx', routingKey: 'a.#' }),
    encodeMethodFrame(1, 'basic.qos', { prefetchCount: 3 }),
    encodeMethodFrame(1, 'confirm.select'),
    ...encodeContentFrames(1, 'basic.publish', { exchange: 'fx', routingKey: 'a.b' }, { headers: [['h', { type: 'S', value: Buffer.from('v') }]] },
      Buffer.alloc(300, 7), 4096),
    encodeMethodFrame(1, 'basic.consume', { queue: 'fuzz', consumerTag: 'c' }),
    encodeMethodFrame(1, 'basic.ack', { deliveryTag: 1n, multiple: true }),
    encodeMethodFrame(1, 'basic.get', { queue: 'fuzz' }),
    encodeMethodFrame(1, 'tx.select'),
    encodeMethodFrame(1, 'channel.close', { replyCode: 200 }),
  ];
}

function mutate(frames: Buffer[], random: () => number): Buffer {
  const out = frames.map((f) => Buffer.from(f));
  const victim = out[Math.floor(random() * out.length)]!;
  switch (Math.floor(random() * 5)) {
    case 0: victim[Math.floor(random() * victim.length)] = Math.floor(random() * 256); break;
    case 1: victim.writeUInt32BE(Math.floor(random() * 300), 3); break;
    case 2: victim.writeUInt16BE(Math.floor(random() * 4), 1); break;
    case 3: if (victim.length > 11) victim.writeUInt16BE(Math.floor(random() * 120), 9); break;
    default: out.splice(out.indexOf(victim), 1); break;
  }
  return Buffer.concat(out);
}

test('mutated frame streams after a real handshake never crash the server or disturb a bystander', { timeout: 120_000 }, async () => {
  const server = await startTestServer({ enabled: ['amqp'] });
  try {
    const port = server.ports.amqp!;
    const url = `amqp://guest:guest@127.0.0.1:${port}`;
    const bystander = await connect(url);
    const random = seededRandom(7);
    const frames = validFrames();
    let closedByServer = 0;
    for (let round = 0; round < 150; round++) {
      const c = await RawAmqp.open(port);
      await c.handshake();
      await c.expect('connection.open-ok');
      c.send(mutate(frames, random));
      // Drain what comes back for a moment; the server may answer, close, or wait for more.
      const deadline = Date.now() + 30;
      while (Date.now() < deadline) {
        const f = await c.nextFrame(deadline - Date.now()).catch(() => undefined);
        if (f === null) { closedByServer++; break; }
        if (f === undefined) break;
        if (f.kind === 'method' && f.method.spec.name === 'close' && f.method.spec.className === 'connection') {
          c.method(0, 'connection.close-ok');
        }
      }
      c.close();
    }
    assert.ok(closedByServer > 0, 'some mutations were refused by closing the connection');
    const ch = await quietChannel(bystander);
    await ch.assertQueue('fuzz-bystander', { exclusive: true });
    ch.sendToQueue('fuzz-bystander', Buffer.from('alive'));
    const [m] = await collect(ch, 'fuzz-bystander', 1, { noAck: true });
    assert.equal(m!.content.toString(), 'alive');
    await bystander.close();
  } finally {
    await server.destroy();
  }
});

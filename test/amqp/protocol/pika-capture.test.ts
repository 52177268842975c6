// What a real client sends, decoded by the codec: pika 1.2.0 (Debian, /usr/bin/python3) talks to a
// tiny fake server built only from the codec, which answers the handshake and records every frame.
// Every recorded method and header payload must also re-encode to the exact bytes pika sent.
import assert from 'node:assert/strict';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { encodeContentHeader } from '../../../src/amqp/protocol/content.js';
import { tableGet } from '../../../src/amqp/protocol/field-table.js';
import { type AmqpFrame, encodeMethodFrame, FRAME_MIN_SIZE, parseFrame, PROTOCOL_HEADER, type RawFrame } from '../../../src/amqp/protocol/frames.js';
import { encodeMethodPayload, type MethodArgs } from '../../../src/amqp/protocol/methods.js';
import { FrameSplitter } from '../../helpers/amqp-frames.js';
import { runPython } from '../../helpers/python.js';

const SCRIPT = fileURLToPath(new URL('../../../../test/amqp/clients/pika-handshake.py', import.meta.url));

const SERVER_PROPERTIES = [
  ['capabilities', { type: 'F', value: [['publisher_confirms', { type: 't', value: true }], ['basic.nack', { type: 't', value: true }]] }],
  ['product', { type: 'S', value: Buffer.from('Junction') }],
] as const;

/** Script of the fake broker: the reply each recorded method gets (none for async ones). */
const ANSWERS: Record<string, (args: MethodArgs) => [string, MethodArgs] | undefined> = {
  'connection.start-ok': () => ['connection.tune', { channelMax: 2047, frameMax: 131072, heartbeat: 60 }],
  'connection.open': () => ['connection.open-ok', {}],
  'channel.open': () => ['channel.open-ok', {}],
  'queue.declare': (a) => ['queue.declare-ok', { queue: a['queue']!, messageCount: 0, consumerCount: 0 }],
  'channel.close': () => ['channel.close-ok', {}],
  'connection.close': () => ['connection.close-ok', {}],
};

/** Records the protocol header pika sent (`headers`) and every frame after it. */
function startRecorder(recorded: { raw: RawFrame; frame: AmqpFrame }[], headers: Buffer[]): Promise<net.Server> {
  const server = net.createServer((socket) => {
    const decoder = new FrameSplitter(FRAME_MIN_SIZE);
    let head: Buffer | null = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      let chunk = data;
      if (head) {
        head = Buffer.concat([head, chunk]);
        if (head.length < PROTOCOL_HEADER.length) return;
        headers.push(head.subarray(0, PROTOCOL_HEADER.length));
        chunk = head.subarray(PROTOCOL_HEADER.length);
        head = null;
        socket.write(encodeMethodFrame(0, 'connection.start', {
          versionMajor: 0, versionMinor: 9, serverProperties: SERVER_PROPERTIES, mechanisms: 'PLAIN AMQPLAIN', locales: 'en_US',
        }));
      }
      for (const raw of decoder.push(chunk)) {
        const frame = parseFrame(raw);
        recorded.push({ raw, frame });
        if (frame.kind !== 'method') continue;
        const name = `${frame.method.spec.className}.${frame.method.spec.name}`;
        if (name === 'connection.tune-ok') decoder.frameMax = Number(frame.method.args['frameMax']);
        const answer = ANSWERS[name]?.(frame.method.args);
        if (answer) socket.write(encodeMethodFrame(frame.channel, answer[0], answer[1]));
        if (name === 'connection.close') socket.end();
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('pika: handshake, queue.declare with arguments, a persistent publish — decoded and re-encoded byte for byte', async () => {
  const recorded: { raw: RawFrame; frame: AmqpFrame }[] = [];
  const headers: Buffer[] = [];
  const server = await startRecorder(recorded, headers);
  try {
    const port = (server.address() as net.AddressInfo).port;
    assert.equal((await runPython(SCRIPT, [String(port)])).trim(), 'done');
  } finally {
    server.close();
  }
  assert.deepEqual(headers, [PROTOCOL_HEADER], 'pika opens with the 0-9-1 protocol header');
  const methods = recorded.flatMap(({ frame }) => frame.kind === 'method' ? [frame.method] : []);
  assert.deepEqual(methods.map((m) => `${m.spec.className}.${m.spec.name}`), [
    'connection.start-ok', 'connection.tune-ok', 'connection.open', 'channel.open', 'queue.declare',
    'basic.publish', 'channel.close', 'connection.close',
  ]);
  const [startOk, tuneOk, , , declare, publish] = methods;
  assert.equal(startOk!.args['mechanism'], 'PLAIN');
  assert.deepEqual(startOk!.args['response'], Buffer.from('\0alice\0s3cret'));
  const capabilities = tableGet(startOk!.args['clientProperties'] as never, 'capabilities');
  assert.ok(capabilities?.type === 'F' && tableGet(capabilities.value, 'publisher_confirms')?.type === 't');
  assert.deepEqual(tuneOk!.args, { channelMax: 2047, frameMax: 131072, heartbeat: 30 });
  assert.equal(declare!.args['durable'], true);
  assert.deepEqual(declare!.args['arguments'], [
    ['x-message-ttl', { type: 'I', value: 60000 }], ['x-queue-mode', { type: 'S', value: Buffer.from('lazy') }],
  ]);
  assert.equal(publish!.args['routingKey'], 'hello');
  const header = recorded.find(({ frame }) => frame.kind === 'header')!.frame;
  assert.ok(header.kind === 'header');
  assert.equal(header.header.properties.deliveryMode, 2);
  assert.deepEqual(header.header.properties.headers, [['n', { type: 'V' }], ['big', { type: 'l', value: 2n ** 40n }]]);
  const body = recorded.find(({ frame }) => frame.kind === 'body')!.frame;
  assert.ok(body.kind === 'body' && body.body.toString() === 'Hello World!');
  for (const { raw, frame } of recorded) {
    if (frame.kind === 'method') assert.deepEqual(encodeMethodPayload(frame.method.spec, frame.method.args), raw.payload);
    if (frame.kind === 'header') assert.deepEqual(encodeContentHeader(frame.header), raw.payload);
  }
});

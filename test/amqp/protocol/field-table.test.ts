import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AmqpCodecError } from '../../../src/amqp/protocol/errors.js';
import {
  type FieldTable, MAX_TABLE_DEPTH, fieldInteger, fieldString, readTable, readTableBody, tableGet, writeTable, writeTableBody,
} from '../../../src/amqp/protocol/field-table.js';
import { AmqpReader } from '../../../src/amqp/protocol/reader.js';
import { AmqpWriter } from '../../../src/amqp/protocol/writer.js';
import { EVERY_TAG_TABLE } from './sample-args.js';

const encode = (t: FieldTable) => { const w = new AmqpWriter(1); writeTable(w, t); return w.toBuffer(); };
const decode = (b: Buffer) => { const r = new AmqpReader(b); const t = readTable(r); assert.equal(r.remaining, 0); return t; };
const isFrameError = (e: unknown) => e instanceof AmqpCodecError && e.replyCode === 501;

test('a table with every tag round-trips and keeps each tag', () => {
  const bytes = encode(EVERY_TAG_TABLE);
  const back = decode(bytes);
  assert.deepEqual(back, EVERY_TAG_TABLE);
  assert.deepEqual(encode(back), bytes);
});

test('values decode from bytes written by hand (RabbitMQ meanings: s signed 16, L signed 64)', () => {
  const fields = Buffer.concat([
    Buffer.from([1, 0x61, 0x73, 0xff, 0xfe]), // a: s -2
    Buffer.from([1, 0x62, 0x4c, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // b: L -1
    Buffer.from([1, 0x63, 0x74, 0x07]), // c: t non-zero = true
    Buffer.from([1, 0x64, 0x44, 2, 0, 0, 0x30, 0x39]), // d: D 123.45
    Buffer.from([1, 0x65, 0x41, 0, 0, 0, 3, 0x62, 0x81, 0x56]), // e: A [b -127, V]
    Buffer.from([1, 0x66, 0x69, 0xff, 0xff, 0xff, 0xff]), // f: i 4294967295 (unsigned)
  ]);
  const len = Buffer.alloc(4); len.writeUInt32BE(fields.length);
  const table = decode(Buffer.concat([len, fields]));
  assert.deepEqual(table, [
    ['a', { type: 's', value: -2 }], ['b', { type: 'L', value: -1n }], ['c', { type: 't', value: true }],
    ['d', { type: 'D', scale: 2, value: 12345 }], ['e', { type: 'A', value: [{ type: 'b', value: -127 }, { type: 'V' }] }],
    ['f', { type: 'i', value: 4294967295 }],
  ]);
});

test('empty table, duplicate keys and order survive', () => {
  assert.deepEqual(encode([]), Buffer.from([0, 0, 0, 0]));
  assert.deepEqual(decode(Buffer.from([0, 0, 0, 0])), []);
  const dup: FieldTable = [['k', { type: 'I', value: 1 }], ['a', { type: 'V' }], ['k', { type: 'I', value: 2 }]];
  assert.deepEqual(decode(encode(dup)), dup);
  assert.deepEqual(tableGet(dup, 'k'), { type: 'I', value: 1 });
});

test('numeric arguments compare the same whatever integer tag the client chose', () => {
  const ttl = 60000n;
  for (const v of [{ type: 'I', value: 60000 }, { type: 'i', value: 60000 }, { type: 'l', value: 60000n },
    { type: 'L', value: 60000n }, { type: 'u', value: 60000 }] as const) {
    assert.equal(fieldInteger(v), ttl, v.type);
  }
  assert.equal(fieldInteger({ type: 'b', value: 10 }), 10n);
  assert.equal(fieldInteger({ type: 'S', value: Buffer.from('10') }), undefined);
  assert.equal(fieldInteger({ type: 'd', value: 10 }), undefined);
  assert.equal(fieldString({ type: 'x', value: Buffer.from('drop-head') }), 'drop-head');
});

test('unknown tag, truncated value, length past the end and deep nesting are FRAME_ERROR', () => {
  assert.throws(() => decode(Buffer.from([0, 0, 0, 3, 1, 0x61, 0x5a])), isFrameError); // tag 'Z'
  assert.throws(() => decode(Buffer.from([0, 0, 0, 4, 1, 0x61, 0x49, 0])), isFrameError); // I cut short
  assert.throws(() => decode(Buffer.from([0, 0, 0, 9, 1, 0x61, 0x56])), isFrameError); // table longer than data
  assert.throws(() => decode(Buffer.from([0, 0, 0, 2, 5, 0x61])), isFrameError); // key longer than table
  let nested: FieldTable = [];
  for (let i = 0; i <= MAX_TABLE_DEPTH + 1; i++) nested = [['n', { type: 'F', value: nested }]];
  assert.throws(() => decode(encode(nested)), isFrameError);
});

test('AMQPLAIN responses are a table body without the length prefix (rabbit_auth_mechanism_amqplain)', () => {
  const body = Buffer.from([5, ...Buffer.from('LOGIN'), 0x53, 0, 0, 0, 3, ...Buffer.from('bob'),
    8, ...Buffer.from('PASSWORD'), 0x53, 0, 0, 0, 2, ...Buffer.from('pw')]);
  const table = readTableBody(new AmqpReader(body));
  assert.equal(fieldString(tableGet(table, 'LOGIN')), 'bob');
  assert.equal(fieldString(tableGet(table, 'PASSWORD')), 'pw');
  const w = new AmqpWriter(1); writeTableBody(w, table);
  assert.deepEqual(w.toBuffer(), body);
});

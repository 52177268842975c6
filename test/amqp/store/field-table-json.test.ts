import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type FieldTable, type FieldValue, writeTable } from '../../../src/amqp/protocol/field-table.js';
import { AmqpWriter } from '../../../src/amqp/protocol/writer.js';
import {
  fieldTableKey, fieldTableToPlain, fieldTableToTagged, plainToFieldTable, taggedToFieldTable,
} from '../../../src/amqp/store/field-table-json.js';
import { prng } from '../../core/fixtures/log-helpers.js';

function wire(table: FieldTable): Buffer {
  const w = new AmqpWriter();
  writeTable(w, table);
  return w.toBuffer();
}

/** A random value of any tag, edge values included, nested up to `depth`. */
function randomValue(rnd: () => number, depth: number): FieldValue {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (min: number, max: number) => pick([min, max, 0, Math.floor(min + rnd() * (max - min + 1))]);
  const bigS = () => pick([-(1n << 63n), (1n << 63n) - 1n, 0n, BigInt(Math.floor((rnd() - 0.5) * 2 ** 53)) * 1021n]);
  const bytes = () => pick([Buffer.from('x-dead-letter-exchange'), Buffer.from('日本語 ✓'), Buffer.alloc(0),
    Buffer.from(Array.from({ length: Math.floor(rnd() * 120) }, () => Math.floor(rnd() * 256)))]);
  const floats = [NaN, Infinity, -Infinity, -0, 0, 1.5, -1e-310, Number.MAX_VALUE, rnd() * 1e6];
  const tags = depth > 0 ? 'tbBsuIilLTfdDSxAFV' : 'tbBsuIilLTfdDSxV';
  const tag = pick([...tags]);
  switch (tag) {
    case 't': return { type: 't', value: rnd() < 0.5 };
    case 'b': return { type: 'b', value: int(-128, 127) };
    case 'B': return { type: 'B', value: int(0, 255) };
    case 's': return { type: 's', value: int(-32768, 32767) };
    case 'u': return { type: 'u', value: int(0, 65535) };
    case 'I': return { type: 'I', value: int(-(2 ** 31), 2 ** 31 - 1) };
    case 'i': return { type: 'i', value: int(0, 2 ** 32 - 1) };
    case 'l': case 'L': return { type: tag, value: bigS() };
    case 'T': return { type: 'T', value: pick([0n, (1n << 64n) - 1n, 1_733_000_000n]) };
    case 'f': return { type: 'f', value: Math.fround(pick(floats)) };
    case 'd': return { type: 'd', value: pick(floats) };
    case 'D': return { type: 'D', scale: int(0, 255), value: int(0, 2 ** 32 - 1) };
    case 'S': case 'x': return { type: tag, value: bytes() };
    case 'A': return { type: 'A', value: Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth - 1)) };
    case 'F': return { type: 'F', value: randomTable(rnd, depth - 1) };
    default: return { type: 'V' };
  }
}

function randomTable(rnd: () => number, depth: number): FieldTable {
  return Array.from({ length: Math.floor(rnd() * 6) }, (_, i) => [rnd() < 0.2 ? 'dup' : `k${i}-${Math.floor(rnd() * 99)}`, randomValue(rnd, depth)] as const);
}

test('tagged JSON round-trips every field value exactly (fuzzed: same value, same wire bytes, through JSON text)', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const table = randomTable(prng(seed), 3);
    const back = taggedToFieldTable(JSON.parse(JSON.stringify(fieldTableToTagged(table))));
    assert.deepStrictEqual(back, table, `seed ${seed}`);
    assert.deepEqual(wire(back), wire(table), `seed ${seed}: wire bytes`);
  }
});

test('tagged JSON refuses malformed input with a StorageError, never a crash', () => {
  const bad: unknown[] = [null, {}, [['a']], [['a', ['?', 1]]], [['a', ['b', 300]]], [['a', ['l', '1.5']]], [['a', ['T', '-1']]],
    [['a', ['L', String(1n << 63n)]]], [['a', ['t', 1]]], [['a', ['d', 'nan']]], [['a', ['S', 5]]], [['a', ['A', {}]]], [[5, ['V']]]];
  for (const b of bad) assert.throws(() => taggedToFieldTable(b), { name: 'StorageError' }, JSON.stringify(b));
});

test('plain JSON view as RabbitMQ\'s management API shows arguments, and JSON arguments back to a table', () => {
  const table: FieldTable = [
    ['x-message-ttl', { type: 'I', value: 60000 }], ['x-max-length', { type: 'l', value: 10n }],
    ['x-dead-letter-exchange', { type: 'S', value: Buffer.from('dlx') }], ['bin', { type: 'x', value: Buffer.from([0xff, 0xfe]) }],
    ['dec', { type: 'D', scale: 2, value: 12345 }], ['flag', { type: 't', value: true }], ['void', { type: 'V' }],
    ['ts', { type: 'T', value: 1_733_000_000n }], ['nested', { type: 'F', value: [['a', { type: 'A', value: [{ type: 'b', value: -1 }, { type: 'S', value: Buffer.from('z') }] }]] }],
    ['dup', { type: 'b', value: 1 }], ['dup', { type: 'b', value: 2 }],
  ];
  assert.deepEqual(fieldTableToPlain(table), {
    'x-message-ttl': 60000, 'x-max-length': 10, 'x-dead-letter-exchange': 'dlx', bin: 'Not UTF-8, base64 is: //4=',
    dec: 2.12345, flag: true, void: null, ts: 1733000000, nested: { a: [-1, 'z'] }, dup: 2,
  });
  const long = fieldTableToPlain([['b', { type: 'S', value: Buffer.alloc(100, 0xff) }]]).b as string;
  assert.deepEqual(long.slice('Not UTF-8, base64 is: '.length).split('\n').map((l) => l.length), [76, 60]);
  assert.deepEqual(plainToFieldTable({ 'x-message-ttl': 1000, ratio: 0.5, name: 'q', on: false, list: [1, 'a'], obj: { k: 2 } }), [
    ['x-message-ttl', { type: 'l', value: 1000n }], ['ratio', { type: 'd', value: 0.5 }], ['name', { type: 'S', value: Buffer.from('q') }],
    ['on', { type: 't', value: false }], ['list', { type: 'A', value: [{ type: 'l', value: 1n }, { type: 'S', value: Buffer.from('a') }] }],
    ['obj', { type: 'F', value: [['k', { type: 'l', value: 2n }]] }],
  ]);
  assert.throws(() => plainToFieldTable({ a: null }), /null/);
});

test('table keys compare as RabbitMQ compares binding arguments: order of names does not matter, tags and values do', () => {
  const a: FieldTable = [['x-match', { type: 'S', value: Buffer.from('all') }], ['h', { type: 'I', value: 1 }]];
  assert.equal(fieldTableKey(a), fieldTableKey([a[1]!, a[0]!]));
  assert.notEqual(fieldTableKey(a), fieldTableKey([a[0]!, ['h', { type: 'l', value: 1n }]]));
  assert.notEqual(fieldTableKey(a), fieldTableKey([a[0]!, ['h', { type: 'I', value: 2 }]]));
});

// Unit tests of the CLI's Kafka client pieces (src/kafka/client): the key hash and partitioner, the
// batch codec round trip through every compression codec (and snappy-java's framing), the group
// protocol's subscription/assignment bytes and RangeAssignor, the kafka-consumer-groups tables.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { crc32c } from '@node-rs/crc32';
import { compress, decompress, parseCodec } from '../../src/kafka/client/compression.js';
import { decodeAssignmentAll, decodeSubscriptionTopics, encodeAssignment, encodeSubscription, rangeAssign } from '../../src/kafka/client/group.js';
import { decodeBatches, encodeBatch, murmur2, partitionForKey } from '../../src/kafka/client/records.js';
import { parseBootstrap } from '../../src/kafka/client/connection.js';
import { offsetsTable, resetTable } from '../../src/cli/commands/kafka/consumer-groups-format.js';
import { LineReader } from '../../src/cli/commands/kafka/console-producer.js';
import { MessageFormatter } from '../../src/cli/commands/kafka/message-formatter.js';
import { encodeBatch as referenceBatch } from '../helpers/kafka-batch.js';
import { seededRandom } from './helpers.js';

const require = createRequire(import.meta.url);

describe('murmur2 partitioner', () => {
  it('matches Kafka\'s UtilsTest.testMurmur2 values', () => {
    const cases: Array<[string, number]> = [['21', -973932308], ['foobar', -790332482], ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829], ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971], ['abc', 479470107]];
    for (const [key, hash] of cases) assert.equal(murmur2(Buffer.from(key)), hash, key);
  });

  it('agrees with kafkajs\'s Java-compatible murmur2 on random keys, so keyed records land where Java clients put them', () => {
    const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number;
    const random = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const key = Buffer.from(Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256)));
      assert.equal(murmur2(key), kafkajsMurmur2(key));
      assert.equal(partitionForKey(key, 7), (kafkajsMurmur2(key) & 0x7fffffff) % 7);
    }
  });
});

describe('record batches', () => {
  const records = [
    { key: Buffer.from('k'), value: Buffer.from('v1'), headers: [['h', Buffer.from('x')]] as Array<[string, Buffer | null]> },
    { key: null, value: null },
    { key: null, value: Buffer.alloc(3000, 'big') },
  ];

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`${codec}: encodeBatch → decodeBatches gives the records back, with a valid CRC-32C and the codec id`, async () => {
      const batch = await encodeBatch(records, codec, 1_700_000_000_000);
      assert.equal(batch.readUInt32BE(17), crc32c(batch.subarray(21)));
      assert.equal(batch.readInt16BE(21) & 7, { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[codec]);
      batch.writeBigInt64BE(40n, 0); // as the broker assigns offsets
      const got = await decodeBatches(batch, 3, 41n);
      assert.deepEqual(got.map((r) => [r.partition, r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null, r.headers.length]),
        [[3, 41n, null, null, 0], [3, 42n, null, 'big'.repeat(1000), 0]]);
      assert.equal(got[0]!.timestamp, 1_700_000_000_000n);
    });
  }

  it('reads batches written by an independent encoder; skips control batches and a trailing partial batch', async () => {
    const a = referenceBatch([{ key: Buffer.from('a'), value: Buffer.from('1'), timestampDelta: 5 }], { baseOffset: 0, baseTimestamp: 1000 });
    const control = referenceBatch([{ key: Buffer.alloc(4), value: Buffer.alloc(6) }], { baseOffset: 1, control: true, transactional: true });
    const b = referenceBatch([{ value: Buffer.from('2'), headers: [['h', null]] }], { baseOffset: 2, logAppendTime: true, baseTimestamp: 2000 });
    const data = Buffer.concat([a, control, b, b.subarray(0, 30)]);
    const got = await decodeBatches(data, 0, 0n);
    assert.deepEqual(got.map((r) => [r.offset, r.value!.toString(), r.timestamp, r.timestampType, r.headers]),
      [[0n, '1', 1005n, 'CreateTime', []], [2n, '2', 2000n, 'LogAppendTime', [['h', null]]]]);
  });

  it('snappy: snappy-java\'s framed stream (Java producers) decodes as raw snappy does', async () => {
    const snappy = require('snappy') as { compressSync(b: Buffer): Buffer };
    const parts = [Buffer.from('first block '), Buffer.from('second block')];
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const blocks = parts.map((p) => { const c = snappy.compressSync(p); const len = Buffer.alloc(4); len.writeInt32BE(c.length); return Buffer.concat([len, c]); });
    assert.equal((await decompress(2, Buffer.concat([header, ...blocks]))).toString(), 'first block second block');
    assert.equal((await decompress(2, await compress('snappy', Buffer.from('raw')))).toString(), 'raw');
  });

  it('codec names parse case-insensitively; an unknown one is refused', () => {
    assert.equal(parseCodec('ZSTD'), 'zstd');
    assert.throws(() => parseCodec('brotli'), /Unknown compression name: brotli/);
  });
});

describe('group protocol bytes', () => {
  it('subscription and assignment round-trip; RangeAssignor gives contiguous ranges, the first members one more', () => {
    assert.deepEqual(decodeSubscriptionTopics(encodeSubscription(['t', 'ü'])), ['t', 'ü']);
    assert.deepEqual(decodeAssignmentAll(encodeAssignment('t', [0, 2])), [{ topic: 't', partition: 0 }, { topic: 't', partition: 2 }]);
    const members = ['m-c', 'm-a', 'm-b'].map((memberId) => ({ memberId, metadata: encodeSubscription(['t']) }));
    const got = rangeAssign(members, 't', 7).map((a) => [a.memberId, decodeAssignmentAll(a.assignment).map((x) => x.partition)]);
    assert.deepEqual(got, [['m-c', [5, 6]], ['m-a', [0, 1, 2]], ['m-b', [3, 4]]]);
  });
});

describe('kafka-consumer-groups tables', () => {
  it('the offsets table: ConsumerGroupCommand\'s widths (at least 15, widest cell), "-" where unknown, a leading blank line', () => {
    const text = offsetsTable([
      { group: 'group2', topic: 'kang', partition: 0, current: 6n, logEnd: 1285823n, lag: 1285817n, consumerId: '-', host: '-', clientId: '-' },
      { group: 'group2', topic: 'a-rather-long-topic-name', partition: 1, current: undefined, logEnd: 3n, lag: undefined, consumerId: 'c-1', host: '/127.0.0.1', clientId: 'cli' },
    ]);
    assert.equal(text,
      '\nGROUP           TOPIC                    PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID' +
      '\ngroup2          kang                     0          6               1285823         1285817         -               -               -' +
      '\ngroup2          a-rather-long-topic-name 1          -               3               -               c-1             /127.0.0.1      cli\n');
  });

  it('the reset table: %-30s %-30s %-10s %-15s lines', () => {
    assert.equal(resetTable([{ group: 'g', topic: 't', partition: 0, offset: 5n }]),
      `\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n${'g'.padEnd(30)} ${'t'.padEnd(30)} ${'0'.padEnd(10)} ${'5'.padEnd(15)}\n`);
    assert.equal(resetTable([]), '\n');
  });
});

describe('console tool pieces', () => {
  it('LineReader: headers, key, value and null.marker as LineMessageReader splits a line', () => {
    const reader = new LineReader('t', new Map([['parse.key', 'true'], ['parse.headers', 'true'], ['null.marker', '~']]));
    const r = reader.parse('a:1,b:~\t~\tvalue\twith tab');
    assert.deepEqual([r.key, r.value?.toString(), r.headers], [null, 'value\twith tab', [['a', Buffer.from('1')], ['b', null]]]);
  });

  it('MessageFormatter: only the value by default; every column when asked', () => {
    const record = { partition: 2, offset: 9n, timestamp: 5n, timestampType: 'CreateTime' as const, key: Buffer.from('k'), value: null, headers: [] };
    assert.equal(new MessageFormatter(new Map()).format(record).toString(), 'null\n');
    const all = new MessageFormatter(new Map(['timestamp', 'partition', 'offset', 'headers', 'key'].map((c) => [`print.${c}`, 'true'])));
    assert.equal(all.format(record).toString(), 'CreateTime:5\tPartition:2\tOffset:9\tNO_HEADERS\tk\tnull\n');
  });

  it('bootstrap lists: host:port pairs, 9092 by default', () => {
    assert.deepEqual(parseBootstrap('a:1, b ,[::1]:3'), [{ host: 'a', port: 1 }, { host: 'b', port: 9092 }, { host: '::1', port: 3 }]);
    assert.throws(() => parseBootstrap(' , '), /no bootstrap server/);
  });
});

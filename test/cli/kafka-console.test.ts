// `junction kafka console-producer` and `console-consumer` against a Junction started here, checked
// against kcat (librdkafka 2.0.2): what our producer writes kcat reads, what kcat writes (gzip,
// snappy, lz4, zstd) our consumer prints. Texts are kafka-console-*.sh's (ConsoleConsumer,
// DefaultMessageFormatter, LineMessageReader in apache/kafka 1eb7644).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { kcat, kcatReadAll } from '../compat/kafka/common.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { fetchBody, firstPartition, WireClient } from '../kafka/wire-client.js';
import { CLI, runCli } from './run-cli.js';

describe('junction kafka console-producer / console-consumer', () => {
  let server: TestServer;
  let bootstrap: string;
  const producer = (input: string, ...args: string[]) =>
    runCli(['kafka', 'console-producer', '--bootstrap-server', bootstrap, ...args], { input, timeoutMs: 60_000 });
  const consumer = (...args: string[]) => runCli(['kafka', 'console-consumer', '--bootstrap-server', bootstrap, ...args], { timeoutMs: 30_000 });

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 1 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
  });
  after(async () => { await server?.destroy(); });

  it('producer: one record per stdin line, auto-creating the topic; kcat reads the same records in order', async () => {
    const r = await producer('one\ntwo\r\nthree\n\nlast-without-newline', '--topic', 'lines');
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
    assert.deepEqual(await kcatReadAll(bootstrap, 'lines'), ['0 0  one', '0 1  two', '0 2  three', '0 3  ', '0 4  last-without-newline']);
  });

  it('producer: parse.key with key.separator and parse.headers, as LineMessageReader splits them', async () => {
    await producer('k1:v1\nk2:v:2\n', '--topic', 'keyed', '--property', 'parse.key=true', '--property', 'key.separator=:');
    assert.deepEqual(await kcatReadAll(bootstrap, 'keyed'), ['0 0 k1 v1', '0 1 k2 v:2']);
    await producer('h1:x,h2:y\tkey\tvalue\n', '--topic', 'headed', '--property', 'parse.key=true', '--property', 'parse.headers=true');
    const out = await kcat(['-b', bootstrap, '-C', '-t', 'headed', '-e', '-q', '-f', '%h|%k|%s\\n']);
    assert.equal(out, 'h1=x,h2=y|key|value\n');
  });

  it('producer: Ctrl-C sends what was read before exiting (linger.ms 60 s would hold it otherwise)', async () => {
    const child = spawn(process.execPath, [CLI, 'kafka', 'console-producer', '--bootstrap-server', bootstrap, '--topic', 'interrupted',
      '--timeout', '60000'], { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.write('kept-1\nkept-2\n');
    // The producer creates the topic after installing its signal handler and before reading stdin
    // (--list asks for all topics, so unlike kcat -L -t it does not create the topic itself).
    const listed = async () => (await runCli(['kafka', 'topics', '--bootstrap-server', bootstrap, '--list'])).stdout.split('\n').includes('interrupted');
    for (let i = 0; i < 100 && !(await listed()); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const [code] = await once(child, 'exit') as [number | null];
    assert.equal(code, 0);
    assert.deepEqual(await kcatReadAll(bootstrap, 'interrupted'), ['0 0  kept-1', '0 1  kept-2']);
  });

  it('producer: a keyed line without the separator fails with Kafka\'s message (exit 1)', async () => {
    const r = await producer('no-separator\n', '--topic', 'keyed2', '--property', 'parse.key=true');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "No key separator found on line number 1: 'no-separator'\n");
  });

  it('producer: 200,000 piped lines go out batched and arrive complete and in order', async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => String(i + 1));
    const r = await producer(lines.join('\n') + '\n', '--topic', 'seq');
    assert.equal(r.code, 0, r.stderr);
    const out = await kcat(['-b', bootstrap, '-C', '-t', 'seq', '-e', '-q', '-o', 'beginning'], undefined, 60_000);
    assert.deepEqual(out.split('\n').slice(0, -1), lines);
  });

  it('producer --request-required-acks 0 (no answers) and --sync: every record arrives', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `r${i}`);
    assert.equal((await producer(lines.join('\n') + '\n', '--topic', 'acks0', '--request-required-acks', '0')).code, 0);
    const out = await kcat(['-b', bootstrap, '-C', '-t', 'acks0', '-e', '-q', '-o', 'beginning']);
    assert.deepEqual(out.split('\n').slice(0, -1), lines);
    assert.equal((await producer('s1\ns2\n', '--topic', 'synced', '--sync', '--request-required-acks', '1')).code, 0);
    assert.deepEqual(await kcatReadAll(bootstrap, 'synced'), ['0 0  s1', '0 1  s2']);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`producer --compression-codec ${codec}: batches stored with that codec; kcat and our consumer read them`, async () => {
      const topic = `pc-${codec}`;
      const values = Array.from({ length: 50 }, (_, i) => `${codec} record ${i} `.repeat(5).trim());
      assert.equal((await producer(values.join('\n') + '\n', '--topic', topic, '--compression-codec', codec)).code, 0);
      const client = await WireClient.connect(server.ports.kafka!);
      const stored = firstPartition((await client.request(ApiKey.Fetch, 11, fetchBody(topic, [[0, 0, 1 << 20]]))).body).records as Buffer;
      client.close();
      assert.equal(stored.readInt16BE(21) & 0x07, { gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[codec]);
      const read = await kcat(['-b', bootstrap, '-C', '-t', topic, '-e', '-q']);
      assert.deepEqual(read.split('\n').slice(0, -1), values);
      const ours = await consumer('--topic', topic, '--from-beginning', '--max-messages', '50');
      assert.deepEqual(ours.stdout.split('\n').slice(0, -1), values);
    });
  }

  // kcat's lz4 needs librdkafka's LZ4 feature, on since FindCoordinator is served.
  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`consumer decompresses kcat -z ${codec} batches (stored with that codec)`, async () => {
      const topic = `kz-${codec}`;
      const values = Array.from({ length: 30 }, (_, i) => `${codec}-${i} `.repeat(8).trim());
      await kcat(['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-z', codec], values.join('\n') + '\n');
      const client = await WireClient.connect(server.ports.kafka!);
      const stored = firstPartition((await client.request(ApiKey.Fetch, 11, fetchBody(topic, [[0, 0, 1 << 20]]))).body).records as Buffer;
      client.close();
      assert.equal(stored.readInt16BE(21) & 0x07, { gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[codec]);
      const r = await consumer('--topic', topic, '--from-beginning', '--max-messages', '30');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.split('\n').slice(0, -1), values);
      assert.equal(r.stderr, 'Processed a total of 30 messages\n');
    });
  }

  it('consumer --property print.*: columns in DefaultMessageFormatter\'s order and separators', async () => {
    await kcat(['-b', bootstrap, '-P', '-t', 'fmt', '-K', ':', '-H', 'h=v'], 'key1:value1\n');
    // null.marker turns the key into null, printed as null.literal; no headers print NO_HEADERS.
    await producer('NULL:value2\n', '--topic', 'fmt', '--property', 'parse.key=true', '--property', 'key.separator=:', '--property', 'null.marker=NULL');
    const r = await consumer('--topic', 'fmt', '--from-beginning', '--max-messages', '2', '--property', 'print.partition=true',
      '--property', 'print.offset=true', '--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'key.separator=|');
    assert.equal(r.stdout, 'Partition:0|Offset:0|h:v|key1|value1\nPartition:0|Offset:1|NO_HEADERS|null|value2\n');
    const ts = await consumer('--topic', 'fmt', '--from-beginning', '--max-messages', '1', '--property', 'print.timestamp=true',
      '--property', 'print.value=false', '--property', 'print.key=true');
    assert.match(ts.stdout, /^CreateTime:\d{13}\tkey1\n$/);
  });

  it('consumer --partition --offset reads from that offset; --timeout-ms ends an idle run with the count', async () => {
    const r = await consumer('--topic', 'lines', '--partition', '0', '--offset', '2', '--timeout-ms', '1000');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'three\n\nlast-without-newline\n');
    assert.equal(r.stderr, 'ERROR Error processing message, terminating consumer process: org.apache.kafka.common.errors.TimeoutException\n' +
      'Processed a total of 3 messages\n');
  });

  it('consumer: an --offset past the end is reset by auto.offset.reset (latest by default, earliest when set)', async () => {
    const latest = await consumer('--topic', 'lines', '--partition', '0', '--offset', '1000', '--timeout-ms', '800');
    assert.equal(latest.stdout, '');
    const earliest = await consumer('--topic', 'lines', '--partition', '0', '--offset', '1000', '--max-messages', '2',
      '--consumer-property', 'auto.offset.reset=earliest');
    assert.equal(earliest.stdout, 'one\ntwo\n');
  });

  it('consumer without --from-beginning starts at the end (auto.offset.reset=latest)', async () => {
    const r = await consumer('--topic', 'lines', '--timeout-ms', '800');
    assert.deepEqual([r.stdout, r.stderr.split('\n').at(-2)], ['', 'Processed a total of 0 messages']);
  });

  it('consumer usage errors exit 2 with ConsoleConsumerOptions\' messages', async () => {
    const offsetOnly = await consumer('--topic', 'lines', '--offset', '1');
    assert.equal(offsetOnly.code, 2);
    assert.match(offsetOnly.stderr, /The partition is required when offset is specified\./);
    const both = await consumer('--topic', 'lines', '--group', 'g', '--partition', '0');
    assert.match(both.stderr, /Options group and partition cannot be specified together\./);
    const badOffset = await consumer('--topic', 'lines', '--partition', '0', '--offset', 'x');
    assert.match(badOffset.stderr, /The provided offset value 'x' is incorrect\. Valid values are 'earliest', 'latest', or a non-negative long\./);
  });
});

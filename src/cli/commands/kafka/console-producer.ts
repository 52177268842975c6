/**
 * `junction kafka console-producer`: kafka-console-producer.sh. Each stdin line is one record, read
 * and parsed as LineMessageReader does (parse.key, key.separator, parse.headers, headers.delimiter,
 * headers.separator, headers.key.separator, null.marker, ignore.error); records are batched
 * (batch.size 16384, linger.ms 1000 via --timeout, acks -1 via --request-required-acks, as
 * ConsoleProducer's option defaults) so a piped file goes out at full speed.
 */
import { parseCodec, type CodecName } from '../../../kafka/client/compression.js';
import { BatchingProducer, type ProducerOptions } from '../../../kafka/client/producer.js';
import type { ProducerRecord } from '../../../kafka/client/records.js';
import { UsageError, type Args } from '../../args.js';
import { bool, connectKafka, CONNECTION_USAGE, intOption, isTrue, KafkaToolFailure, keyValues, parseKafkaArgs, str, strs } from './common.js';

export const CONSOLE_PRODUCER_USAGE = `usage: junction kafka console-producer --bootstrap-server HOST:PORT --topic T [options]
(kafka-console-producer.sh: each line of stdin is one record)

options:
${CONNECTION_USAGE}
  --broker-list HOST:PORT        the older name of --bootstrap-server
  --topic T                      REQUIRED: the topic (created by the broker if it auto-creates)
  --compression-codec [CODEC]    none, gzip (the default when given without a value), snappy, lz4, zstd
  --request-required-acks ACKS   0, 1, -1/all (default -1)
  --batch-size BYTES             batch.size (default 16384)
  --timeout MS                   linger.ms (default 1000)
  --sync                         send each record and wait for its acknowledgement
  --producer-property K=V        acks, compression.type, batch.size, linger.ms, client.id, retries … (repeatable)
  --property K=V                 reader: parse.key=true, key.separator=SEP (default tab), parse.headers=true,
                                 headers.delimiter, headers.separator, headers.key.separator, null.marker,
                                 ignore.error=true (repeatable)
`;

const OPTIONS = {
  topic: str, sync: bool, 'compression-codec': str, 'batch-size': str, timeout: str, 'request-required-acks': str,
  'request-timeout-ms': str, 'message-send-max-retries': str, 'retry-backoff-ms': str, 'max-partition-memory-bytes': str,
  'producer-property': strs, property: strs,
};

/** `--compression-codec` takes an optional value (joptsimple withOptionalArg): alone it means gzip. */
function withCodecDefault(argv: string[]): string[] {
  return argv.flatMap((a, i) => (a === '--compression-codec' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))
    ? [a, 'gzip'] : [a]));
}

export async function consoleProducerCommand(argv: string[]): Promise<void> {
  const args = parseKafkaArgs(withCodecDefault(argv), OPTIONS, CONSOLE_PRODUCER_USAGE);
  const topic = args.string('topic');
  if (!topic) throw new UsageError('Missing required argument "[topic]"', CONSOLE_PRODUCER_USAGE);
  const reader = new LineReader(topic, keyValues(args, 'property'));
  const props = keyValues(args, 'producer-property');
  const conn = await connectKafka(args, props.get('client.id') ?? 'console-producer');
  let producer: BatchingProducer | undefined;
  // Ctrl-C / SIGTERM stop reading and send what was read, as the Java tool's shutdown hook closes
  // (and so flushes) the producer.
  let stopped = false;
  const stop = () => { stopped = true; process.stdin.destroy(); };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    producer = await BatchingProducer.create(conn, producerOptions(args, props, topic));
    try {
      const sync = args.flag('sync');
      for await (const lines of stdinLines()) {
        for (const line of lines) {
          const pending = producer.send(reader.parse(line));
          if (pending) await pending;
          if (sync) await producer.flush();
        }
      }
    } catch (err) {
      if (!stopped) throw err;
    }
    await producer.flush();
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    producer?.close();
    conn.close();
  }
  if (producer.failed > 0) process.exitCode = 1;
}

function producerOptions(args: Args, props: Map<string, string>, topic: string): ProducerOptions {
  // An explicit flag wins over --producer-property, which wins over the flag's default (CommandLineUtils.maybeMergeOptions).
  const pick = (flag: string, prop: string, fallback: number): number => intOption(args, flag) ?? numberProp(props, prop) ?? fallback;
  const codecText = args.string('compression-codec') ?? props.get('compression.type') ?? 'none';
  let codec: CodecName;
  try { codec = parseCodec(codecText); } catch (err) { throw new UsageError((err as Error).message, CONSOLE_PRODUCER_USAGE); }
  return {
    topic, codec,
    acks: parseAcks(args.string('request-required-acks') ?? props.get('acks') ?? '-1'),
    batchSize: intOption(args, 'max-partition-memory-bytes') ?? pick('batch-size', 'batch.size', 16_384),
    lingerMs: pick('timeout', 'linger.ms', 1000),
    requestTimeoutMs: pick('request-timeout-ms', 'request.timeout.ms', 1500),
    retries: pick('message-send-max-retries', 'retries', 3),
    retryBackoffMs: pick('retry-backoff-ms', 'retry.backoff.ms', 100),
    maxInFlight: numberProp(props, 'max.in.flight.requests.per.connection') ?? 5,
    onError: (record: ProducerRecord, message: string) => {
      // ErrorLoggingCallback.onCompletion's line.
      process.stderr.write(`ERROR Error when sending message to topic ${topic} with key: ${record.key === null ? 'null' : `${record.key.length} bytes`}, ` +
        `value: ${record.value === null ? 'null' : `${record.value.length} bytes`} with error: ${message}\n`);
    },
  };
}

function numberProp(props: Map<string, string>, name: string): number | undefined {
  const v = props.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`Invalid value ${v} for configuration ${name}: Not a number of type INT`, CONSOLE_PRODUCER_USAGE);
  return n;
}

function parseAcks(v: string): number {
  const acks = v.trim().toLowerCase() === 'all' ? -1 : Number(v);
  if (![0, 1, -1].includes(acks)) throw new UsageError(`Invalid value ${v} for configuration acks: String must be one of: all, -1, 0, 1`, CONSOLE_PRODUCER_USAGE);
  return acks;
}

/** stdin split into lines as BufferedReader.readLine does (\n, \r\n or \r ends a line), a chunk's lines at a time. */
async function* stdinLines(): AsyncGenerator<string[]> {
  let rest = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin as AsyncIterable<string>) {
    const lines = (rest + chunk).split(/\r\n|\n|\r(?!$)/);
    rest = lines.pop()!;
    yield lines;
  }
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest !== '') yield [rest];
}

/** LineMessageReader: one line → one record. */
export class LineReader {
  private readonly parseKey: boolean;
  private readonly keySeparator: string;
  private readonly parseHeaders: boolean;
  private readonly headersDelimiter: string;
  private readonly headersSeparator: string;
  private readonly headersKeySeparator: string;
  private readonly ignoreError: boolean;
  private readonly nullMarker: string | undefined;
  private lineNumber = 0;

  constructor(readonly topic: string, props: Map<string, string>) {
    this.parseKey = isTrue(props.get('parse.key'));
    this.keySeparator = props.get('key.separator') ?? '\t';
    this.parseHeaders = isTrue(props.get('parse.headers'));
    this.headersDelimiter = props.get('headers.delimiter') ?? '\t';
    this.headersSeparator = props.get('headers.separator') ?? ',';
    this.headersKeySeparator = props.get('headers.key.separator') ?? ':';
    this.ignoreError = isTrue(props.get('ignore.error'));
    this.nullMarker = props.get('null.marker');
    if (this.nullMarker !== undefined && this.nullMarker === this.keySeparator) {
      throw new KafkaToolFailure('null.marker and key.separator may not be equal', 1);
    }
  }

  parse(line: string): ProducerRecord {
    this.lineNumber++;
    const headers = this.field(this.parseHeaders, line, 0, this.headersDelimiter, 'headers delimiter');
    const headerOffset = headers === null ? 0 : headers.length + this.headersDelimiter.length;
    const key = this.field(this.parseKey, line, headerOffset, this.keySeparator, 'key separator');
    const keyOffset = key === null ? 0 : key.length + this.keySeparator.length;
    const value = line.slice(headerOffset + keyOffset);
    return {
      key: key !== null && key !== this.nullMarker ? Buffer.from(key, 'utf8') : null,
      value: value !== this.nullMarker ? Buffer.from(value, 'utf8') : null,
      headers: headers !== null && headers !== this.nullMarker ? this.splitHeaders(headers) : [],
    };
  }

  private field(enabled: boolean, line: string, start: number, separator: string, what: string): string | null {
    if (!enabled) return null;
    const at = line.indexOf(separator, start);
    if (at === -1) {
      if (this.ignoreError) return null;
      throw new KafkaToolFailure(`No ${what} found on line number ${this.lineNumber}: '${line}'`, 1);
    }
    return line.slice(start, at);
  }

  private splitHeaders(text: string): Array<[string, Buffer | null]> {
    return text.split(this.headersSeparator).map((pair): [string, Buffer | null] => {
      const at = pair.indexOf(this.headersKeySeparator);
      if (at === -1) {
        if (this.ignoreError) return [pair, null];
        throw new KafkaToolFailure(`No header key separator found in pair '${pair}' on line number ${this.lineNumber}`, 1);
      }
      const value = pair.slice(at + this.headersKeySeparator.length);
      return [pair.slice(0, at), value === this.nullMarker ? null : Buffer.from(value, 'utf8')];
    });
  }
}

/**
 * A minimal Kafka client connection for Junction's CLI (`junction kafka …`), built on the broker's
 * own grammars (src/kafka/protocol): one socket, requests pipelined and answered in order (Kafka
 * answers a connection's requests in order, SocketServer muting the channel), ApiVersions first so
 * every later request uses min(the version we prefer, the broker's max) as the Java NetworkClient
 * does (NodeApiVersions.latestUsableVersion).
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { JunctionError } from '../../core/errors.js';
import { encodeFrame, LengthPrefixedFramer } from '../../core/net/framer.js';
import { API_GRAMMARS } from '../protocol/apis/index.js';
import { apiKeyInfo, ApiKey } from '../protocol/api-keys.js';
import { readResponseHeader, writeRequestHeader } from '../protocol/headers.js';
import { Reader } from '../protocol/reader.js';
import { decode, encode } from '../protocol/schema.js';
import { Writer } from '../protocol/writer.js';

/** The broker could not be reached, closed the connection, or does not serve what we need. */
export class KafkaClientError extends JunctionError {
  constructor(message: string) { super('KAFKA_CLIENT', message); }
}

export type Body = Record<string, unknown>;

interface Pending { apiKey: number; version: number; resolve(body: Body): void; reject(err: Error): void }

export interface ConnectOptions {
  /** "host:port[,host:port…]" as --bootstrap-server takes it; the first that answers is used. */
  bootstrap: string;
  clientId: string;
  timeoutMs?: number;
}

/**
 * The highest version of each API whose request and response bodies this client writes and reads:
 * the last non-flexible ones. The broker's grammars go further (flexible versions, for
 * @platformatic/kafka and Java 3.x), and those bodies differ — FindCoordinator v4 batches keys,
 * OffsetFetch v8 batches groups, DeleteTopics v6 and Fetch v13 name topics by id — so this client
 * stays below them, as it would against any Kafka 2.x or 3.x broker.
 */
const CLIENT_MAX_VERSIONS: ReadonlyMap<number, number> = new Map([
  [ApiKey.Produce, 8], [ApiKey.Fetch, 11], [ApiKey.ListOffsets, 5], [ApiKey.Metadata, 8], [ApiKey.OffsetCommit, 7],
  [ApiKey.OffsetFetch, 5], [ApiKey.FindCoordinator, 2], [ApiKey.JoinGroup, 5], [ApiKey.Heartbeat, 3], [ApiKey.LeaveGroup, 3],
  [ApiKey.SyncGroup, 3], [ApiKey.DescribeGroups, 4], [ApiKey.ListGroups, 2], [ApiKey.CreateTopics, 4], [ApiKey.DeleteTopics, 3],
  [ApiKey.DeleteRecords, 1], [ApiKey.InitProducerId, 1], [ApiKey.OffsetForLeaderEpoch, 3], [ApiKey.DescribeConfigs, 3],
  [ApiKey.AlterConfigs, 1], [ApiKey.SaslAuthenticate, 1], [ApiKey.CreatePartitions, 1], [ApiKey.DeleteGroups, 1],
  [ApiKey.IncrementalAlterConfigs, 0],
]);

/** Largest response frame accepted: a Fetch answers up to fetch.max.bytes (50 MiB) plus overhead. */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export class KafkaConnection {
  private readonly framer = new LengthPrefixedFramer(MAX_RESPONSE_BYTES);
  private readonly pending: Pending[] = [];
  private nextCorrelation = 0;
  private brokerVersions = new Map<number, { min: number; max: number }>();
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket, readonly clientId: string, readonly address: string) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(new KafkaClientError(`connection to ${address} failed: ${err.message}`)));
    socket.on('close', () => this.fail(new KafkaClientError(`connection to ${address} closed by the broker`)));
  }

  /** Connects to the first bootstrap address that accepts, and learns its API versions. */
  static async connect(opts: ConnectOptions): Promise<KafkaConnection> {
    const errors: string[] = [];
    for (const address of parseBootstrap(opts.bootstrap)) {
      try {
        const socket = connect({ host: address.host, port: address.port, noDelay: true });
        const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${opts.timeoutMs ?? 10_000} ms`)),
          opts.timeoutMs ?? 10_000);
        try { await once(socket, 'connect'); } finally { clearTimeout(timer); }
        const conn = new KafkaConnection(socket, opts.clientId, `${address.host}:${address.port}`);
        await conn.negotiateVersions();
        return conn;
      } catch (err) {
        errors.push(`${address.host}:${address.port}: ${(err as Error).message}`);
      }
    }
    throw new KafkaClientError(`could not connect to any bootstrap server (${errors.join('; ')})`);
  }

  /** min(our highest, the broker's highest) for the API, or null if the broker does not serve it. */
  usableVersion(apiKey: number, preferredMax?: number): number | null {
    const ours = apiKeyInfo(apiKey);
    const theirs = this.brokerVersions.get(apiKey);
    if (ours === undefined || theirs === undefined) return null;
    const version = Math.min(preferredMax ?? ours.max, ours.max, CLIENT_MAX_VERSIONS.get(apiKey) ?? ours.max, theirs.max);
    return version >= Math.max(ours.min, theirs.min) ? version : null;
  }

  supports(apiKey: number): boolean { return this.usableVersion(apiKey) !== null; }

  /** Sends one request at the usable version and resolves with the decoded response body. */
  request(apiKey: number, body: Body, preferredMax?: number): Promise<Body> {
    const version = this.usableVersion(apiKey, preferredMax);
    if (version === null) {
      const name = apiKeyInfo(apiKey)?.name ?? `API ${apiKey}`;
      return Promise.reject(new KafkaClientError(`the broker at ${this.address} does not support ${name}`));
    }
    return this.requestAt(apiKey, version, body);
  }

  /** Sends without waiting for the answer (acks=0 Produce gets none: Kafka sends no response). */
  sendOnly(apiKey: number, body: Body): void {
    const version = this.usableVersion(apiKey);
    if (version === null) throw new KafkaClientError(`the broker at ${this.address} does not support API ${apiKey}`);
    this.write(apiKey, version, body);
  }

  requestAt(apiKey: number, version: number, body: Body): Promise<Body> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.write(apiKey, version, body);
      this.pending.push({ apiKey, version, resolve, reject });
    });
  }

  /** Resolves once everything written so far has been handed to the kernel (back-pressure). */
  async drained(): Promise<void> {
    if (this.socket.writableNeedDrain) await once(this.socket, 'drain');
  }

  /** Ends the connection after what was written is sent (an acks=0 Produce has no answer to wait for). */
  close(): void {
    this.closedError ??= new KafkaClientError('connection closed');
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private async negotiateVersions(): Promise<void> {
    // ApiVersions v0 is understood by every broker (KIP-511 answers an unknown version with v0 too).
    const body = await this.requestAt(ApiKey.ApiVersions, 0, {});
    const errorCode = body.errorCode as number;
    if (errorCode !== 0) throw new KafkaClientError(`ApiVersions failed with error code ${errorCode}`);
    for (const k of body.apiKeys as Array<{ apiKey: number; minVersion: number; maxVersion: number }>) {
      this.brokerVersions.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
    }
  }

  private write(apiKey: number, version: number, body: Body): void {
    const w = new Writer();
    writeRequestHeader(w, { requestApiKey: apiKey, requestApiVersion: version, correlationId: this.nextCorrelation++, clientId: this.clientId });
    encode(API_GRAMMARS.get(apiKey)!.request, version, body, w);
    this.socket.write(encodeFrame(w.finish()));
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.framer.push(chunk);
    } catch (err) {
      this.fail(new KafkaClientError(`bad response frame: ${(err as Error).message}`));
      this.socket.destroy();
      return;
    }
    for (const frame of frames) {
      const waiter = this.pending.shift();
      if (!waiter) { this.fail(new KafkaClientError('response without a request')); return; }
      try {
        const r = new Reader(frame);
        readResponseHeader(r, waiter.apiKey, waiter.version);
        waiter.resolve(decode(API_GRAMMARS.get(waiter.apiKey)!.response, waiter.version, r) as Body);
      } catch (err) {
        waiter.reject(new KafkaClientError(`undecodable response to API ${waiter.apiKey} v${waiter.version}: ${(err as Error).message}`));
      }
    }
  }

  private fail(err: Error): void {
    this.closedError ??= err;
    for (const waiter of this.pending.splice(0)) waiter.reject(err);
  }
}

/** "h1:p1,h2:p2" → addresses; a missing port is Kafka's default 9092. */
export function parseBootstrap(list: string): Array<{ host: string; port: number }> {
  const out = list.split(',').map((s) => s.trim()).filter((s) => s !== '').map((entry) => {
    const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry);
    if (!m || m[1] === '') throw new KafkaClientError(`invalid bootstrap server ${JSON.stringify(entry)}`);
    return { host: m[1]!, port: m[2] === undefined ? 9092 : Number(m[2]) };
  });
  if (out.length === 0) throw new KafkaClientError('no bootstrap server given');
  return out;
}

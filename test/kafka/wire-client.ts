/**
 * A minimal Kafka client over a raw socket for server tests: it sends request frames built with the
 * protocol grammars and reads response frames in order, so tests can send what real clients never
 * do (pipelined requests, acks=0, bad versions, oversized or malformed frames) and see exactly
 * what comes back, including a closed connection.
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { encodeFrame, LengthPrefixedFramer } from '../../src/core/net/framer.js';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { API_GRAMMARS } from '../../src/kafka/protocol/apis/index.js';
import { readResponseHeader } from '../../src/kafka/protocol/headers.js';
import { Reader } from '../../src/kafka/protocol/reader.js';
import { decode } from '../../src/kafka/protocol/schema.js';
import type { AuthService } from '../../src/core/auth/auth-service.js';
import { encodeRequest } from './helpers.js';

export interface WireResponse { correlationId: number; body: Record<string, unknown> }

export class WireClient {
  private readonly framer = new LengthPrefixedFramer(1 << 30);
  private readonly frames: Buffer[] = [];
  private waiting: (() => void) | null = null;
  private nextCorrelation = 1;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...this.framer.push(chunk));
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => { /* seen as close */ });
  }

  static async connect(port: number): Promise<WireClient> {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    await once(socket, 'connect');
    return new WireClient(socket);
  }

  /** Send one request; returns its correlation id. */
  send(apiKey: number, apiVersion: number, body: Record<string, unknown>, clientId = 'wire-test'): number {
    const correlationId = this.nextCorrelation++;
    const frame = encodeRequest({ requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId, clientId }, body);
    this.sendRaw(frame);
    return correlationId;
  }

  /** Bytes with a size prefix added. */
  sendRaw(frame: Buffer): void {
    this.socket.write(encodeFrame(frame));
  }

  /** The next response frame, decoded as the response of (apiKey, apiVersion); null if the server closed. */
  async receive(apiKey: number, apiVersion: number, timeoutMs = 10_000): Promise<WireResponse | null> {
    const frame = await this.nextFrame(timeoutMs);
    if (frame === null) return null;
    const r = new Reader(frame);
    const { correlationId } = readResponseHeader(r, apiKey, apiVersion);
    const body = decode(API_GRAMMARS.get(apiKey)!.response, apiVersion, r) as Record<string, unknown>;
    return { correlationId, body };
  }

  /** The next frame as it came, without its size prefix (a raw SASL token); null if the server closed. */
  receiveRaw(timeoutMs = 10_000): Promise<Buffer | null> { return this.nextFrame(timeoutMs); }

  async request(apiKey: number, apiVersion: number, body: Record<string, unknown>): Promise<WireResponse> {
    const id = this.send(apiKey, apiVersion, body);
    const response = await this.receive(apiKey, apiVersion);
    if (response === null) throw new Error(`connection closed instead of answering API ${apiKey} v${apiVersion}`);
    if (response.correlationId !== id) throw new Error(`correlation id ${response.correlationId}, expected ${id}`);
    return response;
  }

  /** Resolves true once the server has closed the connection, false if it is still open after ms. */
  async closedWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await this.waitForEvent(deadline - Date.now());
    return this.closed;
  }

  /** Frames received and not yet consumed. */
  get pendingFrames(): number { return this.frames.length; }

  close(): void { this.socket.destroy(); }

  private async nextFrame(timeoutMs: number): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.closed) return null;
      if (Date.now() >= deadline) throw new Error(`no response within ${timeoutMs} ms`);
      await this.waitForEvent(deadline - Date.now());
    }
    return this.frames.shift()!;
  }

  private waitForEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.waiting = null; resolve(); }, Math.max(1, ms));
      this.waiting = () => { clearTimeout(timer); this.waiting = null; resolve(); };
    });
  }

  private wake(): void { this.waiting?.(); }
}

/** A Produce v7 body for one partition. */
export function produceBody(topic: string, partition: number, records: Buffer | null, acks = 1): Record<string, unknown> {
  return { transactionalId: null, acks, timeoutMs: 30_000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] };
}

/** A Fetch v11 body; `partitions` as [partition, fetchOffset, partitionMaxBytes]. */
export function fetchBody(topic: string, partitions: Array<[number, number, number]>, opts: { maxWaitMs?: number; minBytes?: number; maxBytes?: number } = {}): Record<string, unknown> {
  return {
    replicaId: -1, maxWaitMs: opts.maxWaitMs ?? 0, minBytes: opts.minBytes ?? 1, maxBytes: opts.maxBytes ?? 50 * 1024 * 1024,
    isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, partitions: partitions.map(([partition, fetchOffset, partitionMaxBytes]) => ({ partition, currentLeaderEpoch: -1, fetchOffset: BigInt(fetchOffset), logStartOffset: -1n, partitionMaxBytes })) }],
    forgottenTopicsData: [], rackId: '',
  };
}

/** Partition `index` of the first topic of a Produce/Fetch/ListOffsets response body. */
export function firstPartition(body: Record<string, unknown>, key: 'responses' | 'topics' = 'responses'): Record<string, unknown> {
  const topic = (body[key] as Array<Record<string, unknown>>)[0]!;
  const list = (topic.partitionResponses ?? topic.partitions) as Array<Record<string, unknown>>;
  return list[0]!;
}

/** Log `c` in with SASL/PLAIN (SaslHandshake v1, SaslAuthenticate v1); fails the test on a refusal. */
export async function saslPlainLogin(c: WireClient, user: string, password: string): Promise<WireClient> {
  await c.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
  const { body } = await c.request(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from(`\0${user}\0${password}`) });
  if (body.errorCode !== 0) throw new Error(`SASL/PLAIN login of ${user} refused: ${String(body.errorMessage)}`);
  return c;
}

/** Create user `name` (password `${name}-pw`) with a role `${name}-role` that holds `grants`
 *  ([resource, action] pairs, e.g. ['kafka:topic:t-*', 'r']). */
export async function grantUser(auth: AuthService, name: string, grants: ReadonlyArray<readonly [string, string]>): Promise<void> {
  await auth.createUser(name, `${name}-pw`);
  await auth.addRole(`${name}-role`, name);
  for (const [resource, action] of grants) await auth.addPermission(`${name}-role`, resource, action);
}

/** Connections logged in with SASL/PLAIN as users made by grantUser, all closed by closeAll(). */
export function loginPool(port: () => number): { login(user: string): Promise<WireClient>; closeAll(): void } {
  const clients: WireClient[] = [];
  return {
    async login(user) {
      const c = await WireClient.connect(port());
      clients.push(c);
      return saslPlainLogin(c, user, `${user}-pw`);
    },
    closeAll() { for (const c of clients.splice(0)) c.close(); },
  };
}

/** Wait (up to 5 s) until the broker holds no connection any more, and assert it: every socket a
 *  test opened, fuzzed or not, is gone from the server once its client left. */
export async function assertNoConnectionsLeft(server: { junction: { personality(name: string): unknown } }): Promise<void> {
  const kafka = server.junction.personality('kafka') as { server: { listener: { connections: Set<unknown> } } };
  const deadline = Date.now() + 5000;
  while (kafka.server.listener.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (kafka.server.listener.connections.size !== 0) throw new Error(`${kafka.server.listener.connections.size} connections still open`);
}

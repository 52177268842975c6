/**
 * A throwaway Kafka listener for codec tests with real clients: it cuts frames with the shared
 * LengthPrefixedFramer, decodes them with decodeRequestFrame, records them, and answers through
 * encodeResponseFrame with whatever the test's handlers return. No storage and no groups: just
 * enough broker for a client to send the requests under test and to read our responses.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { encodeFrame, LengthPrefixedFramer } from '../../src/core/net/framer.js';
import { API_KEYS, ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { API_GRAMMARS } from '../../src/kafka/protocol/apis/index.js';
import { decodeRequestFrame, encodeResponseFrame } from '../../src/kafka/protocol/frames.js';
import type { RequestHeaderValue } from '../../src/kafka/protocol/headers.js';

export interface FakeRequest { header: RequestHeaderValue; body: Record<string, unknown> }
/** A response body, or 'silent' for no response (acks=0 Produce), or 'close' to drop the connection. */
export type FakeAnswer = Record<string, unknown> | 'silent' | 'close';
export type FakeHandler = (request: FakeRequest, broker: FakeBroker) => FakeAnswer | Promise<FakeAnswer>;

/** The version ranges of every API that has a grammar, as an ApiVersions response lists them. */
export function advertisedApiKeys(): { apiKey: number; minVersion: number; maxVersion: number }[] {
  return API_KEYS.filter((a) => API_GRAMMARS.has(a.key)).map((a) => ({ apiKey: a.key, minVersion: a.min, maxVersion: a.max }));
}

export const CLUSTER_ID = 'fakeClusterIdAAAAAAAAA';

/** ApiVersions and Metadata answers for one broker (node 0) holding `topics` (name → partition count). */
export function clusterHandlers(topics: Record<string, number>): Map<number, FakeHandler> {
  const topicEntry = (name: string) => {
    const count = topics[name];
    if (count === undefined) return { errorCode: 3, name, partitions: [] };
    const partitions = Array.from({ length: count }, (_, i) => ({ errorCode: 0, partitionIndex: i, leaderId: 0, replicaNodes: [0], isrNodes: [0] }));
    return { errorCode: 0, name, partitions };
  };
  return new Map<number, FakeHandler>([
    [ApiKey.ApiVersions, () => ({ errorCode: 0, apiKeys: advertisedApiKeys() })],
    [ApiKey.Metadata, ({ header, body }, broker) => {
      const asked = body.topics as { name: string }[] | null;
      // v0: an empty list means every topic; v1+: null means every topic (MetadataRequest.json).
      const all = asked === null || (header.requestApiVersion === 0 && asked.length === 0);
      const names = all ? Object.keys(topics) : asked.map((t) => t.name);
      return {
        brokers: [{ nodeId: 0, host: '127.0.0.1', port: broker.port }], clusterId: CLUSTER_ID, controllerId: 0,
        topics: names.map(topicEntry),
      };
    }],
  ]);
}

export class FakeBroker {
  /** Every request frame received, size prefix included, in arrival order (all connections). */
  readonly frames: Buffer[] = [];
  readonly requests: FakeRequest[] = [];

  /** API key → the versions the clients used, each once, ascending. */
  versionsSeen(): Map<number, number[]> {
    const versions = new Map<number, number[]>();
    for (const { header: { requestApiKey: key, requestApiVersion: v } } of this.requests) {
      const seen = versions.get(key) ?? [];
      if (!seen.includes(v)) versions.set(key, [...seen, v].sort());
    }
    return versions;
  }
  /** What made the broker close a connection (a decode or encode failure). */
  readonly errors: unknown[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  constructor(private readonly handlers: Map<number, FakeHandler>) {}

  get port(): number { return (this.server!.address() as AddressInfo).port; }

  async start(): Promise<this> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    const framer = new LengthPrefixedFramer(100 * 1024 * 1024);
    // Answers go out in request order, as Kafka's muted-channel processing guarantees.
    let previous = Promise.resolve();
    socket.on('data', (chunk) => {
      for (const frame of framer.push(chunk)) {
        this.frames.push(encodeFrame(frame));
        previous = previous.then(() => this.answer(socket, frame)).catch((e: unknown) => {
          // As Kafka does on a request it cannot parse or answer: note why, close the connection.
          this.errors.push(e);
          socket.destroy();
        });
      }
    });
  }

  private async answer(socket: Socket, frame: Buffer): Promise<void> {
    if (socket.destroyed) return;
    const decoded = decodeRequestFrame(frame);
    const { header } = decoded;
    if (decoded.kind === 'unsupported-api-versions') {
      socket.write(encodeResponseFrame(ApiKey.ApiVersions, 0, header.correlationId, { errorCode: 35, apiKeys: advertisedApiKeys() }));
      return;
    }
    const request = { header, body: decoded.body };
    this.requests.push(request);
    const handler = this.handlers.get(header.requestApiKey);
    const answer = handler ? await handler(request, this) : 'close';
    if (socket.destroyed) return;
    if (answer === 'close') socket.destroy();
    else if (answer !== 'silent') socket.write(encodeResponseFrame(header.requestApiKey, header.requestApiVersion, header.correlationId, answer));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

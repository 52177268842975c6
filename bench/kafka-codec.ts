/**
 * Kafka codec throughput (`npm run bench:kafka-codec`): decoding Produce requests, encoding Fetch
 * responses (one Buffer vs chunks that reference the batches) and Metadata responses, through the
 * generic schema walker. No reference implementation runs here (no Kafka broker on this machine),
 * so it prints figures only; compare runs before and after a codec change.
 */
import { API_GRAMMARS } from '../src/kafka/protocol/apis/index.js';
import { encodeResponseChunks, encodeResponseFrame } from '../src/kafka/protocol/frames.js';
import { Reader } from '../src/kafka/protocol/reader.js';
import { decode, encode } from '../src/kafka/protocol/schema.js';
import { Writer } from '../src/kafka/protocol/writer.js';

const MiB = 1024 * 1024;

function timed(seconds: number, op: () => number): { perSecond: number; bytesPerSecond: number } {
  let count = 0; let bytes = 0;
  const t0 = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - t0 < limit) {
    for (let i = 0; i < 16; i++) { bytes += op(); count++; }
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return { perSecond: count / secs, bytesPerSecond: bytes / secs };
}

function row(name: string, r: { perSecond: number; bytesPerSecond: number }): string {
  return `| ${name.padEnd(48)} | ${Math.round(r.perSecond).toString().padStart(10)} | ${(r.bytesPerSecond / MiB).toFixed(0).padStart(8)} |`;
}

function produceRequest(partitions: number, batchBytes: number): Buffer {
  const w = new Writer();
  const partitionData = Array.from({ length: partitions }, (_, index) => ({ index, records: Buffer.alloc(batchBytes, index) }));
  encode(API_GRAMMARS.get(0)!.request, 7, { transactionalId: null, acks: -1, timeoutMs: 30000, topicData: [{ name: 'bench', partitionData }] }, w);
  return Buffer.from(w.finish());
}

function fetchBody(partitions: number, batchBytes: number): Record<string, unknown> {
  const parts = Array.from({ length: partitions }, (_, partitionIndex) => ({
    partitionIndex, errorCode: 0, highWatermark: 1000n, lastStableOffset: 1000n, logStartOffset: 0n,
    abortedTransactions: null, records: Buffer.alloc(batchBytes, partitionIndex),
  }));
  return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: [{ topic: 'bench', partitions: parts }] };
}

function metadataBody(topics: number, partitions: number): Record<string, unknown> {
  return {
    brokers: [{ nodeId: 0, host: 'localhost', port: 9092, rack: null }], clusterId: 'benchbenchbenchbench00', controllerId: 0,
    topics: Array.from({ length: topics }, (_, t) => ({
      errorCode: 0, name: `topic-${t}`, isInternal: false,
      partitions: Array.from({ length: partitions }, (_, p) => ({
        errorCode: 0, partitionIndex: p, leaderId: 0, leaderEpoch: 0, replicaNodes: [0], isrNodes: [0], offlineReplicas: [],
      })),
    })),
  };
}

function main(): void {
  const seconds = Number(process.argv[2] ?? 1);
  console.log('| operation                                        | ops/s      | MiB/s    |');
  console.log('|--------------------------------------------------|------------|----------|');
  const produce = API_GRAMMARS.get(0)!.request;
  for (const [partitions, size] of [[1, MiB], [10, 16 * 1024], [100, 1024]] as const) {
    const frame = produceRequest(partitions, size);
    console.log(row(`decode Produce v7, ${partitions} × ${size / 1024} KiB batches`, timed(seconds, () => {
      decode(produce, 7, new Reader(frame));
      return frame.length;
    })));
  }
  for (const [partitions, size] of [[10, MiB], [100, 16 * 1024]] as const) {
    const body = fetchBody(partitions, size);
    const bytes = encodeResponseFrame(1, 11, 1, body).length;
    console.log(row(`encode Fetch v11, ${partitions} × ${size / 1024} KiB, one Buffer`, timed(seconds, () => { encodeResponseFrame(1, 11, 1, body); return bytes; })));
    console.log(row(`encode Fetch v11, ${partitions} × ${size / 1024} KiB, chunks`, timed(seconds, () => { encodeResponseChunks(1, 11, 1, body); return bytes; })));
  }
  const metadata = metadataBody(100, 10);
  const metadataBytes = encodeResponseFrame(3, 8, 1, metadata).length;
  console.log(row('encode Metadata v8, 100 topics × 10 partitions', timed(seconds, () => { encodeResponseFrame(3, 8, 1, metadata); return metadataBytes; })));
}

main();

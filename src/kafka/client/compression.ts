/**
 * The record-batch codecs of the CLI's client (attributes bits 0-2, Kafka's CompressionType):
 * gzip from node:zlib, snappy, lz4 and zstd from native libraries with prebuilt binaries on npm
 * (snappy: napi-rs over the snappy crate; lz4-napi: lz4_flex; @mongodb-js/zstd: zstd's C library).
 * Each is loaded on first use, so commands that never meet a compressed batch never load them.
 */
import { createRequire } from 'node:module';
import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { KafkaClientError } from './connection.js';

export type CodecName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const CODEC_IDS: Readonly<Record<CodecName, number>> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };
const NAMES = Object.keys(CODEC_IDS) as CodecName[];

export function codecName(id: number): CodecName {
  const name = NAMES[id];
  if (name === undefined) throw new KafkaClientError(`unknown compression codec id ${id}`);
  return name;
}

/** Parses a compression.type / --compression-codec value (case-insensitive, as CompressionType.forName). */
export function parseCodec(text: string): CodecName {
  const name = text.toLowerCase();
  if (!(NAMES as string[]).includes(name)) {
    throw new KafkaClientError(`Unknown compression name: ${text}`);
  }
  return name as CodecName;
}

/** require(), not import(): the bundled CLI runs in node:vm, which has no dynamic-import hook. */
const requireAddon = createRequire(import.meta.url);
const snappy = (): typeof import('snappy') => requireAddon('snappy') as typeof import('snappy');
const lz4 = (): typeof import('lz4-napi') => requireAddon('lz4-napi') as typeof import('lz4-napi');
const zstd = (): typeof import('@mongodb-js/zstd') => requireAddon('@mongodb-js/zstd') as typeof import('@mongodb-js/zstd');

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * snappy-java's stream framing (SnappyOutputStream), which the Java producer writes: an 8-byte magic,
 * two int32 versions, then blocks of int32 length + raw snappy. librdkafka writes raw snappy and
 * reads both (rdkafka_msgset_reader.c, rd_kafka_snappy_java_uncompress).
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER = 16;

function snappyDecompress(data: Buffer): Buffer {
  const { uncompressSync } = snappy();
  if (data.length < XERIAL_HEADER || !data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return uncompressSync(data, { asBuffer: true }) as Buffer;
  }
  const blocks: Buffer[] = [];
  for (let at = XERIAL_HEADER; at < data.length;) {
    if (at + 4 > data.length) throw new KafkaClientError('truncated snappy-java block header');
    const length = data.readInt32BE(at);
    if (length < 0 || at + 4 + length > data.length) throw new KafkaClientError('truncated snappy-java block');
    blocks.push(uncompressSync(data.subarray(at + 4, at + 4 + length), { asBuffer: true }) as Buffer);
    at += 4 + length;
  }
  return Buffer.concat(blocks);
}

/** Decompresses the records section of a batch written with codec `id`. */
export async function decompress(id: number, data: Buffer): Promise<Buffer> {
  switch (codecName(id)) {
    case 'none': return data;
    case 'gzip': return gunzipAsync(data);
    case 'snappy': return snappyDecompress(data);
    // Kafka's LZ4 is the LZ4 frame format (KafkaLZ4BlockInputStream; KIP-57 fixed its header checksum).
    case 'lz4': return lz4().decompressFrameSync(data);
    case 'zstd': return zstd().decompress(data);
  }
}

/** Compresses a batch's records with `codec` (raw snappy, as librdkafka writes it). */
export async function compress(codec: CodecName, data: Buffer): Promise<Buffer> {
  switch (codec) {
    case 'none': return data;
    case 'gzip': return gzipAsync(data);
    case 'snappy': return snappy().compressSync(data);
    case 'lz4': return lz4().compressFrameSync(data);
    // Level 3 is zstd's default and the Java producer's (compression.zstd.level).
    case 'zstd': return zstd().compress(data, 3);
  }
}

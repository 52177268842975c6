import { ConfigError } from '../core/errors.js';
import type { NativeValue } from '../core/settings/group.js';
import { parseProperties } from '../core/settings/properties.js';

/**
 * server.properties → the Kafka personality's declared settings, read as Apache Kafka reads them
 * (ConfigDef types, its precedence between the ms/minutes/hours spellings of a duration, its
 * listener syntax). Junction is one broker on --data-dir: storage paths and cluster keys are read
 * and ignored with a warning; unknown keys too.
 */

/** ConfigDef INT / LONG: optional sign and decimal digits (Java's parseInt/parseLong). */
function javaLong(where: string, value: string): number {
  const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw new ConfigError(`${where}: Invalid value ${value} for configuration: Not a number of type LONG`);
  return n;
}

/** ConfigDef BOOLEAN: "true"/"false", any case; Kafka's own message otherwise. */
function javaBool(where: string, value: string): string {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === 'false') return v;
  throw new ConfigError(`${where}: Invalid value ${value} for configuration: Expected value to be either true or false`);
}

/**
 * The port of the listener clients use: the first one that is not the KRaft controller's
 * (`PLAINTEXT://:9092,CONTROLLER://:9093` → 9092). Its host is not applied: Junction binds --bind.
 */
function listenerPort(where: string, value: string, warn: (w: string) => void): string {
  const listeners = value.split(',').map((s) => s.trim()).filter(Boolean);
  const parsed = listeners.map((l) => /^([A-Za-z0-9_]+):\/\/(\[[^\]]*\]|[^:]*):(\d+)$/.exec(l));
  const bad = listeners.find((_, i) => parsed[i] === null);
  if (bad !== undefined) throw new ConfigError(`${where}: Unable to parse ${bad} to a broker endpoint`);
  const client = parsed.filter((m) => m![1]!.toUpperCase() !== 'CONTROLLER');
  if (client.length === 0) throw new ConfigError(`${where}: no listener for clients (only CONTROLLER)`);
  if (client.length > 1 || client[0]![1]!.toUpperCase() !== 'PLAINTEXT') {
    warn(`listeners: Junction serves one plain listener; using the port of ${client[0]![0]}`);
  }
  if (client[0]![2] !== '') warn(`listeners: host ${client[0]![2]} ignored, Junction listens on its --bind address`);
  return client[0]![3]!;
}

/** advertised.listeners → host:port of its first client listener. */
function advertised(where: string, value: string): string {
  const first = value.split(',').map((s) => s.trim()).find((l) => !/^CONTROLLER:/i.test(l));
  const m = first ? /^[A-Za-z0-9_]+:\/\/(\[[^\]]*\]|[^:]+):(\d+)$/.exec(first) : null;
  if (!m) throw new ConfigError(`${where}: Unable to parse ${first ?? value} to a broker endpoint with a host`);
  return `${m[1]}:${m[2]}`;
}

type Reader = (where: string, value: string, warn: (w: string) => void) => string;

const long: Reader = (w, v) => String(javaLong(w, v));

/** Keys read directly onto a declared setting of the same native name. */
const READERS: Record<string, Reader> = {
  listeners: listenerPort,
  'advertised.listeners': advertised,
  'num.partitions': long,
  'auto.create.topics.enable': javaBool,
  'log.retention.bytes': long,
  'log.segment.bytes': long,
  'message.max.bytes': long,
  'socket.request.max.bytes': long,
  'connections.max.idle.ms': long,
  'group.initial.rebalance.delay.ms': long,
  'offsets.retention.minutes': long,
  'group.min.session.timeout.ms': long,
  'group.max.session.timeout.ms': long,
};

/** Durations Kafka accepts in several units; the finer one wins when several are set (LogConfig). */
const DURATIONS: { setting: string; keys: [string, number][] }[] = [
  { setting: 'log.retention.ms', keys: [['log.retention.ms', 1], ['log.retention.minutes', 60_000], ['log.retention.hours', 3_600_000]] },
];

/** Read but not applied, with the reason. */
const NOT_APPLIED: Record<string, string> = {
  'log.dirs': 'ignored, partitions live under --data-dir (kafka/)',
  'log.dir': 'ignored, partitions live under --data-dir (kafka/)',
  'zookeeper.connect': 'ignored, Junction keeps its metadata itself',
  'process.roles': 'ignored, Junction is one broker that is its own controller',
  'controller.quorum.voters': 'ignored, Junction is one broker that is its own controller',
  'controller.listener.names': 'ignored, Junction is one broker that is its own controller',
  'inter.broker.listener.name': 'ignored, there are no other brokers',
  'listener.security.protocol.map': 'ignored, SASL follows Junction\'s --auth',
  'num.network.threads': 'ignored, one event loop serves every connection',
  'num.io.threads': 'ignored, one event loop serves every connection',
  'num.recovery.threads.per.data.dir': 'ignored, recovery runs at start in one pass',
  'offsets.topic.replication.factor': 'ignored, one broker: replication factor 1',
  'transaction.state.log.replication.factor': 'ignored, one broker: replication factor 1',
  'transaction.state.log.min.isr': 'ignored, one broker: replication factor 1',
  'default.replication.factor': 'ignored, one broker: replication factor 1',
  'log.retention.check.interval.ms': 'ignored, retention is checked on its own schedule',
  'socket.send.buffer.bytes': 'ignored, the system default is used',
  'socket.receive.buffer.bytes': 'ignored, the system default is used',
  // Declared as settings once they act: segments roll by size only.
  'log.roll.ms': 'not applied yet, segments roll by size (log.segment.bytes)',
  'log.roll.hours': 'not applied yet, segments roll by size (log.segment.bytes)',
};

/**
 * Parse a server.properties into values of the declared settings (`declared` = their
 * server.properties names). Bad values throw ConfigError naming the file, line and key.
 */
export function parseServerProperties(text: string, file: string, declared: ReadonlySet<string>): { values: NativeValue[]; warnings: string[] } {
  const values: NativeValue[] = [];
  const warnings: string[] = [];
  const warn = (w: string) => warnings.push(w);
  const props = parseProperties(text, file);
  const durationKeys = new Set(DURATIONS.flatMap((d) => d.keys.map(([k]) => k)));
  let nodeId: NativeValue | null = null;
  for (const [key, { value, lineNo }] of props) {
    const where = `${file}:${lineNo}: ${key}`;
    if (key === 'node.id' || key === 'broker.id') {
      // KafkaConfig: broker.id and node.id name the same id and must agree when both are set.
      const id = String(javaLong(where, value));
      if (nodeId && nodeId.value !== id) throw new ConfigError(`${where}: ${id} differs from ${nodeId.where}'s ${nodeId.value}`);
      nodeId = { name: 'node.id', value: id, where };
    } else if (durationKeys.has(key)) continue;
    else if (READERS[key] && declared.has(key)) values.push({ name: key, value: READERS[key](where, value, warn), where });
    else if (NOT_APPLIED[key]) warn(`${key}: ${NOT_APPLIED[key]}`);
    else warn(`${key}: unknown or unsupported setting, ignored`);
  }
  if (nodeId && declared.has('node.id')) values.push(nodeId);
  for (const { setting, keys } of DURATIONS) {
    const given = keys.find(([k]) => props.has(k));
    if (!given || !declared.has(setting)) continue;
    const [key, unitMs] = given;
    const { value, lineNo } = props.get(key)!;
    const where = `${file}:${lineNo}: ${key}`;
    const n = javaLong(where, value);
    // -1 (or any negative) means "unlimited" in every unit (LogConfig.retentionMs).
    values.push({ name: setting, value: String(n < 0 ? -1 : n * unitMs), where });
  }
  return { values, warnings };
}

/**
 * What the `junction kafka …` tools share: Kafka-style option parsing (--bootstrap-server and
 * --broker-list, repeated key=value properties), one connection per run, and the failure a Kafka
 * tool reports with one line of text and an exit code of its own.
 */
import { KafkaConnection } from '../../../kafka/client/connection.js';
import { parse, UsageError, type Args } from '../../args.js';

export type OptionSpec = Parameters<typeof parse>[1];

export const str = { type: 'string' } as const;
export const strs = { type: 'string', multiple: true } as const;
export const bool = { type: 'boolean' } as const;

/** Options every Kafka tool takes (kafka-*.sh: --bootstrap-server; the console tools' older --broker-list). */
export const CONNECTION_OPTIONS: OptionSpec = { 'bootstrap-server': str, 'broker-list': str };

export const CONNECTION_USAGE = `  --bootstrap-server HOST:PORT[,…]  the Kafka port (env JUNCTION_KAFKA, default 127.0.0.1:9092)`;

export { KafkaToolFailure } from './failure.js';

export function parseKafkaArgs(argv: string[], options: OptionSpec, usage: string): Args {
  return parse(argv, { ...CONNECTION_OPTIONS, ...options }, usage, 0);
}

export function bootstrapOf(args: Args): string {
  return args.string('bootstrap-server') ?? args.string('broker-list') ?? (process.env.JUNCTION_KAFKA || '127.0.0.1:9092');
}

export function connectKafka(args: Args, clientId: string): Promise<KafkaConnection> {
  return KafkaConnection.connect({ bootstrap: bootstrapOf(args), clientId });
}

/** Repeated `k=v` options (Kafka's CommandLineUtils.parseKeyValueArgs: split at the first '='). */
export function keyValues(args: Args, name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of args.strings(name)) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`--${name}: expected key=value, got ${JSON.stringify(item)}`, args.usage);
    out.set(item.slice(0, at), item.slice(at + 1));
  }
  return out;
}

/** A whole-number option, with Kafka's text for a bad one. */
export function intOption(args: Args, name: string): number | undefined {
  const v = args.string(name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`Cannot parse argument '${v}' of option ${name}`, args.usage);
  return Number(v);
}

/**
 * Kafka's IncludeList for --topic / --include: a comma-separated list or a Java regex, matched
 * against the whole name (org.apache.kafka.server.util.TopicFilter.IncludeList).
 */
export function topicMatcher(spec: string): (topic: string) => boolean {
  const cleaned = spec.trim().replace(/,/g, '|').replace(/^["']|["']$/g, '');
  const pattern = new RegExp(`^(?:${cleaned})$`);
  return (topic) => pattern.test(topic);
}

/** Properties like "true"/"TRUE" (Kafka: trim().equalsIgnoreCase("true")). */
export function isTrue(v: string | undefined): boolean { return v !== undefined && v.trim().toLowerCase() === 'true'; }

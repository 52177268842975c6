/**
 * `junction kafka <tool>`: the Kafka command-line tools a course runs (kafka-topics.sh,
 * kafka-console-producer.sh, kafka-console-consumer.sh, kafka-consumer-groups.sh) with their flags and
 * output, as clients of the Kafka port. Each tool's module loads only when that tool runs.
 */
import { UsageError } from '../../args.js';
import { KafkaToolFailure } from './failure.js';

export const KAFKA_USAGE = `usage: junction kafka <tool> [options]   (the Kafka tools' flags and output)

tools:
  topics              kafka-topics.sh: --create, --list, --describe, --alter --partitions, --delete
  console-producer    kafka-console-producer.sh: stdin lines → records
  console-consumer    kafka-console-consumer.sh: records → stdout
  consumer-groups     kafka-consumer-groups.sh: --list, --describe, --reset-offsets, --delete

Every tool takes --bootstrap-server HOST:PORT (env JUNCTION_KAFKA, default 127.0.0.1:9092);
\`junction kafka <tool> --help\` lists its options.
`;

const TOOLS: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  topics: async () => (await import('./topics.js')).topicsCommand,
  'console-producer': async () => (await import('./console-producer.js')).consoleProducerCommand,
  'console-consumer': async () => (await import('./console-consumer.js')).consoleConsumerCommand,
  'consumer-groups': async () => (await import('./consumer-groups.js')).consumerGroupsCommand,
};

export async function kafkaCommand([tool, ...rest]: string[]): Promise<void> {
  if (tool === undefined || tool === '--help' || tool === '-h') {
    if (tool === undefined) throw new UsageError('missing kafka tool', KAFKA_USAGE);
    process.stdout.write(KAFKA_USAGE);
    return;
  }
  const load = Object.hasOwn(TOOLS, tool) ? TOOLS[tool] : undefined;
  if (!load) throw new UsageError(`unknown kafka tool ${JSON.stringify(tool)}`, KAFKA_USAGE);
  try {
    await (await load())(rest);
  } catch (err) {
    if (!(err instanceof KafkaToolFailure)) throw err;
    process[err.stream].write(`${err.text}\n`);
    process.exitCode = err.exitCode;
  }
}

// librdkafka's built-in mock cluster (Debian's librdkafka 2.0.2, the library confluent-kafka-python
// loads) in a /usr/bin/python3 child, as a Kafka reference any client can connect to: the nearest
// thing to a real broker on this machine (issue 9 §6). See test/compat/kafka/py/mock_cluster.py.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PYTHON } from './python.js';

const SCRIPT = fileURLToPath(new URL('../../../test/compat/kafka/py/mock_cluster.py', import.meta.url));

/** Partitions of a topic the mock creates on its own (Metadata, Produce): librdkafka's
 *  mcluster->defaults.partition_cnt (rdkafka_mock.c); Kafka's num.partitions default is 1. */
export const MOCK_DEFAULT_PARTITIONS = 4;

export interface KafkaMock {
  /** "127.0.0.1:PORT" of the mock's broker 1 */
  bootstrap: string;
  port: number;
  /** rd_kafka_mock_topic_create(name, partitions, replication factor 1): the mock has no CreateTopics API. */
  createTopic(name: string, partitions: number): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => { for (const p of live) p.kill('SIGKILL'); });

export async function startKafkaMock(): Promise<KafkaMock> {
  const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const lines = createInterface({ input: child.stdout! });
  const first = await nextLine(lines, child, () => stderr, 15_000);
  const { bootstrap } = JSON.parse(first) as { bootstrap: string };
  // Commands are answered in order, one line each: serialize them.
  let queue: Promise<unknown> = Promise.resolve();
  const command = (text: string): Promise<Record<string, unknown>> => {
    const answer = queue.then(async () => {
      child.stdin!.write(text + '\n');
      return JSON.parse(await nextLine(lines, child, () => stderr, 10_000)) as Record<string, unknown>;
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
  return {
    bootstrap,
    port: Number(bootstrap.split(':')[1]),
    async createTopic(name, partitions) {
      const answer = await command(`topic ${name} ${partitions}`);
      if (answer.ok !== true) throw new Error(`mock: topic ${name} not created: ${JSON.stringify(answer)}`);
    },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      // Closing stdin makes the script destroy the cluster and exit; SIGKILL if it hangs.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.stdin!.end();
    }),
  };
}

function nextLine(lines: Interface, child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => { cleanup(); reject(new Error(`mock cluster: ${why}\n${stderr()}`)); };
    const onLine = (line: string) => { cleanup(); resolve(line); };
    const onExit = () => fail(`exited (${child.exitCode ?? child.signalCode})`);
    const timer = setTimeout(() => fail(`no answer in ${timeoutMs} ms`), timeoutMs);
    function cleanup() { clearTimeout(timer); lines.off('line', onLine); child.off('exit', onExit); }
    lines.once('line', onLine);
    child.once('exit', onExit);
  });
}

/**
 * The Kafka CLI's figures (`npm run bench:kafka-cli [lines]`), against a child `junction start
 * --enable kafka` on a temp data dir: `seq 1 N | junction kafka console-producer` (default N =
 * 1,000,000; acks -1, batch.size 16384, as kafka-console-producer.sh defaults) beside
 * `kcat -P` (librdkafka 2.0.2) with the same lines in the same run, and the console consumer reading
 * them back beside `kcat -C -e`. Then the start cost of `junction kafka --help` beside `junction
 * --help` and `junction zk --help` (median of 15 runs each): the Kafka tools must stay lazily loaded.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tempDir } from '../test/helpers/junction.js';
import { CLI, killHard, startChildServer } from '../test/helpers/child-server.js';

interface Run { ms: number; stdoutBytes: number; code: number | null }

function timed(cmd: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let stdoutBytes = 0;
    child.stdout.on('data', (b: Buffer) => { stdoutBytes += b.length; });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, stdoutBytes, code }));
    child.stdin.end(input ?? '');
  });
}

const junction = (args: string[], input?: string) => timed(process.execPath, [CLI, ...args], input);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const lines = Number(process.argv[2] ?? 1_000_000);
  const input = Array.from({ length: lines }, (_, i) => String(i + 1)).join('\n') + '\n';
  const dataDir = tempDir('junction-bench-kafka-cli-');
  const server = await startChildServer(['--enable', 'kafka', '--data-dir', dataDir, '--log-format', 'json']);
  const bootstrap = `127.0.0.1:${server.ports.kafka}`;
  try {
    const ours = await junction(['kafka', 'console-producer', '--bootstrap-server', bootstrap, '--topic', 'cli'], input);
    const kcat = await timed('kcat', ['-b', bootstrap, '-P', '-t', 'kcat', '-X', 'acks=all'], input);
    report(`console-producer, ${lines} lines (acks -1)`, ours, kcat, lines);
    const readOurs = await junction(['kafka', 'console-consumer', '--bootstrap-server', bootstrap, '--topic', 'cli', '--from-beginning',
      '--max-messages', String(lines)]);
    const readKcat = await timed('kcat', ['-b', bootstrap, '-C', '-t', 'cli', '-e', '-q', '-o', 'beginning']);
    report(`console-consumer, ${lines} records`, readOurs, readKcat, lines);
    if (readOurs.stdoutBytes !== readKcat.stdoutBytes) console.log(`  output differs: ${readOurs.stdoutBytes} vs ${readKcat.stdoutBytes} bytes`);
  } finally {
    await killHard(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const args of [['--help'], ['zk', '--help'], ['kafka', '--help'], ['kafka', 'topics', '--help']]) {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) times.push((await junction(args)).ms);
    console.log(`junction ${args.join(' ')}: median ${median(times).toFixed(0)} ms (15 runs)`);
  }
}

function report(what: string, ours: Run, kcat: Run, records: number): void {
  const rate = (r: Run) => Math.round(records / (r.ms / 1000)).toLocaleString('en');
  console.log(`${what}: junction ${(ours.ms / 1000).toFixed(2)} s (${rate(ours)} rec/s, exit ${ours.code}); ` +
    `kcat ${(kcat.ms / 1000).toFixed(2)} s (${rate(kcat)} rec/s); junction/kcat time ${(ours.ms / kcat.ms).toFixed(2)}×`);
}

await main();

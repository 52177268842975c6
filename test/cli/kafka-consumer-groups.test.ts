// `junction kafka consumer-groups` (and `console-consumer --group`) against a Junction started
// here: the texts and the table are kafka-consumer-groups.sh's (ConsumerGroupCommand.java, apache/kafka
// 1eb7644): LAG = LOG-END-OFFSET − CURRENT-OFFSET, "-" for no member, "Consumer group 'G' has no
// active members." on stderr, the reset table, the deletion line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { kcat } from '../compat/kafka/common.js';
import { startTestServer, type TestServer } from '../helpers/junction.js';
import { CLI, runCli } from './run-cli.js';

/** A line of the offsets table with the tool's minimum widths (every cell here is shorter than 15). */
function row(...cells: Array<string | number>): string {
  const [g, t, p, cur, end, lag, id, host, client] = cells.map(String);
  return `${g!.padEnd(15)} ${t!.padEnd(15)} ${p!.padEnd(10)} ${cur!.padEnd(15)} ${end!.padEnd(15)} ${lag!.padEnd(15)} ${id!.padEnd(15)} ${host!.padEnd(15)} ${client}`;
}
const HEADER = row('GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID');

describe('junction kafka consumer-groups', () => {
  let server: TestServer;
  let bootstrap: string;
  const groups = (...args: string[]) => runCli(['kafka', 'consumer-groups', '--bootstrap-server', bootstrap, ...args]);
  const consume = (...args: string[]) => runCli(['kafka', 'console-consumer', '--bootstrap-server', bootstrap, '--topic', 'cg', ...args]);
  const produce = (partition: number, lines: string[]) => kcat(['-b', bootstrap, '-P', '-t', 'cg', '-p', String(partition)], lines.join('\n') + '\n');

  before(async () => {
    server = await startTestServer({ enabled: ['kafka'], kafka: { numPartitions: 2 } });
    bootstrap = `127.0.0.1:${server.ports.kafka}`;
    await runCli(['kafka', 'topics', '--bootstrap-server', bootstrap, '--create', '--topic', 'cg', '--partitions', '2']);
    await produce(0, ['a', 'b', 'c', 'd', 'e', 'f']);
    await produce(1, ['w', 'x', 'y', 'z']);
  });
  after(async () => { await server?.destroy(); });

  it('console-consumer --group reads everything and commits; --list shows the group', async () => {
    const r = await consume('--group', 'g1', '--from-beginning', '--max-messages', '10');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, -1).sort(), ['a', 'b', 'c', 'd', 'e', 'f', 'w', 'x', 'y', 'z']);
    assert.equal(r.stderr, 'Processed a total of 10 messages\n');
    assert.equal((await groups('--list')).stdout, 'g1\n');
  });

  it('--describe of an idle group: no active members (stderr), committed offsets with LAG 0 and "-" for the member', async () => {
    const r = await groups('--describe', '--group', 'g1');
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "\nConsumer group 'g1' has no active members.\n");
    assert.equal(r.stdout, `\n${HEADER}\n${row('g1', 'cg', 0, 6, 6, 0, '-', '-', '-')}\n${row('g1', 'cg', 1, 4, 4, 0, '-', '-', '-')}\n`);
  });

  it('LAG grows with records produced after the commit', async () => {
    await produce(0, ['g', 'h', 'i']);
    const r = await groups('--describe', '--all-groups');
    assert.match(r.stdout, new RegExp(`${row('g1', 'cg', 0, 6, 9, 3, '-', '-', '-')}\n`));
  });

  it('--reset-offsets without --execute is a dry run (with the WARN), --execute commits; offsets past the end are clamped', async () => {
    const dry = await groups('--reset-offsets', '--group', 'g1', '--topic', 'cg', '--to-earliest');
    assert.match(dry.stderr, /^WARN: No action will be performed as the --execute option is missing\./);
    const table = (rows: Array<[number, number]>) => `\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}` +
      rows.map(([p, o]) => `\n${'g1'.padEnd(30)} ${'cg'.padEnd(30)} ${String(p).padEnd(10)} ${String(o).padEnd(15)}`).join('') + '\n';
    assert.equal(dry.stdout, table([[0, 0], [1, 0]]));
    assert.match((await groups('--describe', '--group', 'g1')).stdout, new RegExp(row('g1', 'cg', 0, 6, 9, 3, '-', '-', '-')));

    const exec = await groups('--reset-offsets', '--group', 'g1', '--topic', 'cg:1', '--to-offset', '100', '--execute');
    assert.equal(exec.stdout, table([[1, 4]]));
    assert.equal(exec.stderr, 'WARN New offset (100) is higher than latest offset for topic partition cg-1. Value will be set to 4\n');
    const earliest = await groups('--reset-offsets', '--group', 'g1', '--all-topics', '--to-earliest', '--execute');
    assert.equal(earliest.stdout, table([[0, 0], [1, 0]]));
    const after = await groups('--describe', '--group', 'g1');
    assert.match(after.stdout, new RegExp(`${row('g1', 'cg', 0, 0, 9, 9, '-', '-', '-')}\n${row('g1', 'cg', 1, 0, 4, 4, '-', '-', '-')}\n$`));
    // The group resumes from the reset offsets.
    const again = await consume('--group', 'g1', '--max-messages', '13');
    assert.equal(again.stdout.split('\n').length - 1, 13);
  });

  it('while a member is active: its id, host and client id in the table, and a reset is refused', async () => {
    const child = spawn(process.execPath, [CLI, 'kafka', 'console-consumer', '--bootstrap-server', bootstrap, '--topic', 'cg', '--group', 'live',
      '--consumer-property', 'client.id=watcher', '--timeout-ms', '30000'], { stdio: ['ignore', 'ignore', 'ignore'] });
    try {
      let described = '';
      for (let i = 0; i < 100 && !described.includes('watcher'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        described = (await groups('--describe', '--group', 'live')).stdout;
      }
      const lines = described.split('\n').filter((l) => l.startsWith('live'));
      assert.equal(lines.length, 2, described);
      for (const line of lines) assert.match(line, /^live\s+cg\s+[01]\s+\S+\s+\d+\s+\S+\s+\S+\s+\/?127\.0\.0\.1\s+watcher$/);
      const reset = await groups('--reset-offsets', '--group', 'live', '--all-topics', '--to-earliest', '--execute');
      assert.equal(reset.code, 1);
      assert.equal(reset.stdout, "\nError: Assignments can only be reset if the group 'live' is inactive, but the current state is Stable.\n" +
        `\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('--delete removes a group ("Deletion … was successful."); an unknown group is reported, not deleted', async () => {
    const r = await groups('--delete', '--group', 'g1');
    assert.deepEqual([r.code, r.stdout], [0, "Deletion of requested consumer groups ('g1') was successful.\n"]);
    assert.equal((await groups('--describe', '--group', 'g1')).stdout, "\nError: Consumer group 'g1' does not exist.\n");
    const missing = await groups('--delete', '--group', 'nope');
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '\nError: Deletion of some consumer groups failed:\n' +
      "* Group 'nope' could not be deleted due to: java.util.concurrent.ExecutionException: " +
      'org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.\n');
  });

  it('bad usage: no action, --describe without a group', async () => {
    const none = await groups();
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets/);
    assert.match((await groups('--describe')).stderr, /Option \[describe\] takes one of these options: \[all-groups\], \[group\]/);
  });
});

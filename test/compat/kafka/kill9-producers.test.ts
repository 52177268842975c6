// issue 9 §6: kill -9 under acks=all produce load from several real producers (confluent-kafka /
// librdkafka, one process each): after the restart every acknowledged record is at the offset its
// delivery report gave, each partition's offsets run 0..n-1 without a gap, and no record is stored twice.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { killHard, startChildServer } from '../../helpers/child-server.js';
import { tempDir } from '../../helpers/junction.js';
import { PYTHON } from '../../helpers/python.js';
import { kcat, kcatReadAll } from './common.js';

const PRODUCER = fileURLToPath(new URL('../../../../test/compat/kafka/py/produce_until_killed.py', import.meta.url));
const PRODUCERS = 3;
/** Acknowledged records (over all producers) after which the server is killed. */
const KILL_AFTER = 3000;

/** value → "partition offset", as the delivery reports gave them. */
type Acked = Map<string, string>;

function startProducer(bootstrap: string, topic: string, tag: string, acked: Acked, onAck: () => void): ChildProcess {
  const child = spawn(PYTHON, [PRODUCER, bootstrap, topic, tag], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const [value, partition, offset] = line.split(' ');
    acked.set(value!, `${partition} ${offset}`);
    onAck();
  });
  return child;
}

describe('kafka: kill -9 under acks=all load from several producers', () => {
  it('every acknowledged record is back at its offset, offsets contiguous, no duplicates', async () => {
    const dataDir = tempDir();
    const args = ['--enable', 'kafka', '--kafka-num-partitions', '3', '--data-dir', dataDir, '--log-format', 'json'];
    let server = await startChildServer(args);
    const acked: Acked = new Map();
    const producers: ChildProcess[] = [];
    try {
      const bootstrap = `127.0.0.1:${server.ports.kafka}`;
      await kcat(['-b', bootstrap, '-L', '-t', 'crash']); // auto-creates it with num.partitions
      const killed = new Promise<void>((resolve) => {
        const onAck = (): void => { if (acked.size >= KILL_AFTER) resolve(); };
        for (let n = 0; n < PRODUCERS; n++) producers.push(startProducer(bootstrap, 'crash', `p${n}`, acked, onAck));
      });
      await killed;
      await killHard(server);
      for (const p of producers) p.kill('SIGKILL');
      const ackedAtKill = new Map(acked);

      server = await startChildServer(args);
      const stored = await kcatReadAll(`127.0.0.1:${server.ports.kafka}`, 'crash');
      const byValue = new Map<string, string>();
      const offsets = new Map<string, number[]>();
      for (const line of stored) {
        const [partition, offset, , value] = line.split(' ');
        assert.ok(!byValue.has(value!), `${value} stored twice`);
        byValue.set(value!, `${partition} ${offset}`);
        offsets.set(partition!, [...(offsets.get(partition!) ?? []), Number(offset)]);
      }
      for (const [partition, list] of offsets) {
        list.sort((a, b) => a - b);
        assert.deepEqual(list, list.map((_, i) => i), `partition ${partition} offsets contiguous from 0`);
      }
      let missing = 0;
      for (const [value, at] of ackedAtKill) if (byValue.get(value) !== at) missing++;
      assert.equal(missing, 0, `${missing} of ${ackedAtKill.size} acknowledged records (${byValue.size} stored) not at their acknowledged offset`);
      assert.equal(offsets.size, 3, 'the producers wrote to every partition');
    } finally {
      for (const p of producers) p.kill('SIGKILL');
      await killHard(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

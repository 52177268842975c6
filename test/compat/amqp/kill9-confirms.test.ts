// issue 10 §3: kill -9 under confirmed publishing. Several real publisher processes (pika
// BlockingConnection with confirm_delivery, amqplib confirm channels) publish persistent messages
// with unique ids and print each id when its confirm arrives; a pika consumer acks the even ones
// and prints them after a basic.qos round trip showed the server processed the acks. The server
// is killed with SIGKILL mid-stream and restarted: every confirmed id the consumer never acked is
// back, none of the processed-acked ids comes back, no id twice.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { connect } from '../../helpers/amqp-client.js';
import { killHard, startChildServer, type ChildServer } from '../../helpers/child-server.js';
import { tempDir } from '../../helpers/junction.js';
import { PYTHON, runPython } from '../../helpers/python.js';

const PY = (name: string) => fileURLToPath(new URL(`../../../../test/compat/amqp/py/${name}`, import.meta.url));
const NODE_PUBLISHER = fileURLToPath(new URL('./clients/kill9-publisher.js', import.meta.url));
const QUEUE = 'kill9';
/** Confirmed publishes (over all publishers) after which the server is killed. */
const KILL_AFTER = 4000;
/** Acks the consumer must have seen processed before the kill. */
const ACKED_BEFORE_KILL = 300;

function lines(child: ChildProcess, into: string[], onLine: () => void): ChildProcess {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    into.push(line);
    onLine();
  });
  return child;
}

const pythonEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

/** Every message of the queue, consumed with no-ack until a second passes without one. */
async function drainAll(url: string): Promise<string[]> {
  const conn = await connect(url);
  try {
    const ch = await conn.createChannel();
    const ids: string[] = [];
    let last = Date.now();
    await ch.consume(QUEUE, (m) => {
      if (!m) return;
      ids.push(m.content.toString());
      last = Date.now();
    }, { noAck: true });
    while (Date.now() - last < 1000) await new Promise((resolve) => setTimeout(resolve, 200));
    return ids;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

describe('amqp: kill -9 under confirmed publishing from several real clients', () => {
  it('every confirmed message survives, no processed ack is undone, nothing is stored twice', { timeout: 180_000 }, async () => {
    const dataDir = tempDir();
    const args = ['--enable', 'amqp', '--data-dir', dataDir, '--log-format', 'json'];
    let server: ChildServer = await startChildServer(args);
    const confirmed: string[] = [];
    /** The consumer's lines: "sent <id>" before its basic.ack, "acked <id>" after the round trip. */
    const consumerLines: string[] = [];
    const acked = (): string[] => consumerLines.filter((l) => l.startsWith('acked ')).map((l) => l.slice(6));
    const children: ChildProcess[] = [];
    try {
      const url = `amqp://guest:guest@127.0.0.1:${server.ports.amqp}`;
      await runPython(PY('kill9_declare.py'), [url, QUEUE]);
      const progress = setInterval(() => console.error(`progress: ${confirmed.length} confirmed, ${consumerLines.length} consumer lines`), 3000);
      await new Promise<void>((resolve) => {
        let ackedCount = 0;
        const onConsumerLine = (): void => {
          if (consumerLines[consumerLines.length - 1]!.startsWith('acked ')) ackedCount++;
          check();
        };
        const check = (): void => { if (confirmed.length >= KILL_AFTER && ackedCount >= ACKED_BEFORE_KILL) resolve(); };
        for (const tag of ['pika0', 'pika1']) {
          children.push(lines(spawn(PYTHON, [PY('kill9_publisher.py'), url, QUEUE, tag], { stdio: ['ignore', 'pipe', 'inherit'], env: pythonEnv }), confirmed, check));
        }
        for (const tag of ['amqplib0', 'amqplib1']) {
          children.push(lines(spawn(process.execPath, [NODE_PUBLISHER, url, QUEUE, tag], { stdio: ['ignore', 'pipe', 'inherit'] }), confirmed, check));
        }
        children.push(lines(spawn(PYTHON, [PY('kill9_consumer.py'), url, QUEUE], { stdio: ['ignore', 'pipe', 'inherit'], env: pythonEnv }), consumerLines, onConsumerLine));
      });
      clearInterval(progress);
      console.error(`killing: ${confirmed.length} confirmed, ${acked().length} acks processed`);
      await killHard(server);
      const confirmedAtKill = new Set(confirmed);
      const ackedAtKill = new Set(acked());
      const ackSentAtKill = new Set(consumerLines.filter((l) => l.startsWith('sent ')).map((l) => l.slice(5)));
      for (const c of children) c.kill('SIGKILL');

      server = await startChildServer(args);
      const stored = await drainAll(`amqp://guest:guest@127.0.0.1:${server.ports.amqp}`);
      console.error(`restarted: ${stored.length} messages drained`);
      const seen = new Set<string>();
      for (const id of stored) {
        assert.ok(!seen.has(id), `${id} delivered twice after the restart`);
        seen.add(id);
      }
      const comeBack = [...ackedAtKill].filter((id) => seen.has(id));
      assert.deepEqual(comeBack, [], `${comeBack.length} of ${ackedAtKill.size} processed acks undone`);
      // An id whose ack was sent but not yet confirmed processed may legitimately be gone.
      const lost = [...confirmedAtKill].filter((id) => !seen.has(id) && !ackSentAtKill.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${confirmedAtKill.size} confirmed, never acked messages lost`);
      assert.ok(ackedAtKill.size >= ACKED_BEFORE_KILL && confirmedAtKill.size >= KILL_AFTER);
      for (const tag of ['pika0', 'pika1', 'amqplib0', 'amqplib1']) {
        assert.ok([...confirmedAtKill].some((id) => id.startsWith(`${tag}-`)), `publisher ${tag} got confirms`);
      }
    } finally {
      for (const c of children) c.kill('SIGKILL');
      await killHard(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

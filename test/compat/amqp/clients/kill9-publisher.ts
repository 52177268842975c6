// Publish persistent messages on an amqplib confirm channel until the server dies; print each id
// when its confirm arrives (basic.ack for it, singly or covered by a multiple ack).
// Usage: node kill9-publisher.js <amqp-url> <queue> <tag>
import amqplib from 'amqplib';

/** Publishes in flight at most (amqplib keeps their callbacks). */
const WINDOW = 64;

async function main(): Promise<void> {
  const [url, queue, tag] = process.argv.slice(2) as [string, string, string];
  const conn = await amqplib.connect(url);
  conn.on('error', () => process.exit(0));
  conn.on('close', () => process.exit(0));
  const ch = await conn.createConfirmChannel();
  ch.on('error', () => process.exit(0));
  let inFlight = 0;
  let n = 0;
  let wake: (() => void) | null = null;
  for (;;) {
    while (inFlight >= WINDOW) await new Promise<void>((resolve) => { wake = resolve; });
    const id = `${tag}-${n++}`;
    inFlight++;
    ch.sendToQueue(queue, Buffer.from(id), { persistent: true }, (err) => {
      inFlight--;
      if (err === null || err === undefined) process.stdout.write(`${id}\n`);
      const w = wake;
      wake = null;
      w?.();
    });
    if (n % WINDOW === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

main().catch(() => process.exit(0));

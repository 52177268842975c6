import { setTimeout as sleep } from 'node:timers/promises';
import { freshDataDir, removeDataDir, rssMiB, startServer, stopServer } from '../server.js';
import type { Row } from '../report.js';

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Idle RSS is read this long after ready, once start-up garbage has had a chance to go. */
const SETTLE_MS = 1_000;

/** Spawn → "junction ready" on an empty data dir, `runs` times; plus idle RSS of the last run. */
export async function startupAndIdle(runs: number): Promise<Row[]> {
  const times: number[] = [];
  let idle: number | undefined;
  for (let i = 0; i < runs; i++) {
    const dir = freshDataDir();
    try {
      const server = await startServer(dir);
      times.push(server.startupMs);
      if (i === runs - 1) { await sleep(SETTLE_MS); idle = rssMiB(server); }
      await stopServer(server);
    } finally {
      removeDataDir(dir);
    }
  }
  return [
    { figure: 'startup to ready (empty data dir)', value: median(times), unit: 'ms',
      note: `median of ${runs}: ${times.map((t) => t.toFixed(0)).join(', ')} ms (spawn → ready line, includes Node boot)` },
    { figure: 'RSS idle', value: idle, unit: 'MiB', note: `VmRSS ${SETTLE_MS / 1000} s after ready` },
  ];
}

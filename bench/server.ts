import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The `junction` bin, run exactly as `npm start` runs it (dist/bench/ → dist/bin/junction.cjs). */
const CLI = fileURLToPath(new URL('../bin/junction.cjs', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./bare-server.js', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

export interface BenchServer {
  child: ChildProcess;
  dataDir: string;
  /** http://127.0.0.1:<nacos port> */
  nacos: string;
  /** http://127.0.0.1:<admin port> (Prometheus /metrics), if the ready line named one. */
  admin?: string;
  /** Spawn → "junction ready" line on stdout, in milliseconds. */
  startupMs: number;
  output: string[];
  /** Every port of the ready line by name (nacos, nacosGrpc, admin …). */
  ports: Record<string, number>;
}

/** A fresh temporary data directory; the caller removes it with removeDataDir. */
export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'junction-bench-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Start `junction start` as its own process (so the load generator and the server get a core
 * each) and wait for the JSON log line {"msg":"junction ready","ports":{…}}.
 */
export async function startServer(dataDir: string, extraArgs: string[] = []): Promise<BenchServer> {
  const { child, ports, startupMs, output } = await spawnReady(
    [CLI, 'start', '--data-dir', dataDir, '--nacos-port', '0', '--admin-port', '0', ...extraArgs], 'junction ready');
  if (!ports.nacos) throw new Error(`ready line names no nacos port: ${JSON.stringify(ports)}`);
  return {
    child, dataDir, nacos: `http://127.0.0.1:${ports.nacos}`, startupMs, output, ports,
    ...(ports.admin ? { admin: `http://127.0.0.1:${ports.admin}` } : {}),
  };
}

/** The bare Fastify reference server (bench/bare-server.ts) in its own process, set up like startServer's. */
export interface BareServer { child: ChildProcess; url: string; output: string[] }

export async function startBareServer(): Promise<BareServer> {
  const { child, ports, output } = await spawnReady([BARE_SERVER], 'bare ready');
  return { child, url: `http://127.0.0.1:${ports.bare}`, output };
}

/** Spawn `node <argv>` and wait for a JSON stdout line {"msg": readyMsg, "ports": {…}}. */
async function spawnReady(argv: string[], readyMsg: string) {
  const t0 = performance.now();
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server not ready after ${READY_TIMEOUT_MS} ms`)); }, READY_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const event = parseJsonLine(line);
      if (event?.msg === readyMsg && event.ports) { clearTimeout(timer); resolve(event.ports); }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before ready:\n${output.join('\n')}`));
    });
  });
  return { child, ports, startupMs: performance.now() - t0, output };
}

function parseJsonLine(line: string): { msg?: string; ports?: Record<string, number> } | undefined {
  try { return JSON.parse(line) as { msg?: string; ports?: Record<string, number> }; } catch { return undefined; }
}

/** Graceful stop (SIGTERM, as an operator would), SIGKILL if it hangs. */
export async function stopServer(server: { child: ChildProcess }): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function isAlive(server: { child: ChildProcess }): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

/** Resident set size of the server process in MiB (Linux /proc), or undefined elsewhere. */
export function rssMiB(server: Pick<BenchServer, 'child'>): number | undefined {
  try {
    const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * V8 heap in use (MiB) from the server's own Prometheus metrics. Unlike RSS it excludes memory V8
 * has reserved but not filled; both still include garbage not yet collected.
 */
export async function heapUsedMiB(server: BenchServer): Promise<number | undefined> {
  if (!server.admin) return undefined;
  try {
    const text = await (await fetch(`${server.admin}/metrics`)).text();
    const bytes = /^junction_nodejs_heap_size_used_bytes\s+([\d.e+]+)/m.exec(text)?.[1];
    return bytes ? Number(bytes) / 2 ** 20 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, seconds) a process has used so far, from /proc; undefined elsewhere. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (in ticks).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU time (seconds) of every process in process group `pgid` (a broker and its helpers). */
export function groupCpuSeconds(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const rest = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
      // Fields after "(comm)": state ppid pgrp …; utime and stime are the 12th and 13th of them.
      if (Number(rest[2]) === pgid) total += (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
    } catch { /* the process exited meanwhile */ }
  }
  return total;
}

/** USER_HZ: 100 on every mainstream Linux architecture. */
const CLOCK_TICKS = 100;

/** Busy and total jiffies of every CPU so far (/proc/stat's first line; idle = idle + iowait). */
function cpuJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/**
 * Wait until the machine is quiet — at most `busyShare` of its CPU time used in `windowMs` — or
 * `maxMs` passed; resolves with the milliseconds waited. A row run right after another server's
 * row otherwise shares the machine with that server's clean-up (freeing what its row left: on
 * this 2-core VM, RabbitMQ's after a 200k-message row costs the next row a tenth of its rate).
 */
export async function waitForQuiet(busyShare = 0.1, windowMs = 500, maxMs = 15_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const a = cpuJiffies();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const b = cpuJiffies();
    const waited = performance.now() - t0;
    if (b.total === a.total || (b.busy - a.busy) / (b.total - a.total) <= busyShare || waited >= maxMs) return waited;
  }
}

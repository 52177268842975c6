/**
 * Launchers for the two servers the ZooKeeper benchmark compares: Junction's ZooKeeper personality
 * (`junction start --enable zk`) and the real ZooKeeper 3.8 (ZooKeeperServerMain from the Debian
 * jar). Each runs in its own process so its RSS and CPU can be read from /proc/<pid>.
 *
 * "Ready" means the same thing for both: the first successful request (connect + exists('/')) after
 * spawn. ZooKeeper opens its port before it has loaded its data (NIOServerCnxnFactory.startup binds,
 * then ZooKeeperServer.startdata loads the snapshot) and closes connections until it runs, so a
 * log line or an open port would flatter it; Junction prints "junction ready" after recovery.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ZkClient } from '../src/zk/client/zk-client.js';

export type TargetKind = 'junction' | 'zookeeper';

export interface ZkServer {
  kind: TargetKind;
  host: '127.0.0.1';
  port: number;
  child: ChildProcess;
  /** Directory the launcher owns (config + data); reused by restart, removed by removeTargetDir. */
  dir: string;
  /** Spawn → first successful request, ms. */
  readyMs: number;
  /** Junction only: spawn → "junction ready" log line, ms. */
  readyLineMs?: number;
  /** Last lines of the server's stdout/stderr, for failure messages. */
  output: string[];
}

/** The `junction` bin (dist/bench/ → dist/bin/junction.cjs), run as `npm start` runs it. */
const CLI = fileURLToPath(new URL('../bin/junction.cjs', import.meta.url));
const ZOOKEEPER_JAR = process.env.ZK_BENCH_JAR ?? '/usr/share/java/zookeeper.jar';
/** bin/zkEnv.sh: ZK_SERVER_HEAP defaults to 1000 → -Xmx1000m; the same here unless overridden. */
export const ZOOKEEPER_HEAP_MB = Number(process.env.ZK_BENCH_HEAP_MB ?? 1000);
/** Junction reads JUNCTION_FSYNC from the environment it inherits; 'batch' is its default. */
const JUNCTION_FSYNC = process.env.JUNCTION_FSYNC || 'batch (default)';
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const OUTPUT_LINES = 50;
const PROBE_EVERY_MS = 20;
const PROBE_TIMEOUT_MS = 10_000;

/** The real server's log4j 1.x config: warnings only, on the console (we keep its last lines). */
const QUIET_LOG4J = [
  'log4j.rootLogger=WARN, CONSOLE', 'log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender',
  'log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout', 'log4j.appender.CONSOLE.layout.ConversionPattern=%d %p %m%n', '',
].join('\n');

export function freshTargetDir(kind: TargetKind): string {
  return mkdtempSync(join(tmpdir(), `junction-zkbench-${kind}-`));
}

export function removeTargetDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** One-line description of how each server is run, for the report header. */
export function describeTargets(): string[] {
  return [
    `Junction: node ${CLI.replace(process.cwd() + '/', '')} start --enable zk --fsync ${JUNCTION_FSYNC} ` +
      '--zk-max-client-cnxns 0, fresh data dir (globalOutstandingLimit 1000 as ZooKeeper); replies after the group-commit fsync',
    `ZooKeeper: java -Xmx${ZOOKEEPER_HEAP_MB}m (zkServer.sh default) ZooKeeperServerMain, standalone, forceSync=yes (default), ` +
      'maxClientCnxns=0, other settings default (globalOutstandingLimit 1000: it stops reading sockets above ' +
      '1000 requests in flight, i.e. in the 64-session cells); replies after SyncRequestProcessor\'s group fsync',
  ];
}

export async function startTarget(kind: TargetKind, dir: string): Promise<ZkServer> {
  return kind === 'junction' ? startJunction(dir) : startZooKeeper(dir);
}

/** `junction start --enable zk` on port 0; the ready line names the port it got. */
async function startJunction(dir: string): Promise<ZkServer> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'start', '--enable', 'zk', '--data-dir', join(dir, 'data'),
    '--zk-port', '0', '--admin-port', '0', '--nacos-port', '0', '--zk-max-client-cnxns', '0'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collectOutput(child, true);
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = parseJson(line);
      if (event?.msg === 'junction ready' && event.ports) resolve(event.ports);
    });
    child.once('exit', (code, signal) => reject(new Error(`junction exited (${code ?? signal}) before ready:\n${output.join('\n')}`)));
  });
  const readyLineMs = performance.now() - t0;
  const port = ports.zk;
  if (!port) throw new Error(`junction's ready line names no zk port: ${JSON.stringify(ports)}`);
  await firstRequest(port, child, output, t0);
  return { kind: 'junction', host: '127.0.0.1', port, child, dir, readyMs: performance.now() - t0, readyLineMs, output };
}

/**
 * ZooKeeperServerMain with a zoo.cfg in `dir` (written once: a restart reuses it, port included).
 * The port is probed free first; if the JVM loses the race for it, retry with another.
 */
async function startZooKeeper(dir: string): Promise<ZkServer> {
  for (let attempt = 1; ; attempt++) {
    const cfg = join(dir, 'zoo.cfg');
    const port = attempt === 1 && existingPort(cfg) || await freePort();
    writeZooCfg(dir, port);
    const t0 = performance.now();
    const child = spawn('java', [`-Xmx${ZOOKEEPER_HEAP_MB}m`, '-cp', `${dir}:${ZOOKEEPER_JAR}`,
      'org.apache.zookeeper.server.ZooKeeperServerMain', cfg], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collectOutput(child, true);
    try {
      await firstRequest(port, child, output, t0);
      return { kind: 'zookeeper', host: '127.0.0.1', port, child, dir, readyMs: performance.now() - t0, output };
    } catch (err) {
      await stopTarget({ child } as ZkServer);
      if (attempt === 3 || !/BindException|Address already in use/.test(output.join('\n'))) throw err;
    }
  }
}

function writeZooCfg(dir: string, port: number): void {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'log4j.properties'), QUIET_LOG4J);
  // Defaults otherwise (tickTime 2000 as zoo_sample.cfg; forceSync, snapCount, globalOutstandingLimit
  // untouched). maxClientCnxns=0: the fan-out phase opens 1000 sessions from one IP.
  writeFileSync(join(dir, 'zoo.cfg'), [
    'tickTime=2000', `dataDir=${join(dir, 'data')}`, `clientPort=${port}`, 'clientPortAddress=127.0.0.1',
    'admin.enableServer=false', 'maxClientCnxns=0', '',
  ].join('\n'));
}

function existingPort(cfg: string): number | undefined {
  try {
    const m = /^clientPort=(\d+)$/m.exec(readFileSync(cfg, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Probe with connect + exists('/') every PROBE_EVERY_MS until one succeeds; the server must stay
 * alive meanwhile. Probes overlap rather than wait for each other: a connection ZooKeeper accepts
 * just before its ZooKeeperServer runs may never get a ConnectResponse (seen on 3.8.0: one stayed
 * unanswered for 5 s while later ones were served), and waiting it out would time the probe, not
 * the server.
 */
async function firstRequest(port: number, child: ChildProcess, output: string[], t0: number): Promise<void> {
  let answered = false;
  let onAnswer!: () => void;
  const answer = new Promise<void>((resolve) => { onAnswer = resolve; });
  const probe = async () => {
    const client = await ZkClient.connect({ host: '127.0.0.1', port, timeoutMs: 30_000, connectTimeoutMs: PROBE_TIMEOUT_MS });
    try {
      if (answered) return;
      await client.exists('/');
      answered = true;
      onAnswer();
    } finally {
      client.destroy();
    }
  };
  while (!answered) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const last = output.at(-1) ?? 'no output';
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering: ${last}\n${output.join('\n')}`);
    }
    if (performance.now() - t0 > READY_TIMEOUT_MS) throw new Error(`no answer on port ${port} after ${READY_TIMEOUT_MS} ms`);
    probe().catch(() => { /* refused, closed or timed out: a later probe will tell */ });
    await Promise.race([sleep(PROBE_EVERY_MS), answer]);
  }
}

/** SIGTERM (as zkServer.sh stop and an operator would), SIGKILL if it has not exited in 30 s. */
export async function stopTarget(server: Pick<ZkServer, 'child'>): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export function isAlive(server: ZkServer): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

/** VmRSS of a process in MiB (Linux /proc); undefined elsewhere or once it has exited. */
export function rssMiB(pid: number | undefined): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function collectOutput(child: ChildProcess, includeStdout = false): string[] {
  const output: string[] = [];
  const keep = (line: string) => { output.push(line); if (output.length > OUTPUT_LINES) output.shift(); };
  createInterface({ input: child.stderr! }).on('line', keep);
  if (includeStdout) createInterface({ input: child.stdout! }).on('line', keep);
  return output;
}

function parseJson(line: string): { msg?: string; ports?: Record<string, number> } | undefined {
  try { return JSON.parse(line) as { msg?: string; ports?: Record<string, number> }; } catch { return undefined; }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

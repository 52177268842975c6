// The real RabbitMQ 3.10.8 (Debian's rabbitmq-server) as a throwaway child for tests and benchmarks:
// free AMQP, management and distribution ports, its own epmd, node name, HOME (Erlang cookie),
// mnesia, log and config dirs under one temp dir, so two can run side by side and nothing in /etc
// or /var/lib/rabbitmq is read or written. Recipe: ../shared/research/amqp.md §0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../cli/run-cli.js';

/** Debian's start script, run directly (the /usr/sbin wrapper would switch to the rabbitmq user). */
export const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
export const EPMD = '/usr/bin/epmd';
/** RabbitMQ's default user (rabbit.default_user/default_pass), allowed from loopback only. */
export const GUEST = { user: 'guest', password: 'guest' } as const;

export interface RabbitMqServer {
  host: '127.0.0.1';
  amqpPort: number;
  managementPort: number;
  /** amqp://guest:guest@127.0.0.1:<port> (vhost '/') */
  url: string;
  /** http://127.0.0.1:<port> (the management plugin's HTTP API under /api) */
  managementUrl: string;
  nodeName: string;
  /** Its own epmd's port: ERL_EPMD_PORT for a real rabbitmqctl talking to it (with HOME=<dir>/home). */
  epmdPort: number;
  /** The temp dir holding HOME, mnesia, logs and config; removed by stop(). */
  dir: string;
  /** The broker's process group (beam.smp and its helpers); empty after stop(). */
  pgid: number;
  /** Milliseconds from spawn until AMQP answers connection.start and /api/overview answers 200. */
  startMs: number;
  /** Resident memory of the broker's processes (beam.smp and its helpers, not epmd), in KiB. */
  rssKiB(): number;
  /** Kill the broker and its epmd, wait until they are gone, remove `dir`. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Stop the node and start it again as the same node (name, ports, epmd, mnesia and message
   * store dir), resolving once AMQP and the management API answer again, with the milliseconds
   * that took. 'graceful': SIGTERM to the start script, which runs `rabbitmqctl stop` (queues
   * flushed, clean-shutdown marker written); rejects if the node is not gone within 60 s.
   * 'kill': SIGKILL to the broker's own process group (the start script, beam.smp,
   * erl_child_setup, inet_gethost — never epmd or anyone else's node), as a crash.
   */
  restart(mode?: RestartMode): Promise<number>;
}

export type RestartMode = 'graceful' | 'kill';

export interface RabbitMqOptions {
  /** How long to wait for the broker to become ready (it takes ~5–10 s on this machine). */
  startTimeoutMs?: number;
  /** rabbitmq.conf cluster_name, announced in connection.start (default: the node name, which
   *  differs per run; fixtures set a fixed one). */
  clusterName?: string;
  /** More rabbitmq.conf lines (e.g. `consumer_timeout = 1000`). */
  extraConfig?: readonly string[];
  /** advanced.config's text, for settings rabbitmq.conf has no key for (e.g. channel_tick_interval). */
  advancedConfig?: string;
}

const live = new Set<ChildProcess>();
process.on('exit', () => { for (const p of live) killGroup(p, 'SIGKILL'); });
let started = 0;

type Ports = { amqp: number; mgmt: number; dist: number; epmd: number };

/** One node's fixed identity (dir, name, ports, epmd) and its current broker process group. */
interface Node { dir: string; nodeName: string; ports: Ports; epmd: ChildProcess | undefined; broker: ChildProcess; timeoutMs: number }

export async function startRabbitMq(opts: RabbitMqOptions = {}): Promise<RabbitMqServer> {
  // A probed port may be taken by someone else before the broker binds it: retry with fresh ones.
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'junction-rabbitmq-'));
    const ports = { amqp: await closedPort(), mgmt: await closedPort(), dist: await closedPort(), epmd: await closedPort() };
    const nodeName = `junction${process.pid}x${++started}@localhost`;
    const t0 = performance.now();
    const epmd = await startEpmd(ports.epmd);
    writeNodeFiles(dir, ports, opts);
    const node: Node = { dir, nodeName, ports, epmd, broker: spawnBroker(dir, nodeName, ports), timeoutMs: opts.startTimeoutMs ?? 60_000 };
    const ready = epmd !== undefined && await waitUntilReady(node);
    if (ready) return server(node, Math.round(performance.now() - t0));
    const log = brokerLog(dir);
    await stopNode(node);
    if (attempt === 3) throw new Error(`RabbitMQ did not start (AMQP port ${ports.amqp}):\n${log}`);
  }
}

function server(node: Node, startMs: number): RabbitMqServer {
  const { dir, nodeName, ports } = node;
  return {
    host: '127.0.0.1', amqpPort: ports.amqp, managementPort: ports.mgmt, nodeName, epmdPort: ports.epmd, dir, startMs,
    get pgid() { return node.broker.pid!; },
    url: `amqp://${GUEST.user}:${GUEST.password}@127.0.0.1:${ports.amqp}`,
    managementUrl: `http://127.0.0.1:${ports.mgmt}`,
    rssKiB: () => groupRssKiB(node.broker.pid!),
    stop: () => stopNode(node),
    restart: (mode = 'graceful') => restartNode(node, mode),
  };
}

async function stopNode(node: Node): Promise<void> {
  // SIGKILL at once: the data is thrown away, and a clean `rabbitmqctl stop` costs ~6 s per test.
  await stopGroup(node.broker, 'SIGKILL');
  if (node.epmd) await stopGroup(node.epmd);
  rmSync(node.dir, { recursive: true, force: true });
}

/** Stop the broker (gracefully or as a crash) and start the same node again: same name, ports,
 *  epmd and dir, so mnesia and the message store are recovered as after a real restart. */
async function restartNode(node: Node, mode: RestartMode): Promise<number> {
  const t0 = performance.now();
  if (mode === 'kill') await stopGroup(node.broker, 'SIGKILL');
  else await stopGracefully(node.broker, 60_000);
  node.broker = spawnBroker(node.dir, node.nodeName, node.ports);
  if (!await waitUntilReady(node)) {
    throw new Error(`RabbitMQ did not come back after a ${mode} restart (AMQP port ${node.ports.amqp}):\n${brokerLog(node.dir)}`);
  }
  return Math.round(performance.now() - t0);
}

/** SIGTERM to the start script alone: its trap sends TERM to beam.smp, whose signal handler
 *  (rabbit_prelaunch_sighandler) stops RabbitMQ cleanly, as `rabbitmqctl stop` does. Signalling
 *  the whole group would also hit erl_child_setup mid-shutdown. */
async function stopGracefully(child: ChildProcess, timeoutMs: number): Promise<void> {
  try { process.kill(child.pid!, 'SIGTERM'); } catch { /* already gone */ }
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(child.pid!) && Date.now() < deadline) await sleep(50);
  if (!groupAlive(child.pid!)) { live.delete(child); return; }
  await stopGroup(child, 'SIGKILL');
  throw new Error(`RabbitMQ did not stop within ${timeoutMs} ms of SIGTERM (killed): not a graceful restart`);
}

/** Our own epmd on a free port (ERL_EPMD_PORT): the one erl would start is a daemon that outlives
 *  the test and is shared by every node on the machine. Started in the foreground, so we own it. */
async function startEpmd(port: number): Promise<ChildProcess | undefined> {
  const child = spawn(EPMD, ['-port', String(port)], { detached: true, stdio: 'ignore' });
  track(child);
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await accepts(port)) return child;
    await sleep(50);
  }
  await stopGroup(child);
  return undefined;
}

/** rabbitmq.conf, advanced.config, enabled_plugins and the dirs, written once per node. */
function writeNodeFiles(dir: string, ports: Ports, opts: RabbitMqOptions): void {
  const { clusterName, extraConfig = [], advancedConfig } = opts;
  for (const sub of ['home', 'mnesia', 'log']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'rabbitmq.conf'), [
    `listeners.tcp.default = 127.0.0.1:${ports.amqp}`,
    `management.tcp.ip = 127.0.0.1`, `management.tcp.port = ${ports.mgmt}`,
    'log.console = false', 'log.file.level = warning',
    ...(clusterName ? [`cluster_name = ${clusterName}`] : []), ...extraConfig, '',
  ].join('\n'));
  if (advancedConfig !== undefined) writeFileSync(join(dir, 'advanced.config'), advancedConfig);
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_management].\n');
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
}

function spawnBroker(dir: string, nodeName: string, ports: Ports): ChildProcess {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8',
    HOME: join(dir, 'home'), // the Erlang cookie is created here
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_DIST_PORT: String(ports.dist),
    ERL_EPMD_PORT: String(ports.epmd),
  };
  // detached: its own process group, so stop() reaches beam.smp, erl_child_setup and inet_gethost.
  const child = spawn(RABBITMQ_SERVER, [], { cwd: dir, env, detached: true, stdio: 'ignore' });
  track(child);
  return child;
}

async function waitUntilReady(node: Node): Promise<boolean> {
  const deadline = Date.now() + node.timeoutMs;
  while (Date.now() < deadline && node.broker.exitCode === null) {
    if (await answersConnectionStart(node.ports.amqp) && await listensAsItself(node)) return true;
    await sleep(100);
  }
  return false;
}

/** The AMQP listener opens late in boot: ready = the 0-9-1 protocol header gets a method frame
 *  (type 1, channel 0) back, which is connection.start. */
function answersConnectionStart(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port }, () => sock.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
    sock.setTimeout(2000, () => { sock.destroy(); resolve(false); });
    sock.once('data', (chunk) => { sock.destroy(); resolve(chunk[0] === 1 && chunk.readUInt16BE(1) === 0); });
    sock.on('error', () => resolve(false));
  });
}

/**
 * The management API answers as this node, and says it listens for AMQP on the port we gave it. A
 * probed port can be taken by another test's server (a Junction, which answers connection.start
 * and /api/overview too) before the broker binds it: the broker then logs eaddrinuse and runs
 * without that listener, and a test that took the port for the broker's waited for ever.
 */
async function listensAsItself(node: Node): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${node.ports.mgmt}/api/overview`, {
      headers: { authorization: basicAuth(GUEST.user, GUEST.password) }, signal: AbortSignal.timeout(2000),
    });
    if (res.status !== 200) { await res.arrayBuffer(); return false; }
    const overview = await res.json() as { node?: string; listeners?: { protocol: string; port: number }[] };
    return overview.node === node.nodeName && (overview.listeners ?? []).some((l) => l.protocol === 'amqp' && l.port === node.ports.amqp);
  } catch {
    return false;
  }
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port }, () => { sock.destroy(); resolve(true); });
    sock.on('error', () => resolve(false));
  });
}

/** Sum of VmRSS over the processes of the broker's group (from /proc, no ps dependency). */
function groupRssKiB(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after "(comm)": state ppid pgrp …
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== pgid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (rss) total += Number(rss[1]);
    } catch { /* the process exited meanwhile */ }
  }
  return total;
}

function brokerLog(dir: string): string {
  try {
    return readdirSync(join(dir, 'log')).map((f) => readFileSync(join(dir, 'log', f), 'utf8')).join('\n').slice(-4000);
  } catch {
    return '(no log)';
  }
}

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try { process.kill(-child.pid!, signal); } catch { /* already gone */ }
}

function groupAlive(pgid: number): boolean {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/** Signal the whole group (on SIGTERM the start script stops the node cleanly), SIGKILL what is
 *  left after 10 s, and wait until no process of the group remains. */
async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.pid === undefined) return;
  killGroup(child, signal);
  const deadline = Date.now() + 10_000;
  while (groupAlive(child.pid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(child.pid)) killGroup(child, 'SIGKILL');
  while (groupAlive(child.pid)) await sleep(20);
  live.delete(child);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

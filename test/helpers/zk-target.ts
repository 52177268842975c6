// A ZooKeeper endpoint for the compat suite: Junction (default) or the real ZooKeeper 3.8
// (JUNCTION_ZK_TARGET=reference), so the same client tests run differentially against both.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../cli/run-cli.js';
import { defaultsOf } from '../../src/core/settings/group.js';
import { zkSettings } from '../../src/zk/settings.js';

const ZK_DEFAULTS = defaultsOf(zkSettings);

export { PYTHON } from './python.js';

export const IS_REFERENCE = process.env.JUNCTION_ZK_TARGET === 'reference';

export interface ZkTargetOptions {
  /** 4lw.commands.whitelist (ZooKeeper's default: 'srvr') */
  fourLetterWords?: string;
  /** zookeeper.DigestAuthenticationProvider.superDigest, e.g. 'super:<base64 sha1>' */
  superDigest?: string;
  maxClientCnxns?: number;
  /** jute.maxbuffer */
  juteMaxBuffer?: number;
  tickTime?: number;
  /** znode.container.checkIntervalMs; 1000 here so container/TTL tests finish quickly */
  containerCheckMs?: number;
  /** zookeeper.extendedTypesEnabled (TTL nodes) */
  extendedTypes?: boolean;
}

export interface ZkTarget {
  kind: 'junction' | 'reference';
  host: '127.0.0.1';
  port: number;
  connectString: string;
  stop(): Promise<void>;
}

/** Test defaults shared by both kinds (ZooKeeper's own defaults except the container check). */
function settings(opts: ZkTargetOptions) {
  return {
    fourLetterWords: opts.fourLetterWords ?? ZK_DEFAULTS.fourLetterWords,
    superDigest: opts.superDigest ?? '',
    maxClientCnxns: opts.maxClientCnxns ?? ZK_DEFAULTS.maxClientCnxns,
    juteMaxBuffer: opts.juteMaxBuffer ?? ZK_DEFAULTS.juteMaxBuffer,
    tickTime: opts.tickTime ?? 2000,
    containerCheckMs: opts.containerCheckMs ?? 1000,
    extendedTypes: opts.extendedTypes ?? true,
  };
}

export async function startZkTarget(opts: ZkTargetOptions = {}): Promise<ZkTarget> {
  const s = settings(opts);
  if (IS_REFERENCE) return startReference(s);
  // Loaded lazily: reference runs must not depend on the Junction build being complete.
  const { startTestServer } = await import('./junction.js');
  const server = await startTestServer({ enabled: ['zk'], zk: s });
  return target('junction', server.zkPort, () => server.destroy());
}

/** Always the real ZooKeeper 3.8 (for tests that compare with it whatever the target is). */
export function startReferenceZk(opts: ZkTargetOptions = {}): Promise<ZkTarget> {
  return startReference(settings(opts));
}

function target(kind: ZkTarget['kind'], port: number, stop: () => Promise<void>): ZkTarget {
  return { kind, host: '127.0.0.1', port, connectString: `127.0.0.1:${port}`, stop };
}

// ---- reference: the Debian ZooKeeper 3.8 jar ----

const ZK_CLASSPATH = '/usr/share/java/zookeeper.jar';
const QUIET_LOG4J = 'log4j.rootLogger=WARN, CONSOLE\nlog4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender\n'
  + 'log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout\nlog4j.appender.CONSOLE.layout.ConversionPattern=%d %p %m%n\n';
const live = new Set<ChildProcess>();
process.on('exit', () => { for (const p of live) p.kill('SIGKILL'); });

async function startReference(s: ReturnType<typeof settings>): Promise<ZkTarget> {
  // Another process may grab the probed port before the JVM binds it: retry with a fresh one.
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'junction-refzk-'));
    const port = await closedPort();
    const child = spawnReference(dir, port, s);
    const srvrAllowed = s.fourLetterWords.split(',').some((w) => ['*', 'srvr'].includes(w.trim()));
    const ready = await waitForSrvr(port, child, 20_000, srvrAllowed);
    if (ready) {
      return target('reference', port, async () => {
        await killAndWait(child);
        rmSync(dir, { recursive: true, force: true });
      });
    }
    await killAndWait(child);
    rmSync(dir, { recursive: true, force: true });
    if (attempt === 3) throw new Error(`reference ZooKeeper did not answer srvr on port ${port}`);
  }
}

function spawnReference(dir: string, port: number, s: ReturnType<typeof settings>): ChildProcess {
  writeFileSync(join(dir, 'log4j.properties'), QUIET_LOG4J);
  writeFileSync(join(dir, 'zoo.cfg'), [
    `tickTime=${s.tickTime}`, `dataDir=${join(dir, 'data')}`, `clientPort=${port}`,
    'clientPortAddress=127.0.0.1', 'admin.enableServer=false',
    `4lw.commands.whitelist=${s.fourLetterWords}`, `maxClientCnxns=${s.maxClientCnxns}`, '',
  ].join('\n'));
  const props = [
    `-Dzookeeper.extendedTypesEnabled=${s.extendedTypes}`,
    `-Dznode.container.checkIntervalMs=${s.containerCheckMs}`,
    `-Djute.maxbuffer=${s.juteMaxBuffer}`,
  ];
  if (s.superDigest) props.push(`-Dzookeeper.DigestAuthenticationProvider.superDigest=${s.superDigest}`);
  const child = spawn('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', ...props, '-cp', `${dir}:${ZK_CLASSPATH}`,
    'org.apache.zookeeper.server.ZooKeeperServerMain', join(dir, 'zoo.cfg')], { cwd: dir, stdio: 'ignore' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}


/** NIOServerCnxnFactory answers four-letter words before ZooKeeperServer.startup() is done, and
 *  until then closes session connections: ready = `srvr` reports "Zookeeper version:". When srvr
 *  is not whitelisted the refusal text is all we can get, so wait a second more after it. */
async function waitForSrvr(port: number, child: ChildProcess, timeoutMs: number, srvrAllowed: boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const answer = await fourLetterWord(port, 'srvr').catch(() => '');
    if (answer.startsWith('Zookeeper version:')) return true;
    if (!srvrAllowed && answer.length > 0) {
      await new Promise((r) => setTimeout(r, 1000));
      return child.exitCode === null;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return false;
}

/** Send a four-letter word and collect the answer until the server closes the connection. */
export function fourLetterWord(port: number, word: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = createConnection({ host: '127.0.0.1', port }, () => sock.end(word));
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`${word}: no answer in ${timeoutMs} ms`)));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// Client programs run with the shared helper (re-exported for the ZooKeeper suites).
export { run, type RunResult } from './run-program.js';

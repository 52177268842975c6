import { join, resolve } from 'node:path';
import type { ZkConnectionInfo, ZkServerView } from '../server-view.js';
import { javaDate, javaDouble, longHex, roundAvg, sessionHex, socketAddressText } from './java-format.js';
import {
  environmentEntries, ephemeralsBySession, JavaDouble, monitorValues, SERVER_STATE, sessionExpiryBuckets,
  watchesByPath, watchesBySession, watchSummary,
} from './reports.js';
import { ZK_FULL_VERSION } from './version.js';

/** AbstractFourLetterCommand.ZK_NOT_SERVING */
export const ZK_NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';

/**
 * NIO interest ops shown in cons/stat ("[1]" = OP_READ). They are a Java NIO detail; a Junction
 * connection is always read from unless paused for backpressure, so it reports OP_READ.
 */
const OP_READ = 1;

/** ServerCnxn.dumpConnectionInfo: " /ip:port[ops](queued=…,recved=…,sent=…[,sid=…])". */
function connectionLine(c: ZkConnectionInfo, brief: boolean): string {
  let line = ` ${socketAddressText(c.remoteAddress, c.remotePort)}[${OP_READ}]` +
    `(queued=${c.queued},recved=${c.received},sent=${c.sent}`;
  if (!brief && c.sessionId !== null) {
    line += `,sid=${sessionHex(c.sessionId)},lop=${c.lastOperation},est=${c.establishedAt},to=${c.timeoutMs}`;
    // ServerCnxn prints lcxid only once a request was seen (lastCxid >= 0).
    if (c.lastCxid >= 0) line += `,lcxid=0x${longHex(c.lastCxid)}`;
    line += `,lzxid=0x${longHex(c.lastZxid)},lresp=${c.lastResponseAt},llat=${Math.floor(c.lastLatencyMs)}` +
      `,minlat=${Math.floor(c.minLatencyMs)},avglat=${Math.floor(c.avgLatencyMs)},maxlat=${Math.floor(c.maxLatencyMs)}`;
  }
  return `${line})`;
}

/** StatCommand: srvr, and stat with the client list (ServerStats.toString + node count). */
function stat(view: ZkServerView, withClients: boolean): string {
  const s = view.stats();
  let out = `Zookeeper version: ${ZK_FULL_VERSION}\n`;
  if (withClients) {
    out += 'Clients:\n';
    for (const c of view.connections()) out += `${connectionLine(c, true)}\n`;
    out += '\n';
  }
  return out +
    `Latency min/avg/max: ${Math.floor(s.minLatencyMs)}/${javaDouble(roundAvg(s.avgLatencyMs))}/${Math.floor(s.maxLatencyMs)}\n` +
    `Received: ${s.packetsReceived}\nSent: ${s.packetsSent}\nConnections: ${view.connections().length}\n` +
    `Outstanding: ${s.outstandingRequests}\nZxid: 0x${longHex(view.lastZxid())}\nMode: ${SERVER_STATE}\n` +
    `Node count: ${view.nodeCount()}\n`;
}

/**
 * ZooKeeperServer.dumpConf. Junction keeps snapshots in <dataDir>/snapshot and the txn log in
 * <dataDir>/log, which play ZooKeeper's dataDir and dataLogDir roles. No TLS port (-1), default
 * listen backlog (-1), and server id 0 as a standalone ZooKeeper has.
 */
function conf(view: ZkServerView): string {
  const { settings } = view;
  const sizes = view.dataDirSizes();
  return [
    `clientPort=${settings.clientPort}`, 'secureClientPort=-1',
    `dataDir=${resolve(join(settings.dataDir, 'snapshot'))}`, `dataDirSize=${sizes.snapshotBytes}`,
    `dataLogDir=${resolve(join(settings.dataDir, 'log'))}`, `dataLogSize=${sizes.logBytes}`,
    `tickTime=${settings.tickTime}`, `maxClientCnxns=${settings.maxClientCnxns}`,
    `minSessionTimeout=${settings.minSessionTimeout}`, `maxSessionTimeout=${settings.maxSessionTimeout}`,
    'clientPortListenBacklog=-1', 'serverId=0', '',
  ].join('\n');
}

/** ExpiryQueue.dump: "Sets (buckets)/(elements):" then each bucket's time and members. */
function expiryDump(buckets: Map<number, string[]>): string {
  let total = 0;
  for (const members of buckets.values()) total += members.length;
  let out = `Sets (${buckets.size})/(${total}):\n`;
  for (const [at, members] of buckets) {
    out += `${members.length} expire at ${javaDate(at)}:\n${members.map((m) => `\t${m}\n`).join('')}`;
  }
  return out;
}

/**
 * NIOServerCnxnFactory's connection expiry queue: a connection expires one session timeout after it
 * was last active (10 s before it has a session: zookeeper.nio.sessionlessCnxnTimeout), in buckets of
 * 10 s. Junction derives "last active" from the connection's last response.
 */
function connectionBuckets(view: ZkServerView): Map<number, string[]> {
  const interval = 10_000;
  const buckets = new Map<number, string[]>();
  for (const c of view.connections()) {
    const touched = Math.max(c.lastResponseAt, c.establishedAt);
    const at = (Math.floor((touched + (c.sessionId === null ? interval : c.timeoutMs)) / interval) + 1) * interval;
    const name = `ip: ${socketAddressText(c.remoteAddress, c.remotePort)} sessionId: ${sessionHex(c.sessionId)}`;
    buckets.set(at, [...(buckets.get(at) ?? []), name]);
  }
  return new Map([...buckets].sort(([a], [b]) => a - b));
}

/** DumpCommand: session expiry queue, ephemerals per session, connections. */
function dump(view: ZkServerView): string {
  const sessions = new Map([...sessionExpiryBuckets(view)].map(([at, ids]) => [at, ids.map(sessionHex)]));
  const ephemerals = ephemeralsBySession(view);
  let out = `SessionTracker dump:\nSession ${expiryDump(sessions)}ephemeral nodes dump:\n`;
  out += `Sessions with Ephemerals (${ephemerals.size}):\n`;
  for (const [id, paths] of ephemerals) out += `${sessionHex(id)}:\n${paths.map((p) => `\t${p}\n`).join('')}`;
  return `${out}Connections dump:\nConnections ${expiryDump(connectionBuckets(view))}`;
}

/** WatchCommand: wchs (summary), wchc (by session), wchp (by path); each ends with an empty line. */
function watches(view: ZkServerView, word: 'wchs' | 'wchc' | 'wchp'): string {
  if (word === 'wchs') {
    const s = watchSummary(view);
    return `${s.connections} connections watching ${s.paths} paths\nTotal watches:${s.total}\n`;
  }
  let out = '';
  if (word === 'wchc') {
    for (const [id, paths] of watchesBySession(view)) out += `${sessionHex(id)}\n${paths.map((p) => `\t${p}\n`).join('')}`;
  } else {
    for (const [path, ids] of watchesByPath(view)) out += `${path}\n${ids.map((id) => `\t${sessionHex(id)}\n`).join('')}`;
  }
  return `${out}\n`;
}

/** MonitorCommand: "zk_<key>\t<value>" lines; doubles printed as Java does. */
function mntr(view: ZkServerView): string {
  return monitorValues(view)
    .map(([k, v]) => `zk_${k}\t${v instanceof JavaDouble ? javaDouble(v.value) : String(v)}\n`).join('');
}

const DEFAULT_TRACE_MASK = 306;

/** The words that need a running server (the rest answer without one, as in ZooKeeper). */
const SERVERLESS: Record<string, () => string> = {
  ruok: () => 'imok',
  envi: () => `Environment:\n${environmentEntries().map(([k, v]) => `${k}=${v}\n`).join('')}`,
  // ZooTrace's default mask (CLIENT_REQUEST | CLIENT_PING | SERVER_PACKET … = 306), which is what
  // gtmk answers on a real server. Junction writes no trace log, so stmk leaves it unchanged.
  gtmk: () => String(DEFAULT_TRACE_MASK),
  stmk: () => String(DEFAULT_TRACE_MASK),
  // ZooKeeper's CommandExecutor has no command for it: nothing is written and the socket closes.
  'telnet close': () => '',
};

const WITH_SERVER: Record<string, (view: ZkServerView) => string> = {
  srvr: (v) => stat(v, false),
  stat: (v) => stat(v, true),
  conf,
  cons: (v) => `${v.connections().map((c) => `${connectionLine(c, false)}\n`).join('')}\n`,
  crst: (v) => { v.resetConnectionStats(); return 'Connection stats reset.\n'; },
  srst: (v) => { v.resetStats(); return 'Server stats reset.\n'; },
  dump,
  mntr,
  wchs: (v) => watches(v, 'wchs'),
  wchc: (v) => watches(v, 'wchc'),
  wchp: (v) => watches(v, 'wchp'),
  dirs: (v) => { const s = v.dataDirSizes(); return `datadir_size: ${s.snapshotBytes}\nlogdir_size: ${s.logBytes}\n`; },
  isro: () => 'rw',
  // DigestCommand prints the digest log, one "zxid: digest" per line; Junction keeps none.
  hash: () => '',
};

/**
 * The text ZooKeeper 3.8 answers to a four-letter word (NIOServerCnxn.checkFourLetterWord). A word
 * outside the whitelist is refused with ZooKeeper's NopCommand message. Without a running server
 * (view null) the words that need one answer ZK_NOT_SERVING, isro "null".
 */
export function runFourLetterWord(cmd: string, view: ZkServerView | null, whitelist: readonly string[]): string {
  if (!whitelist.includes(cmd)) return `${cmd} is not executed because it is not in the whitelist.\n`;
  const serverless = SERVERLESS[cmd];
  if (serverless) return serverless();
  const run = WITH_SERVER[cmd];
  if (!run) return '';
  if (view === null) return cmd === 'isro' ? 'null' : cmd === 'hash' ? ZK_NOT_SERVING : `${ZK_NOT_SERVING}\n`;
  return run(view);
}

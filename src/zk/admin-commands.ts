import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ZK_NOT_SERVING } from './fourlw/commands.js';
import { roundAvg, sessionLong, socketAddressJson, toJson } from './fourlw/java-format.js';
import {
  environmentEntries, ephemeralsBySession, JavaDouble, monitorValues, SERVER_STATE, sessionExpiryBuckets,
  watchesByPath, watchesBySession, watchSummary,
} from './fourlw/reports.js';
import { ZK_FULL_VERSION } from './fourlw/version.js';
import type { ZkConnectionInfo, ZkServerView } from './server-view.js';

/**
 * ZooKeeper 3.8's AdminServer commands (admin/Commands.java) as pure functions over the view. Every
 * answer is HTTP 200 with a JSON object ending in "command" (the primary name) and "error" (null on
 * success), as CommandResponse.toMap builds it. Session ids are bigint: write bodies with toJson.
 */
export interface AdminCommandResult {
  status: number;
  body: Record<string, unknown>;
}

type Data = Record<string, unknown>;
type Kwargs = Record<string, string>;

interface AdminCommand {
  /** Primary name first, then aliases (CommandBase names). */
  names: string[];
  /** CommandBase.serverRequired: answered with ZK_NOT_SERVING when no server runs. */
  serverRequired: boolean;
  run(view: ZkServerView | null, kwargs: Kwargs): Data;
}

/** ServerCnxn.getConnectionInfo(brief). */
function connectionInfo(c: ZkConnectionInfo, brief: boolean): Data {
  const info: Data = {
    remote_socket_address: socketAddressJson(c.remoteAddress, c.remotePort),
    interest_ops: 1, // OP_READ: see the note on cons in fourlw/commands.ts
    outstanding_requests: c.queued,
    packets_received: c.received,
    packets_sent: c.sent,
  };
  if (brief) return info;
  return {
    ...info, session_id: sessionLong(c.sessionId), last_operation: c.lastOperation, established: c.establishedAt,
    session_timeout: c.timeoutMs, last_cxid: c.lastCxid, last_zxid: c.lastZxid, last_response_time: c.lastResponseAt,
    last_latency: Math.floor(c.lastLatencyMs), min_latency: Math.floor(c.minLatencyMs),
    avg_latency: Math.floor(c.avgLatencyMs), max_latency: Math.floor(c.maxLatencyMs),
  };
}

/**
 * SrvrCommand: ServerStats as Jackson writes it, minus what Junction does not measure
 * (fsync_threshold_exceed_count, client_response_stats, auth_failed_count, non_mtls counters).
 */
function serverStats(view: ZkServerView): Data {
  const s = view.stats();
  const dirs = view.dataDirSizes();
  return {
    version: ZK_FULL_VERSION,
    read_only: false,
    server_stats: {
      packets_sent: s.packetsSent, packets_received: s.packetsReceived,
      data_dir_size: dirs.snapshotBytes, log_dir_size: dirs.logBytes, provider_null: false,
      server_state: SERVER_STATE, last_processed_zxid: view.lastZxid(), outstanding_requests: s.outstandingRequests,
      avg_latency: roundAvg(s.avgLatencyMs), max_latency: Math.floor(s.maxLatencyMs), min_latency: Math.floor(s.minLatencyMs),
      num_alive_client_connections: view.connections().length, uptime: view.now() - view.startedAt,
    },
    node_count: view.nodeCount(),
  };
}

/** ZooKeeperServerConf.toMap; dataDir/dataLogDir are Junction's snapshot and log dirs. */
function configuration(view: ZkServerView): Data {
  const s = view.settings;
  return {
    client_port: s.clientPort, data_dir: resolve(join(s.dataDir, 'snapshot')), data_log_dir: resolve(join(s.dataDir, 'log')),
    tick_time: s.tickTime, max_client_cnxns: s.maxClientCnxns, min_session_timeout: s.minSessionTimeout,
    max_session_timeout: s.maxSessionTimeout, server_id: 0, client_port_listen_backlog: -1,
  };
}

/** DumpCommand: expiry time → session ids, session id → ephemeral paths. */
function dump(view: ZkServerView): Data {
  const expiry: Data = {};
  for (const [at, ids] of sessionExpiryBuckets(view)) expiry[String(at)] = ids.map(sessionLong);
  const ephemerals: Data = {};
  for (const [id, paths] of ephemeralsBySession(view)) ephemerals[String(sessionLong(id))] = paths;
  return { expiry_time_to_session_ids: expiry, session_id_to_ephemeral_paths: ephemerals };
}

/** runAdminCommand only runs a serverRequired command with a view, so `need` never sees null. */
const need = (view: ZkServerView | null): ZkServerView => view as ZkServerView;
const cmd = (names: string[], run: AdminCommand['run'], serverRequired = true): AdminCommand => ({ names, run, serverRequired });

const COMMANDS: AdminCommand[] = [
  cmd(['connection_stat_reset', 'crst'], (v) => { need(v).resetConnectionStats(); return {}; }),
  cmd(['configuration', 'conf', 'config'], (v) => configuration(need(v))),
  cmd(['connections', 'cons'], (v) => ({ connections: need(v).connections().map((c) => connectionInfo(c, false)), secure_connections: [] })),
  cmd(['hash'], () => ({ digests: [] })), // Junction keeps no digest log (DataTree.getDigestLog)
  cmd(['dirs'], (v) => { const s = need(v).dataDirSizes(); return { datadir_size: s.snapshotBytes, logdir_size: s.logBytes }; }),
  cmd(['dump'], (v) => dump(need(v))),
  cmd(['environment', 'env', 'envi'], () => Object.fromEntries(environmentEntries()), false),
  cmd(['get_trace_mask', 'gtmk'], () => ({ tracemask: 0 }), false), // no trace log: mask 0
  cmd(['is_read_only', 'isro'], () => ({ read_only: false })),
  // LeaderCommand on a server that is not part of a quorum.
  cmd(['leader', 'lead'], () => ({ error: 'server is not initialized' })),
  cmd(['monitor', 'mntr'], (v) => Object.fromEntries(monitorValues(need(v)).map(([k, x]) => [k, x instanceof JavaDouble ? x.value : x]))),
  cmd(['observer_connection_stat_reset', 'orst'], () => ({})),
  cmd(['ruok'], () => ({})),
  cmd(['set_trace_mask', 'stmk'], (_v, kwargs) => setTraceMask(kwargs), false),
  cmd(['server_stats', 'srvr'], (v) => serverStats(need(v))),
  cmd(['stats', 'stat'], (v) => ({
    ...serverStats(need(v)), connections: need(v).connections().map((c) => connectionInfo(c, true)), secure_connections: [],
  })),
  cmd(['stat_reset', 'srst'], (v) => { need(v).resetStats(); return {}; }),
  cmd(['observers', 'obsr'], () => ({ synced_observers: 0, observers: [] })),
  cmd(['voting_view'], () => ({ current_config: {} })),
  cmd(['watches', 'wchc'], (v) => ({
    session_id_to_watched_paths: Object.fromEntries(watchesBySession(need(v)).map(([id, paths]) => [String(sessionLong(id)), paths])),
  })),
  cmd(['watches_by_path', 'wchp'], (v) => ({
    path_to_session_ids: Object.fromEntries(watchesByPath(need(v)).map(([path, ids]) => [path, ids.map(sessionLong)])),
  })),
  cmd(['watch_summary', 'wchs'], (v) => {
    const s = watchSummary(need(v));
    return { num_connections: s.connections, num_paths: s.paths, num_total_watches: s.total };
  }),
  // ZabStateCommand on a standalone server.
  cmd(['zabstate'], () => ({ voting: false, zabstate: '' }), false),
];

/** SetTraceMaskCommand checks its argument as ZooKeeper does; Junction cannot trace, so it refuses. */
function setTraceMask(kwargs: Kwargs): Data {
  const mask = kwargs.traceMask;
  if (mask === undefined) return { error: 'setTraceMask requires long traceMask argument' };
  if (!/^[+-]?\d+$/.test(mask)) return { error: `setTraceMask requires long traceMask argument, got ${mask}` };
  return { error: 'set_trace_mask is not supported: Junction writes no trace log' };
}

const BY_NAME = new Map<string, AdminCommand>(COMMANDS.flatMap((c) => c.names.map((n) => [n, c] as [string, AdminCommand])));

/** Primary names, sorted, as the /commands link page lists them. */
export const ADMIN_COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.names[0] as string).sort();

/** CommandResponse.toMap: data first, then command and error (a data "error" keeps its place). */
function response(command: string, error: string | null, data: Data = {}): AdminCommandResult {
  return { status: 200, body: { ...data, command, error: data.error ?? error } };
}

/** Commands.runCommand: unknown names and a stopped server are reported in "error", still HTTP 200. */
export function runAdminCommand(name: string, view: ZkServerView | null, kwargs: Kwargs = {}): AdminCommandResult {
  const command = BY_NAME.get(name);
  if (!command) return response(name, `Unknown command: ${name}`);
  const primary = command.names[0] as string;
  if (command.serverRequired && view === null) return response(primary, ZK_NOT_SERVING);
  return response(primary, null, command.run(view, kwargs));
}

/** JettyAdminServer's link page (GET /commands). */
function linksPage(): string {
  return ADMIN_COMMAND_NAMES.map((n) => `<a href="/commands/${n}">${n}</a>\n<br/>\n`).join('');
}

/** GET /commands (links) and GET /commands/<name>[?arg=value] (JSON), as JettyAdminServer serves them. */
export function registerZkAdminCommands(app: FastifyInstance, getView: () => ZkServerView | null): void {
  for (const path of ['/commands', '/commands/']) {
    app.get(path, async (_req, reply) => reply.type('text/html').send(linksPage()));
  }
  app.get<{ Params: { name: string }; Querystring: Record<string, string | string[]> }>('/commands/:name', async (req, reply) => {
    // Jetty's getParameterMap: a repeated parameter counts with its first value.
    const kwargs = Object.fromEntries(Object.entries(req.query ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v[0] ?? '' : v]));
    const result = runAdminCommand(req.params.name, getView(), kwargs);
    return reply.code(result.status).type('application/json').send(toJson(result.body));
  });
}

import { ipOf, registerInstance, registerPath } from '../nacos-api.js';
import { isBroken, runLoad, type LoadResult, type LoadSettings } from '../load.js';
import type { Row } from '../report.js';
import type { BenchServer } from '../server.js';

/** Register load spreads over this many services, as real fleets do (Nacos benchmarks do too). */
const REGISTER_SERVICES = 100;
/** instance/list is measured on one service of this size (a typical small deployment). */
const LIST_INSTANCES = 10;

export function loadRow(figure: string, result: LoadResult, target: number, note: string): Row {
  return {
    figure, value: result.rate, unit: 'req/s', target: { op: '>=', value: target },
    note: `${note}; p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; ${result.completed} reqs in ${result.seconds.toFixed(1)} s; ` +
      `CPU cores: server ${result.serverCores?.toFixed(2) ?? 'n/a'}, client ${result.clientCores.toFixed(2)}`,
    ...(isBroken(result) ? { error: `${result.failed} failed (${result.failureDetail})` } : {}),
  };
}

/** POST /nacos/v1/ns/instance, every request a new ephemeral instance (distinct ip). */
export async function registerTps(server: BenchServer, load: LoadSettings, connections: number): Promise<Row> {
  const result = await runLoad({
    url: server.nacos, serverPid: server.child.pid, method: 'POST', connections, duration: load.duration, warmup: load.warmup, expectBody: 'ok',
    vary: (seq, req) => ({ ...req, path: registerPath(`bench.reg.${seq % REGISTER_SERVICES}`, ipOf(seq), 8080) }),
  });
  return loadRow('instance register (ephemeral)', result, 10_000,
    `${connections} conns, distinct ip per request over ${REGISTER_SERVICES} services`);
}

/** GET /nacos/v1/ns/instance/list on a service holding LIST_INSTANCES instances. */
export async function listQps(server: BenchServer, load: LoadSettings, connections: number): Promise<Row> {
  const serviceName = 'bench.list';
  for (let i = 0; i < LIST_INSTANCES; i++) await registerInstance(server.nacos, serviceName, ipOf(0xff0000 + i), 8080);
  const result = await runLoad({
    url: `${server.nacos}/nacos/v1/ns/instance/list?serviceName=${serviceName}`, serverPid: server.child.pid, connections,
    duration: load.duration, warmup: load.warmup,
  });
  return loadRow('instance/list query', result, 20_000,
    `${connections} conns, ${LIST_INSTANCES} instances in the service`);
}

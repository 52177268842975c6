import { CONTENT, forEachLimited, GROUP, ipOf, publishConfig, registerInstance } from '../nacos-api.js';
import { isBroken, runLoad, type LoadResult, type LoadSettings } from '../load.js';
import type { Row } from '../report.js';
import type { BareServer, BenchServer } from '../server.js';
import { median } from './startup.js';

/** Gets rotate over this many dataIds, like the config-get phase. */
const DATA_IDS = 100;
/** instance/list reads one service of this size, like the instance-list phase. */
const LIST_INSTANCES = 10;
const LIST_SERVICE = 'bench.overhead.list';
/** The ratio to the bare route that Junction's HTTP layer must reach (config get, instance list). */
export const OVERHEAD_TARGET = 0.8;

interface Target {
  name: string;
  base: string;
  pid: number | undefined;
  /** Paths (with query) each connection cycles through. */
  paths: string[];
  expectBody?: string;
}

export interface OverheadSpec { connections: number; rounds: number }

/**
 * Per-request cost of Junction's HTTP layer against a bare Fastify route, in one run: the bare
 * server, then Nacos config get, then instance/list (10 instances), each with the same load
 * (autocannon, `connections`, one request in flight per connection), repeated `rounds` times so
 * that drift on a shared machine lands on all three. Requests are prebuilt and cycled (config
 * get and the bare route over the same 100 queries) so the one client core is not what limits
 * the rate; the bare route answers the same 128-byte body config get does. Each ratio is the
 * median over rounds of the ratio within that round.
 */
export async function httpOverheadRows(server: BenchServer, bare: BareServer, load: LoadSettings, spec: OverheadSpec): Promise<Row[]> {
  await forEachLimited(DATA_IDS, 16, (i) => publishConfig(server.nacos, `bench.overhead.${i}`, CONTENT));
  // Persistent: the phase outlasts the 30 s after which ephemeral instances without heartbeats
  // are removed, and later rounds would then read an empty service.
  for (let i = 0; i < LIST_INSTANCES; i++) await registerInstance(server.nacos, LIST_SERVICE, ipOf(0xfe0000 + i), 8080, false);
  const queries = Array.from({ length: DATA_IDS }, (_, i) => `dataId=bench.overhead.${i}&group=${GROUP}`);
  const targets: Target[] = [
    { name: 'bare Fastify route', base: bare.url, pid: bare.child.pid, paths: queries.map((q) => `/bare?${q}`), expectBody: CONTENT },
    { name: 'config get', base: server.nacos, pid: server.child.pid, paths: queries.map((q) => `/nacos/v1/cs/configs?${q}`), expectBody: CONTENT },
    { name: 'instance/list', base: server.nacos, pid: server.child.pid, paths: [`/nacos/v1/ns/instance/list?serviceName=${LIST_SERVICE}`] },
  ];
  const results: LoadResult[][] = targets.map(() => []);
  for (let round = 0; round < spec.rounds; round++) {
    for (const [i, target] of targets.entries()) results[i]!.push(await measure(target, load, spec.connections));
    await expectListed(server.nacos, LIST_INSTANCES);
  }
  const [bareRuns, ...others] = results as [LoadResult[], ...LoadResult[][]];
  const rows: Row[] = [rateRow(targets[0]!.name, bareRuns, spec)];
  others.forEach((runs, i) => rows.push(rateRow(targets[i + 1]!.name, runs, spec), ...ratioRows(targets[i + 1]!.name, runs, bareRuns)));
  return rows;
}

/** The list the phase reads must still hold every instance, or its figures describe a smaller answer. */
async function expectListed(base: string, count: number): Promise<void> {
  const res = await fetch(`${base}/nacos/v1/ns/instance/list?serviceName=${LIST_SERVICE}`);
  const hosts = (await res.json() as { hosts?: unknown[] }).hosts?.length;
  if (hosts !== count) throw new Error(`instance/list answered ${hosts} instances, expected ${count}`);
}

function measure(target: Target, load: LoadSettings, connections: number): Promise<LoadResult> {
  return runLoad({
    url: target.base, serverPid: target.pid, connections, duration: load.duration, warmup: load.warmup,
    ...(target.expectBody !== undefined ? { expectBody: target.expectBody } : {}),
    paths: target.paths,
  });
}

/** Server CPU per request in microseconds (undefined without /proc). */
function cpuMicros(r: LoadResult): number | undefined {
  return r.serverCores === undefined || r.rate === 0 ? undefined : (r.serverCores / r.rate) * 1e6;
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? 'n/a' : n.toFixed(digits));

function rateRow(name: string, runs: LoadResult[], spec: OverheadSpec): Row {
  const broken = runs.find(isBroken);
  return {
    figure: `http overhead: ${name}`, value: median(runs.map((r) => r.rate)), unit: 'req/s',
    note: `median of ${runs.length} rounds (${runs.map((r) => fmt(r.rate)).join(', ')}); ${spec.connections} conns; ` +
      `p99 ${runs.map((r) => r.p99Ms).join('/')} ms; server µs/req ${runs.map((r) => fmt(cpuMicros(r))).join('/')}; ` +
      `CPU cores server ${runs.map((r) => fmt(r.serverCores, 2)).join('/')}, client ${runs.map((r) => fmt(r.clientCores, 2)).join('/')}`,
    ...(broken ? { error: `${broken.failed} failed (${broken.failureDetail})` } : {}),
  };
}

/**
 * Two ratios per target. req/s ÷ bare req/s is the figure asked for, but it flatters Junction when
 * the one client core, not the bare server, limits the bare rate; bare CPU per request ÷ this CPU
 * per request is what the req/s ratio becomes when both servers are saturated, whatever the client.
 */
function ratioRows(name: string, runs: LoadResult[], bare: LoadResult[]): Row[] {
  const rates = runs.map((r, i) => r.rate / bare[i]!.rate);
  const cpu = runs.map((r, i) => {
    const mine = cpuMicros(r);
    const theirs = cpuMicros(bare[i]!);
    return mine === undefined || theirs === undefined ? NaN : theirs / mine;
  });
  const target = { op: '>=' as const, value: OVERHEAD_TARGET };
  return [
    { figure: `http overhead: ${name} ÷ bare, req/s`, value: median(rates), unit: '×', digits: 2, target,
      note: `per round ${rates.map((x) => x.toFixed(2)).join(', ')}` },
    { figure: `http overhead: ${name} ÷ bare, CPU/req`, value: cpu.some(Number.isNaN) ? undefined : median(cpu), unit: '×', digits: 2, target,
      note: `bare server µs/req ÷ this server µs/req, per round ${cpu.map((x) => x.toFixed(2)).join(', ')}` },
  ];
}

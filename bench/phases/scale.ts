import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONTENT, countInstances, FORM, getConfig, forEachLimited, ipOf, publishBody, registerPath } from '../nacos-api.js';
import { isBroken, runLoad, type LoadResult } from '../load.js';
import { heapUsedMiB, rssMiB, startServer, stopServer, type BenchServer } from '../server.js';
import type { Row } from '../report.js';

/** Nacos deletes an ephemeral instance 30 s after its last heartbeat; leave time for counting. */
const EXPIRY_MARGIN_S = 25;

export interface ScaleSpec {
  instances: number;
  services: number;
  configs: number;
  registerConnections: number;
  publishConnections: number;
}

/**
 * Fill a fresh server with `instances` ephemeral instances over `services` services and `configs`
 * configs, report what that costs in time and memory. Instances are counted right after they are
 * registered: the bench sends no heartbeats, and Nacos removes an ephemeral instance 30 s after its
 * last one, so counting later would race the expiry.
 */
export async function scaleRows(server: BenchServer, spec: ScaleSpec): Promise<Row[]> {
  const before = rssMiB(server);
  const pid = server.child.pid;
  const register = await runLoad({
    url: server.nacos, serverPid: pid, method: 'POST', connections: spec.registerConnections,
    amount: spec.instances, expectBody: 'ok',
    vary: (seq, req) => ({ ...req, path: registerPath(`bench.scale.${seq % spec.services}`, ipOf(seq), 8080) }),
  });
  const found = await countAll(server.nacos, spec.services);
  const publish = await runLoad({
    url: `${server.nacos}/nacos/v1/cs/configs`, serverPid: pid, method: 'POST', headers: FORM,
    connections: spec.publishConnections, amount: spec.configs, expectBody: 'true',
    vary: (seq, req) => ({ ...req, body: publishBody(`bench.scale.${seq}`, CONTENT) }),
  });
  const memory = await sampleMemory(server);
  const failure = (r: LoadResult) => (isBroken(r) ? { error: `${r.failed} failed (${r.failureDetail})` } : {});
  // Fewer listed than registered is a bug, unless registering took so long that expiry began.
  const missing = found < spec.instances && !isBroken(register) && register.seconds < EXPIRY_MARGIN_S
    ? { error: `only ${found} of ${spec.instances} instances listed after registering` }
    : {};
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const cores = (r: LoadResult) => `server ${r.serverCores?.toFixed(2) ?? 'n/a'} cores`;
  return [
    { figure: `register ${spec.instances.toLocaleString('en-US')} instances`, value: register.seconds, unit: 's',
      note: `${n(register.rate)} req/s over ${spec.services} services, ${spec.registerConnections} conns, ` +
        `${cores(register)}; ${n(found)} listed right after`,
      ...failure(register), ...missing },
    { figure: `publish ${spec.configs.toLocaleString('en-US')} configs`, value: publish.seconds, unit: 's',
      note: `${n(publish.rate)} req/s, ${spec.publishConnections} conns, ${cores(publish)}`, ...failure(publish) },
    { figure: 'RSS with those instances + configs', value: memory.rss, unit: 'MiB',
      note: `was ${before?.toFixed(1)} MiB empty; V8 heap used ${memory.heapMin?.toFixed(0) ?? 'n/a'}–` +
        `${memory.heapMax?.toFixed(0) ?? 'n/a'} MiB over ${MEMORY_SAMPLES * MEMORY_SAMPLE_MS / 1000} s ` +
        '(garbage included: the low end bounds live data from above)' },
  ];
}

/** Memory is sampled a few times after the fill: the heap saw-tooths as garbage comes and goes. */
const MEMORY_SAMPLES = 8;
const MEMORY_SAMPLE_MS = 250;

/**
 * RSS at the end of the sampling, and the range of V8 heap used. The bench cannot force a GC in the
 * server, so the lowest heap figure seen is the closest (upper) bound on live data it can give.
 */
async function sampleMemory(server: BenchServer): Promise<{ rss?: number; heapMin?: number; heapMax?: number }> {
  const heaps: number[] = [];
  for (let i = 0; i < MEMORY_SAMPLES; i++) {
    await sleep(MEMORY_SAMPLE_MS);
    const heap = await heapUsedMiB(server);
    if (heap !== undefined) heaps.push(heap);
  }
  return {
    rss: rssMiB(server),
    ...(heaps.length ? { heapMin: Math.min(...heaps), heapMax: Math.max(...heaps) } : {}),
  };
}

async function countAll(base: string, services: number): Promise<number> {
  let total = 0;
  await forEachLimited(services, 16, async (i) => {
    const n = await countInstances(base, `bench.scale.${i}`); // not `total += await …`: that loses updates
    total += n;
  });
  return total;
}

/** Stop the filled server and time start-up on its data dir (snapshot + log replay of the configs). */
export async function restartRow(server: BenchServer, configs: number): Promise<{ row: Row; server: BenchServer }> {
  await stopServer(server);
  const t0 = performance.now();
  const restarted = await startServer(server.dataDir);
  const ms = performance.now() - t0;
  const last = await getConfig(restarted.nacos, `bench.scale.${configs - 1}`);
  const error = last.status === 200 && last.body === CONTENT ? undefined
    : `config bench.scale.${configs - 1} after restart: HTTP ${last.status} ${JSON.stringify(last.body.slice(0, 80))}`;
  return {
    server: restarted,
    row: { figure: `restart with ${configs.toLocaleString('en-US')} configs`, value: ms, unit: 'ms',
      note: `spawn → ready on the filled data dir; RSS after ${rssMiB(restarted)?.toFixed(1)} MiB`,
      ...(error ? { error } : {}) },
  };
}

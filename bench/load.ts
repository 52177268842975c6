import autocannon, { type Options, type RequestData } from 'autocannon';
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from './server.js';

/** How hard the load generator pushes; printed with the results so figures can be compared. */
export interface LoadSettings {
  /** Seconds per timed phase. */
  duration: number;
  /** Seconds of untimed load before each timed phase. */
  warmup: number;
}

export interface LoadResult {
  /** Completed requests per second over the wall-clock run. */
  rate: number;
  completed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests that did not get the expected answer: non-2xx, body mismatches, socket errors, timeouts. */
  failed: number;
  failureDetail: string;
  /** CPU used during the timed run, in cores (1.0 = one core busy throughout): the load generator
   *  (this process) and the server (when its pid was given). Shows which side was the bottleneck. */
  clientCores: number;
  serverCores?: number;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Run for this many seconds … */
  duration?: number;
  /** … or until this many requests completed. */
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  expectBody?: string;
  /** Called for every request with a running sequence number, to vary path or body. The client
   *  then builds every request anew, which halves what one client core can send. */
  vary?: (seq: number, req: RequestData) => RequestData;
  /** Fixed paths each connection cycles through: built once, so the client stays cheap. */
  paths?: string[];
  /** autocannon worker threads; default 0 = run in the bench process, leaving the other core(s)
   *  to the server — on 2 cores, extra client threads only take CPU away from the server. */
  workers?: number;
  /** Seconds of untimed load first (duration runs only). */
  warmup?: number;
  /** The server's pid, to report its CPU use. */
  serverPid?: number;
}

function autocannonOptions(spec: LoadSpec, nextSeq: () => number): Options {
  const vary = spec.vary;
  if (vary && spec.paths) throw new Error('a load either varies each request or cycles fixed paths');
  if (vary && (spec.workers ?? 0) > 0) {
    // Functions cannot cross into worker threads (autocannon wants file paths there).
    throw new Error('phases that vary each request run without autocannon workers');
  }
  return {
    url: spec.url,
    connections: spec.connections,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    // autocannon refuses expectBody together with `requests`; verifyBody does the same check.
    ...(spec.expectBody !== undefined ? { verifyBody: (body: string) => body === spec.expectBody } : {}),
    // Nacos clients never pipeline; one request in flight per connection, as they do.
    pipelining: 1,
    timeout: 10,
    sampleInt: 100,
    ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration ?? 5 }),
    ...((spec.workers ?? 0) > 0 ? { workers: spec.workers } : {}),
    requests: vary ? [{ setupRequest: (req) => vary(nextSeq(), req) }] : spec.paths?.map((path) => ({ path })),
  };
}

/**
 * Run one autocannon phase against loopback and boil its result down to what the table shows.
 * With `warmup`, the same load runs that many seconds first, untimed, so V8 has compiled the hot
 * paths (a cold Node server is several times slower for its first second). The sequence numbers
 * continue across warm-up and timed run, so "distinct per request" stays true.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let seq = 0;
  const nextSeq = () => seq++;
  if (spec.warmup) {
    await autocannon(autocannonOptions({ ...spec, amount: undefined, duration: spec.warmup }, nextSeq));
  }
  // autocannon notices the end of an `amount` run only at its next sampling tick, so its own
  // start/finish overstate short runs; time from our start to the last answer instead.
  const startedAt = performance.now();
  const clientCpu0 = process.cpuUsage();
  const serverCpu0 = cpuSeconds(spec.serverPid);
  let lastAnswerAt = startedAt;
  const tracker = autocannon(autocannonOptions(spec, nextSeq));
  tracker.on('response', () => { lastAnswerAt = performance.now(); });
  const result = await tracker;
  const clientCpu = process.cpuUsage(clientCpu0);
  const serverCpu1 = cpuSeconds(spec.serverPid);
  const seconds = (lastAnswerAt - startedAt) / 1000;
  const completed = result.requests.total;
  // A non-2xx answer usually also has the wrong body: count such a request once.
  const failed = Math.max(result.non2xx, result.mismatches) + result.errors;
  const codes = Object.entries(result.statusCodeStats).map(([code, s]) => `${code}×${s.count}`).join(' ');
  const counts = { 'wrong body': result.mismatches, errors: result.errors, timeouts: result.timeouts };
  const detail = Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  return {
    rate: seconds > 0 ? completed / seconds : 0,
    completed,
    seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed,
    failureDetail: [`HTTP ${codes || 'none'}`, ...detail].join(', '),
    clientCores: seconds > 0 ? (clientCpu.user + clientCpu.system) / 1e6 / seconds : 0,
    ...(serverCpu0 !== undefined && serverCpu1 !== undefined && seconds > 0
      ? { serverCores: (serverCpu1 - serverCpu0) / seconds } : {}),
  };
}

/** A phase is broken (rather than slow) when more than 0.1 % of its requests failed. */
export function isBroken(r: LoadResult): boolean {
  return r.completed === 0 || r.failed > r.completed * 0.001;
}

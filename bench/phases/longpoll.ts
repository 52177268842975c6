import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FORM, forEachLimited, GROUP, md5, publishConfig } from '../nacos-api.js';
import type { Row } from '../report.js';

/** Publishes in flight at once while measuring; low, so the figure is push latency, not a queue. */
const PUBLISH_CONCURRENCY = 8;
/** Time for the server to park every listener before changes start (it answers nothing until then). */
const PARK_MS = 1_000;
/** Nacos clients hold a long poll for 30 s (Long-Pulling-Timeout). */
const HOLD_MS = 30_000;

interface Listener {
  dataId: string;
  publishedAt?: number;
  answeredAt?: number;
  body?: string;
  status?: number;
  error?: string;
}

/**
 * N clients long-poll POST /nacos/v1/cs/configs/listener on distinct dataIds; then each dataId is
 * changed and we time publish-start → the listener's answer (Nacos answers with the changed key).
 */
export async function longPollLatency(base: string, listeners: number): Promise<Row[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const dataIds = Array.from({ length: listeners }, (_, i) => `bench.lp.${i}`);
  try {
    await forEachLimited(listeners, 16, (i) => publishConfig(base, dataIds[i]!, 'v0'));
    // The first round warms up the server's listener and push paths (JIT); the second is timed.
    await round(base, agent, dataIds, 'v0', 'v1');
    const { items, early } = await round(base, agent, dataIds, 'v1', 'v2');
    return summarise(items, early);
  } finally {
    agent.destroy();
  }
}

/** Park a listener on every dataId (holding content `from`), then change each to `to`. */
async function round(base: string, agent: Agent, dataIds: string[], from: string, to: string): Promise<{ items: Listener[]; early: number }> {
  const items: Listener[] = dataIds.map((dataId) => ({ dataId }));
  const answers = items.map((item) => listen(base, agent, item, md5(from)));
  await sleep(PARK_MS);
  const early = items.filter((item) => item.answeredAt !== undefined).length;
  await forEachLimited(items.length, PUBLISH_CONCURRENCY, async (i) => {
    const item = items[i]!;
    item.publishedAt = performance.now();
    await publishConfig(base, item.dataId, to);
  });
  await Promise.all(answers);
  return { items, early };
}

function listen(base: string, agent: Agent, item: Listener, contentMd5: string): Promise<void> {
  const body = new URLSearchParams({ 'Listening-Configs': `${item.dataId}\x02${GROUP}\x02${contentMd5}\x01` }).toString();
  return new Promise((resolve) => {
    const req = request(`${base}/nacos/v1/cs/configs/listener`, {
      method: 'POST', agent, timeout: HOLD_MS + 5_000,
      headers: { ...FORM, 'Long-Pulling-Timeout': String(HOLD_MS), 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => {
        item.answeredAt = performance.now();
        item.status = res.statusCode;
        item.body = text;
        resolve();
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within the hold time')));
    req.on('error', (err) => { item.error = err.message; resolve(); });
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarise(items: Listener[], early: number): Row[] {
  // Nacos answers a changed key as URL-encoded "dataId%02group%02" (+ tenant) lines.
  const good = items.filter((i) => !i.error && i.status === 200 && i.publishedAt !== undefined &&
    i.answeredAt !== undefined && i.answeredAt >= i.publishedAt && decodeURIComponent(i.body ?? '').startsWith(`${i.dataId}\x02`));
  const latencies = good.map((i) => i.answeredAt! - i.publishedAt!).sort((a, b) => a - b);
  const bad = items.length - good.length;
  const firstBad = items.find((i) => !good.includes(i));
  const error = bad > 0
    ? `${bad} of ${items.length} listeners wrong (${early} answered before any change); e.g. ${firstBad?.dataId}: ` +
      `${firstBad?.error ?? `HTTP ${firstBad?.status} ${JSON.stringify((firstBad?.body ?? '').slice(0, 80))}`}`
    : undefined;
  const note = `${items.length} listeners, ${PUBLISH_CONCURRENCY} publishes in flight; publish start → listener answer`;
  return [
    { figure: 'long-poll push latency p50', value: percentile(latencies, 50), unit: 'ms', note, ...(error ? { error } : {}) },
    { figure: 'long-poll push latency p99', value: percentile(latencies, 99), unit: 'ms', target: { op: '<', value: 50 },
      note: `max ${percentile(latencies, 100).toFixed(1)} ms`, ...(error ? { error } : {}) },
  ];
}

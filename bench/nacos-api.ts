import { createHash } from 'node:crypto';

/** Small Nacos v1 calls the phases need for setup and checks (the load itself goes through autocannon). */

export const GROUP = 'DEFAULT_GROUP';
/** 128 bytes: a small properties file, the common case for Nacos configs. */
export const CONTENT = 'bench.key=value\n'.repeat(8);
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Nacos config md5: hex MD5 of the UTF-8 content (what clients send back in Listening-Configs). */
export function md5(content: string): string {
  return createHash('md5').update(content, 'utf8').digest('hex');
}

/** A distinct IPv4 address for every sequence number below 2^24 (10.x.y.z). */
export function ipOf(seq: number): string {
  return `10.${(seq >>> 16) & 255}.${(seq >>> 8) & 255}.${seq & 255}`;
}

export function registerPath(serviceName: string, ip: string, port: number): string {
  return `/nacos/v1/ns/instance?serviceName=${encodeURIComponent(serviceName)}&ip=${ip}&port=${port}`;
}

export function publishBody(dataId: string, content: string): string {
  return new URLSearchParams({ dataId, group: GROUP, content }).toString();
}

async function expectOk(res: Response, what: string, expected: string): Promise<void> {
  const body = await res.text();
  if (res.status !== 200 || body !== expected) {
    throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(body.slice(0, 80))} (expected ${JSON.stringify(expected)})`);
  }
}

/** An ephemeral instance (the Nacos default) expires 30 s after registering without heartbeats;
 *  a persistent one (ephemeral=false) stays until deregistered. */
export async function registerInstance(base: string, serviceName: string, ip: string, port: number, ephemeral = true): Promise<void> {
  const path = registerPath(serviceName, ip, port) + (ephemeral ? '' : '&ephemeral=false');
  await expectOk(await fetch(base + path, { method: 'POST' }), `register ${serviceName} ${ip}:${port}`, 'ok');
}

export async function publishConfig(base: string, dataId: string, content: string): Promise<void> {
  const res = await fetch(`${base}/nacos/v1/cs/configs`, { method: 'POST', headers: FORM, body: publishBody(dataId, content) });
  await expectOk(res, `publish ${dataId}`, 'true');
}

export async function getConfig(base: string, dataId: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}/nacos/v1/cs/configs?dataId=${encodeURIComponent(dataId)}&group=${GROUP}`);
  return { status: res.status, body: await res.text() };
}

/** Number of instances (healthy or not) Nacos lists for a service; 0 when the service is unknown. */
export async function countInstances(base: string, serviceName: string): Promise<number> {
  const res = await fetch(`${base}/nacos/v1/ns/instance/list?serviceName=${encodeURIComponent(serviceName)}`);
  const body = await res.text();
  if (res.status !== 200) return 0;
  const hosts = (JSON.parse(body) as { hosts?: unknown[] }).hosts;
  return Array.isArray(hosts) ? hosts.length : 0;
}

/** Run `task` over 0..count-1 with at most `concurrency` in flight. */
export async function forEachLimited(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => { while (next < count) await task(next++); };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

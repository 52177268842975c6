import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { NacosGrpcTestClient } from '../test/helpers/nacos-grpc-client.js';
import { freshDataDir, removeDataDir, rssMiB, startServer, stopServer } from './server.js';

const USAGE = `usage: npm run bench:nacos-grpc -- [--duration <s>] [--clients <n>] [--pushes <n>] [--connections <n>]

Starts Junction as a child process and measures its Nacos gRPC port with clients built from
Nacos's proto (test/helpers/nacos-grpc-client.ts): InstanceRequest registers per second and
ServiceQueryRequest queries per second (--clients concurrent connections, one request in flight
each), push latency (register on one connection → NotifySubscriberRequest on another; p50/p99),
and --connections held connections with the server's RSS per connection. No real Nacos runs
here, so there is no reference ratio.
`;

const instance = (ip: string, port: number) => ({ ip, port, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {} });
const naming = (serviceName: string, extra: object) => ({ namespace: 'public', serviceName, groupName: 'DEFAULT_GROUP', ...extra });

async function rate(clients: NacosGrpcTestClient[], seconds: number, send: (c: NacosGrpcTestClient, i: number, n: number) => Promise<unknown>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(clients.map(async (c, i) => {
    for (let n = 0; performance.now() < end; n++) { await send(c, i, n); done++; }
  }));
  return done / seconds;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function pushLatency(port: number, count: number): Promise<{ p50: number; p99: number }> {
  const sub = await NacosGrpcTestClient.connect(port);
  const pub = await NacosGrpcTestClient.connect(port);
  await sub.request('SubscribeServiceRequest', naming('latency', { subscribe: true, clusters: '' }));
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const from = sub.pushes.length;
    const ip = `10.200.${i >> 8}.${i & 255}`;
    const t0 = performance.now();
    await pub.request('InstanceRequest', naming('latency', { type: 'registerInstance', instance: instance(ip, 1) }));
    await sub.waitForPush('NotifySubscriberRequest', (b) => (b.serviceInfo.hosts as Array<{ ip: string }>).some((h) => h.ip === ip), 5000, from);
    samples.push(performance.now() - t0);
  }
  sub.close();
  pub.close();
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function heldConnections(server: Parameters<typeof rssMiB>[0], port: number, n: number): Promise<{ held: number; perConnKiB: number }> {
  const before = rssMiB(server) ?? 0;
  const held: NacosGrpcTestClient[] = [];
  const batch = 200;
  for (let i = 0; i < n; i += batch) {
    held.push(...await Promise.all(Array.from({ length: Math.min(batch, n - i) }, () => NacosGrpcTestClient.connect(port))));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const after = rssMiB(server) ?? 0;
  for (const c of held) c.close();
  return { held: held.length, perConnKiB: ((after - before) * 1024) / n };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    duration: { type: 'string', default: '3' }, clients: { type: 'string', default: '16' },
    pushes: { type: 'string', default: '500' }, connections: { type: 'string', default: '10000' }, help: { type: 'boolean' },
  } });
  if (values.help) { process.stdout.write(USAGE); return; }
  const seconds = Number(values.duration);
  const dataDir = freshDataDir();
  const server = await startServer(dataDir, ['--nacos-grpc-port', '0', '--enable', 'nacos']);
  try {
    const port = server.ports.nacosGrpc!;
    const clients = await Promise.all(Array.from({ length: Number(values.clients) }, () => NacosGrpcTestClient.connect(port)));
    const registers = await rate(clients, seconds, (c, i, n) =>
      c.request('InstanceRequest', naming(`bench-${i % 8}`, { type: 'registerInstance', instance: instance(`10.${i}.${(n >> 8) & 255}.${n & 255}`, 8080) })));
    const queries = await rate(clients, seconds, (c, i) => c.request('ServiceQueryRequest', naming(`bench-${i % 8}`, { cluster: '', healthyOnly: false })));
    for (const c of clients) c.close();
    const latency = await pushLatency(port, Number(values.pushes));
    const conns = await heldConnections(server, port, Number(values.connections));
    console.log(`nacos gRPC, ${values.clients} connections, ${seconds} s per phase`);
    console.log(`  InstanceRequest register   ${registers.toFixed(0)} /s`);
    console.log(`  ServiceQueryRequest        ${queries.toFixed(0)} /s`);
    console.log(`  push latency (${values.pushes} registers → NotifySubscriberRequest)  p50 ${latency.p50.toFixed(2)} ms  p99 ${latency.p99.toFixed(2)} ms`);
    console.log(`  ${conns.held} connections held: server RSS +${conns.perConnKiB.toFixed(1)} KiB per connection`);
  } finally {
    await stopServer(server);
    removeDataDir(dataDir);
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });

import { parse, UsageError, type Args } from '../args.js';
import { NacosClient } from '../http.js';
import { cell, note, printJson, printLine, printTable } from '../output.js';

export const SERVICE_USAGE = `usage: junction nacos service list [options]

options:
  --group G            group (default DEFAULT_GROUP)
  --namespace N        namespace id (default: public)
  --page N --page-size N   paging (default 1 / 100)
  --server URL  -u/--username  -p/--password  --json
`;

export const INSTANCE_USAGE = `usage: junction nacos instance <list|register|deregister> <serviceName> [options]

  list <serviceName>                 instances of a service
  register <serviceName> --ip IP --port PORT [--weight W] [--ephemeral true|false]
                         [--metadata k=v,k2=v2 | --metadata '{"k":"v"}'] [--cluster C]
  deregister <serviceName> --ip IP --port PORT [--cluster C] [--ephemeral true|false]

options:
  --group G            group (default DEFAULT_GROUP)
  --namespace N        namespace id (default: public)
  --cluster C          cluster name (default DEFAULT; list: comma-separated filter)
  --healthy-only       list: only healthy instances
  --server URL  -u/--username  -p/--password  --json

Ephemeral instances (the Nacos default) expire unless a client sends heartbeats;
register with --ephemeral false for an entry that stays until deregistered.
`;

const COMMON = { group: { type: 'string' }, namespace: { type: 'string' }, cluster: { type: 'string' } } as const;

function scope(args: Args): { groupName?: string; namespaceId?: string } {
  return { groupName: args.string('group'), namespaceId: args.string('namespace') };
}

export async function serviceCommand(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  if (verb !== 'list') {
    throw new UsageError(verb ? `unknown service command ${JSON.stringify(verb)}` : 'missing service command', SERVICE_USAGE);
  }
  const args = parse(rest, { ...COMMON, page: { type: 'string' }, 'page-size': { type: 'string' } }, SERVICE_USAGE, 0);
  const client = new NacosClient(args.connection());
  const page = await client.json<{ count: number; doms: string[] }>('GET', '/nacos/v1/ns/service/list', {
    pageNo: args.int('page', 1), pageSize: args.int('page-size', 100), ...scope(args),
  });
  if (args.json) return printJson(page);
  printTable(page.doms ?? [], [{ header: 'SERVICE', value: (name) => name }]);
  printLine(`${page.count} service(s)`);
}

export async function instanceCommand(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  const target = { ip: { type: 'string' }, port: { type: 'string' }, ephemeral: { type: 'string' } } as const;
  switch (verb) {
    case 'list': return instanceList(parse(rest, { ...COMMON, 'healthy-only': { type: 'boolean' } }, INSTANCE_USAGE, 1));
    case 'register': return instanceRegister(parse(rest, { ...COMMON, ...target, weight: { type: 'string' },
      metadata: { type: 'string' }, enabled: { type: 'string' } }, INSTANCE_USAGE, 1));
    case 'deregister': return instanceDeregister(parse(rest, { ...COMMON, ...target }, INSTANCE_USAGE, 1));
    default: throw new UsageError(verb ? `unknown instance command ${JSON.stringify(verb)}` : 'missing instance command', INSTANCE_USAGE);
  }
}

interface Host { instanceId?: string; ip: string; port: number; weight?: number; healthy?: boolean; enabled?: boolean;
  ephemeral?: boolean; clusterName?: string; metadata?: Record<string, string> }

async function instanceList(args: Args): Promise<void> {
  const serviceName = args.required(0, 'serviceName', 'service');
  const client = new NacosClient(args.connection());
  const answer = await client.json<{ hosts?: Host[] }>('GET', '/nacos/v1/ns/instance/list', {
    serviceName, ...scope(args), clusters: args.string('cluster'), healthyOnly: args.flag('healthy-only') || undefined,
  });
  if (args.json) return printJson(answer);
  const hosts = answer.hosts ?? [];
  printTable(hosts, [
    { header: 'IP', value: (h) => h.ip },
    { header: 'PORT', value: (h) => h.port },
    { header: 'WEIGHT', value: (h) => h.weight },
    { header: 'HEALTHY', value: (h) => h.healthy },
    { header: 'ENABLED', value: (h) => h.enabled },
    { header: 'EPHEMERAL', value: (h) => h.ephemeral },
    { header: 'CLUSTER', value: (h) => h.clusterName },
    { header: 'METADATA', value: (h) => Object.entries(h.metadata ?? {}).map(([k, v]) => `${k}=${cell(v)}`).join(',') },
  ]);
  printLine(`${hosts.length} instance(s) of ${serviceName}`);
}

interface Target { serviceName: string; ip: string; port: number; ephemeral?: string; clusterName?: string;
  groupName?: string; namespaceId?: string }

function target(args: Args): Target {
  const ip = args.string('ip');
  if (!ip) throw new UsageError('missing --ip', args.usage);
  const port = args.int('port', -1);
  if (port < 0 || port > 65535) throw new UsageError('missing or invalid --port', args.usage);
  const ephemeral = args.string('ephemeral');
  if (ephemeral !== undefined && !['true', 'false'].includes(ephemeral)) {
    throw new UsageError(`--ephemeral: expected true or false, got ${JSON.stringify(ephemeral)}`, args.usage);
  }
  return {
    serviceName: args.required(0, 'serviceName', 'service'), ip, port, ephemeral,
    clusterName: args.string('cluster'), ...scope(args),
  };
}

async function instanceRegister(args: Args): Promise<void> {
  const params: Target & Record<string, string | number | undefined> = { ...target(args), weight: args.string('weight'),
    enabled: args.string('enabled'), metadata: metadataJson(args) };
  const client = new NacosClient(args.connection());
  await client.request('POST', '/nacos/v1/ns/instance', params);
  if (args.json) return printJson({ ok: true, ...params });
  printLine(`registered ${params.ip}:${params.port} in ${params.serviceName}`);
  if (params.ephemeral !== 'false') note('note: ephemeral instance — it expires without heartbeats (use --ephemeral false to keep it)');
}

async function instanceDeregister(args: Args): Promise<void> {
  const params = target(args);
  const client = new NacosClient(args.connection());
  await client.request('DELETE', '/nacos/v1/ns/instance', { ...params });
  if (args.json) return printJson({ ok: true, ...params });
  printLine(`deregistered ${params.ip}:${params.port} from ${params.serviceName}`);
}

/** Nacos's v1 API takes metadata as a JSON object string; accept k=v,k2=v2 for convenience. */
function metadataJson(args: Args): string | undefined {
  const raw = args.string('metadata');
  if (raw === undefined) return undefined;
  if (raw.trim().startsWith('{')) {
    try { JSON.parse(raw); } catch { throw new UsageError(`--metadata: not valid JSON: ${raw}`, args.usage); }
    return raw;
  }
  const out: Record<string, string> = {};
  for (const pair of raw.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--metadata: expected k=v pairs, got ${JSON.stringify(pair)}`, args.usage);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return JSON.stringify(out);
}

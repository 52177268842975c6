import { parse } from '../args.js';
import { fetchAnswer, parseJson, RemoteError } from '../http.js';
import { cell, formatDuration, printFields, printJson } from '../output.js';

export const STATUS_USAGE = `usage: junction status [options]

Show the running server's version, uptime, ports, and every personality: its store counts, or
that it is not enabled
(from the admin API, GET /api/status).

options:
  --admin URL        admin address (env JUNCTION_ADMIN, default http://127.0.0.1:9464)
  -u, --username U / -p, --password P   admin credentials when auth is on
                     (env JUNCTION_USERNAME / JUNCTION_PASSWORD)
  --json             JSON output
`;

interface Status {
  version: string; uptimeMs: number; ports: Record<string, number>; enabled: string[]; auth: boolean; fsync: string;
  dataDir: string; personalities: { name: string; title: string; running: boolean; counts?: Record<string, number> }[];
  [k: string]: unknown;
}

export async function statusCommand(argv: string[]): Promise<void> {
  const args = parse(argv, {}, STATUS_USAGE, 0);
  const conn = args.connection();
  const headers: Record<string, string> = {};
  // The admin API takes HTTP Basic credentials (it is not the Nacos API, so no token dance).
  if (conn.username !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${conn.username}:${conn.password ?? ''}`).toString('base64')}`;
  }
  const answer = await fetchAnswer(`${conn.admin}/api/status`, { headers }, {}, 'GET /api/status');
  const status = parseJson(answer.text) as Status | undefined;
  if (!status) throw new RemoteError(`GET /api/status: expected JSON from ${conn.admin}`);
  if (args.json) return printJson(status);
  const fields: [string, unknown][] = [
    ['version', status.version],
    ['uptime', formatDuration(status.uptimeMs)],
    ['enabled', status.enabled.join(', ')],
    ['ports', Object.entries(status.ports).map(([k, v]) => `${k}=${v}`).join(' ')],
    ['auth', status.auth ? 'on' : 'off'],
    ['fsync', status.fsync],
    ['data dir', status.dataDir],
  ];
  for (const p of status.personalities) {
    const counts = Object.entries(p.counts ?? {}).map(([k, v]) => `${k}=${cell(v)}`).join(' ');
    fields.push([p.name, p.running ? `${p.title}  ${counts}` : `${p.title}  (not enabled)`]);
  }
  printFields(fields);
}

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '../helpers/junction.js';

/** The `junction` bin: the bundle in dist/bin/ that package.json names and `npm start` runs. */
export const CLI = fileURLToPath(new URL('../../bin/junction.cjs', import.meta.url));

export interface CliResult { code: number; stdout: string; stderr: string }

export interface CliOptions {
  /** Extra environment (JUNCTION_* of the test process are dropped so they cannot leak in). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
}

/** Run `junction …` as a child process (execFile) and collect its exit code and output. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('JUNCTION_')) env[k] = v;
  Object.assign(env, opts.env);
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [CLI, ...args], { env, timeout: opts.timeoutMs ?? 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      if (err && err.killed) return reject(new Error(`junction ${args.join(' ')} timed out\n${stderr}`));
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(opts.input ?? '');
  });
}

/** Environment pointing the CLI at a test server. */
export function serverEnv(server: TestServer, extra: Record<string, string> = {}): Record<string, string> {
  return { JUNCTION_SERVER: server.nacos, JUNCTION_ADMIN: server.admin, ...extra };
}

/** A local port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

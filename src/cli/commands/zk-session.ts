/**
 * How `junction zk` reaches a server: the --server/JUNCTION_ZK address, one ZooKeeper session per
 * command (with `addauth digest` first when --auth is given), and raw four-letter words.
 */
import { createConnection } from 'node:net';
import { JunctionError } from '../../core/errors.js';
import { ZkError } from '../../zk/codec/errors.js';
import { ZkClient } from '../../zk/client/zk-client.js';
import { UsageError, type Args } from '../args.js';

/** zkCli's default -timeout (ZooKeeperMain: 30000 ms). */
const SESSION_TIMEOUT_MS = 30_000;

export interface ZkAddress { host: string; port: number }

/** `host:port`, `host` (port 2181) or `[v6]:port`; connect strings with chroots or several hosts are not taken. */
export function zkAddress(args: Args, env: NodeJS.ProcessEnv = process.env): ZkAddress {
  const text = args.string('server') ?? nonEmpty(env.JUNCTION_ZK) ?? '127.0.0.1:2181';
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/,\s[\]]+)(?::(\d{1,5}))?$/.exec(text);
  const port = m ? Number(m[2] ?? 2181) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new UsageError(`--server: expected host:port, got ${JSON.stringify(text)}`, args.usage);
  }
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

function nonEmpty(v: string | undefined): string | undefined { return v === undefined || v === '' ? undefined : v; }

/** --timeout: how long connecting (TCP + ConnectResponse, or a 4lw answer) may take. */
export function connectTimeout(args: Args): number {
  const ms = args.int('timeout', 10_000);
  if (ms <= 0) throw new UsageError('--timeout: expected a positive number of milliseconds', args.usage);
  return ms;
}

/** The --auth user:password pair for `addauth digest`, checked before connecting. */
export function digestAuth(args: Args): string | undefined {
  const auth = args.string('auth');
  if (auth !== undefined && !auth.includes(':')) throw new UsageError('--auth: expected user:password', args.usage);
  return auth;
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return typeof cause === 'string' ? cause : 'connection failed';
}

/** Open a session; an unreachable server is a plain failure (exit 1) naming the address. */
export async function openSession(addr: ZkAddress, timeoutMs: number, auth: string | undefined): Promise<ZkClient> {
  let zk: ZkClient;
  try {
    zk = await ZkClient.connect({ host: addr.host, port: addr.port, timeoutMs: SESSION_TIMEOUT_MS, connectTimeoutMs: timeoutMs });
  } catch (err) {
    const cause = err instanceof ZkError ? (err.cause ?? err.message) : err;
    throw new JunctionError('ZK_CONNECT', `cannot connect to ZooKeeper at ${addr.host}:${addr.port}: ${describe(cause)}`);
  }
  if (auth !== undefined) {
    try {
      // zkCli `addauth digest user:password`: DigestAuthenticationProvider never rejects a digest.
      await zk.addAuth('digest', auth);
    } catch (err) {
      zk.destroy();
      throw err;
    }
  }
  return zk;
}

/** Send a four-letter word and collect the answer until the server closes the connection. */
export function fourLetterWord(addr: ZkAddress, word: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const fail = (cause: unknown) =>
      reject(new JunctionError('ZK_CONNECT', `cannot send ${word} to ${addr.host}:${addr.port}: ${describe(cause)}`));
    const sock = createConnection({ host: addr.host, port: addr.port }, () => sock.end(word));
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', fail);
    sock.on('close', (hadError) => { if (!hadError) resolve(Buffer.concat(chunks).toString('utf8')); });
  });
}

import { JunctionError } from '../core/errors.js';
import type { Connection } from './args.js';

/** The server answered with an error, or could not be reached: exit code 1, one line. */
export class RemoteError extends JunctionError {
  constructor(message: string, readonly status?: number) { super('REMOTE', message); }
}

export type Params = Record<string, string | number | boolean | undefined>;

export interface Answer { status: number; headers: Headers; text: string }

export interface RequestOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Statuses the caller handles itself instead of failing (e.g. 404 for "no such config"). */
  accept?: number[];
  /** The answer is a Nacos RestResult ({code, message, data}): a code >= 400 in it is a failure. */
  restResult?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A client of the Nacos open API. With credentials it logs in once
 * (POST /nacos/v1/auth/login) and sends the `accessToken` with every request, as Nacos clients do.
 */
export class NacosClient {
  private accessToken: string | undefined;

  constructor(private readonly conn: Connection) {}

  get base(): string { return this.conn.server; }

  async login(): Promise<void> {
    const { username, password } = this.conn;
    if (username === undefined) return;
    if (password === undefined) throw new RemoteError(`--username ${username} given without --password (or JUNCTION_PASSWORD)`);
    const answer = await this.send('POST', '/nacos/v1/auth/login', { username, password }, {});
    const body = parseJson(answer.text) as { accessToken?: string } | undefined;
    if (!body?.accessToken) throw new RemoteError(`login as ${username} failed: ${oneLine(answer.text)}`);
    this.accessToken = body.accessToken;
  }

  /** Send a request; GET/DELETE carry params in the query, POST/PUT as a form body (Nacos reads both). */
  async request(method: string, path: string, params: Params = {}, opts: RequestOptions = {}): Promise<Answer> {
    if (this.accessToken === undefined && this.conn.username !== undefined) await this.login();
    return this.send(method, path, { ...params, accessToken: this.accessToken }, opts);
  }

  /** A request whose answer is JSON. */
  async json<T>(method: string, path: string, params: Params = {}, opts: RequestOptions = {}): Promise<T> {
    const answer = await this.request(method, path, params, opts);
    const body = parseJson(answer.text);
    if (body === undefined) throw new RemoteError(`${method} ${path}: expected JSON, got ${JSON.stringify(oneLine(answer.text))}`);
    return body as T;
  }

  private async send(method: string, path: string, params: Params, opts: RequestOptions): Promise<Answer> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
    const inBody = method === 'POST' || method === 'PUT';
    const url = `${this.conn.server}${path}${!inBody && [...query].length ? `?${query}` : ''}`;
    const init: RequestInit = {
      method,
      headers: { ...(inBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...opts.headers },
      body: inBody ? query.toString() : undefined,
    };
    return fetchAnswer(url, init, opts, `${method} ${path}`);
  }
}

/** fetch with a timeout, turning network failures and error statuses into RemoteErrors. */
export async function fetchAnswer(url: string, init: RequestInit, opts: RequestOptions, what: string): Promise<Answer> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal });
    text = await res.text();
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = timeout.aborted ? 'timed out' : cause?.code ?? cause?.message ?? (err as Error).message;
    throw new RemoteError(`cannot reach ${new URL(url).origin} (${what}): ${reason}`);
  }
  if (!(res.ok || opts.accept?.includes(res.status))) {
    throw new RemoteError(`${what} failed: HTTP ${res.status}: ${oneLine(text) || res.statusText}`, res.status);
  }
  // Nacos's auth APIs answer RestResult and some failures come as {code: 4xx, message} with HTTP 200.
  // Only for those: a config's own content may well be JSON with a "code" field.
  const body = opts.restResult ? parseJson(text) as { code?: unknown; message?: unknown } | undefined : undefined;
  if (res.ok && body && typeof body.code === 'number' && body.code >= 400) {
    throw new RemoteError(`${what} failed: ${body.code}: ${oneLine(String(body.message ?? text))}`, body.code);
  }
  return { status: res.status, headers: res.headers, text };
}

export function parseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}

/** A server answer shortened to one line for an error message. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

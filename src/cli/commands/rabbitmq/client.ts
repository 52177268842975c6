import { fetchAnswer, parseJson, RemoteError } from '../../http.js';

/**
 * A client of the management HTTP API (/api/*), as `rabbitmqadmin` is: HTTP Basic with the
 * given credentials (none with --auth off), JSON in and out. Statuses the verbs handle
 * themselves (404 for "does not exist") come back instead of failing.
 */
export class MgmtClient {
  constructor(private readonly base: string, private readonly username?: string, private readonly password?: string) {}

  async request(method: string, path: string, body?: unknown, accept: number[] = [404]): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = {};
    if (this.username !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${this.username}:${this.password ?? ''}`).toString('base64')}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await fetchAnswer(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      { accept: [...accept, 400, 401] }, `${method} ${path}`);
    const json = answer.text === '' ? undefined : parseJson(answer.text);
    if (answer.status === 401) {
      const reason = (json as { reason?: string } | undefined)?.reason ?? 'not authorised';
      throw new RemoteError(`management API refused the credentials: ${reason}`, 401);
    }
    if (answer.status === 400 && !accept.includes(400)) {
      throw new RemoteError((json as { reason?: string } | undefined)?.reason ?? answer.text, 400);
    }
    return { status: answer.status, json };
  }

  async get<T>(path: string): Promise<T | undefined> {
    const { status, json } = await this.request('GET', path);
    return status === 404 ? undefined : json as T;
  }
}

/** A path segment: `/` is %2F, as the API wants vhosts. */
export const seg = (s: string) => encodeURIComponent(s);

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from './junction.js';

/** A form POST to the Nacos auth API (`/nacos/v1/auth<path>`), asserting 200. */
export type NacosAuthPost = (path: string, form: Record<string, string>) => Promise<Response>;

/**
 * Log in to a test server's Nacos auth API as the generated admin (the password Junction wrote to
 * data/auth/initial-admin-password) and return a poster that sends the admin's access token: how a
 * person creates users, roles and permissions for any personality (e.g. `kafka:topic:orders-*`).
 */
export async function nacosAuthAdmin(server: TestServer): Promise<NacosAuthPost> {
  const base = `${server.nacos}/nacos/v1/auth`;
  const send = async (url: string, form: Record<string, string>): Promise<Response> => {
    const res = await fetch(url, { method: 'POST', body: new URLSearchParams(form) });
    assert.equal(res.status, 200, `${url}: ${await res.clone().text()}`);
    return res;
  };
  const password = readFileSync(join(server.dataDir, 'auth', 'initial-admin-password'), 'utf8').trim();
  const { accessToken } = await (await send(`${base}/login`, { username: 'nacos', password })).json() as { accessToken: string };
  return (path, form) => send(`${base}${path}?accessToken=${accessToken}`, form);
}

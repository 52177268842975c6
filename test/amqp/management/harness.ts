import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { managementApi } from '../../../src/amqp/management/plugin.js';
import { AuthService } from '../../../src/core/auth/auth-service.js';
import { ManualClock } from '../../../src/core/clock.js';
import { createHttpApp } from '../../../src/core/http/fastify.js';
import { silentLogger } from '../../../src/core/logger.js';
import { Storage } from '../../../src/core/storage/storage.js';
import { FakeBroker } from './fake-broker.js';

export const ADMIN = 'admin';
export const ADMIN_PASSWORD = 'admin-pw';

export interface Mgmt { app: FastifyInstance; users: AuthService; broker: FakeBroker; close(): Promise<void> }

/** The management plugin on a core HTTP app, over a fresh user store and a FakeBroker. */
export async function openMgmt(authRequired: boolean): Promise<Mgmt> {
  const dir = mkdtempSync(join(tmpdir(), 'junction-amqp-mgmt-'));
  const users = await AuthService.open({
    storage: new Storage({ dataDir: dir, fsync: 'batch', logger: silentLogger() }), authRequired, tokenTtlSeconds: 60,
    adminInit: 'generate', adminUser: ADMIN, logger: silentLogger(), clock: new ManualClock(), env: { JUNCTION_ADMIN_PASSWORD: ADMIN_PASSWORD },
  });
  const broker = new FakeBroker();
  const app = createHttpApp({ requestTimeoutMs: 10_000, maxConnectionsPerIp: 0 }, silentLogger());
  await app.register(managementApi, { broker, users, authRequired, nodeName: 'junction@localhost', startedAt: Date.now(), logger: silentLogger() });
  await app.ready();
  return {
    app, users, broker,
    async close() { await app.close(); await users.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const asAdmin = { authorization: basic(ADMIN, ADMIN_PASSWORD) };

import type { FastifyInstance } from 'fastify';
import type { ConfigService } from '../config/config-service.js';
import type { NacosContext } from '../context.js';
import { registerConfigV1Routes } from './config/configs-v1.js';
import { registerConfigV2Routes } from './config/configs-v2.js';
import { registerHistoryRoutes } from './config/history.js';
import { registerListenerRoutes } from './config/listener.js';

/** The Nacos config center: configs (v1, v2), the long-poll listener, and history. */
export function registerConfigRoutes(app: FastifyInstance, ctx: NacosContext, service: ConfigService): void {
  registerConfigV1Routes(app, ctx, service);
  registerListenerRoutes(app, ctx, service);
  registerHistoryRoutes(app, ctx, service);
  registerConfigV2Routes(app, ctx, service);
}

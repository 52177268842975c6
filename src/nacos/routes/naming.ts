import type { FastifyInstance } from 'fastify';
import type { NacosContext } from '../context.js';
import type { NamingRuntime } from '../health/naming-runtime.js';
import { registerInstanceV1Routes } from './naming/instance-v1.js';
import { registerOperatorRoutes } from './naming/operator.js';
import { registerServiceV1Routes } from './naming/service-v1.js';
import { registerNamingV2Routes } from './naming/v2.js';

/** The Nacos naming open API (v1 and v2). */
export function registerNamingRoutes(app: FastifyInstance, ctx: NacosContext, naming: NamingRuntime): void {
  registerInstanceV1Routes(app, ctx, naming);
  registerServiceV1Routes(app, ctx);
  registerNamingV2Routes(app, ctx, naming);
  registerOperatorRoutes(app, ctx, naming);
}

import type { FastifyInstance } from 'fastify';
import type { NacosContext } from '../context.js';
import { namingRuntime } from '../health/naming-runtime.js';
import { installNamingErrorHandler } from './naming/errors.js';
import { registerInstanceV1Routes } from './naming/instance-v1.js';
import { registerOperatorRoutes } from './naming/operator.js';
import { registerServiceV1Routes } from './naming/service-v1.js';
import { registerNamingV2Routes } from './naming/v2.js';

/** The Nacos naming open API (v1 and v2) as one encapsulated plugin with its own v2 error shape. */
export function registerNamingRoutes(app: FastifyInstance, ctx: NacosContext): void {
  namingRuntime(ctx);
  app.register(async (scope) => {
    installNamingErrorHandler(scope);
    registerInstanceV1Routes(scope, ctx);
    registerServiceV1Routes(scope, ctx);
    registerNamingV2Routes(scope, ctx);
    registerOperatorRoutes(scope, ctx);
  });
}

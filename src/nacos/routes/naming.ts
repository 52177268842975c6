// STUB — replace wholesale.
import type { FastifyInstance } from 'fastify';
import type { NacosContext } from '../context.js';

export function registerNamingRoutes(_app: FastifyInstance, _ctx: NacosContext): void {}

// STUB — replace wholesale.
import type { FastifyInstance } from 'fastify';
import type { NacosContext } from '../context.js';

export function registerOpsRoutes(_app: FastifyInstance, _ctx: NacosContext): void {}

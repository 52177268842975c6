import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../../core/auth/auth-service.js';
import type { Logger } from '../../core/logger.js';
import type { BrokerView } from './broker-view.js';

/** What the management routes are built over. */
export interface ManagementOptions {
  broker: BrokerView;
  /** The shared user store (users, tags, vhosts, permissions). */
  users: AuthService;
  /** --auth: credentials are checked against the store; off, any (or none) are accepted. */
  authRequired: boolean;
  /** "junction@host", RabbitMQ's node name (node fields, cluster_name's default). */
  nodeName: string;
  /** Epoch ms the node started (nodes[].uptime). */
  startedAt: number;
  logger: Logger;
}

/** The authenticated management user of a request. */
export interface MgmtUser { name: string; tags: string[]; /** auth off: sees and may do everything */ unrestricted: boolean }

declare module 'fastify' {
  interface FastifyRequest { mgmtUser?: MgmtUser }
}

export function userOf(req: FastifyRequest): MgmtUser {
  if (!req.mgmtUser) throw new Error('management route without the authentication hook');
  return req.mgmtUser;
}

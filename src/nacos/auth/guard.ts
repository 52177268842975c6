import type { FastifyRequest } from 'fastify';
import type { AuthService } from '../../core/auth/auth-service.js';
import type { AuthGuard, NacosAction, NacosResource } from '../context.js';
import { NacosAccessDenied } from './access-denied.js';
import { identify } from './identity.js';
import { grants, resourceNames } from './resource.js';

/**
 * Nacos's AuthFilter + NacosAuthPluginService for Junction routes. With auth off every check
 * passes (Nacos with nacos.core.auth.enabled=false). With auth on: identify the caller, then a
 * global admin may do anything; anyone else needs a permission of one of their roles whose
 * resource pattern matches the resource and whose action contains the requested one.
 */
export function createNacosGuard(auth: AuthService, authEnabled: boolean): AuthGuard {
  if (!authEnabled) return { enforcing: false, check: async () => {}, requireAdmin: async () => {} };
  return {
    enforcing: true,
    async check(req: FastifyRequest, resource: NacosResource, action: NacosAction): Promise<void> {
      const username = await identify(auth, req);
      if (auth.isGlobalAdmin(username)) return;
      const names = resourceNames(resource);
      if (!auth.permissionsOf(username).some((p) => grants(p, names, action))) {
        throw new NacosAccessDenied('authorization failed!');
      }
    },
    async requireAdmin(req: FastifyRequest): Promise<void> {
      // Nacos: resources under `console/` pass for global admins only.
      const username = await identify(auth, req);
      if (!auth.isGlobalAdmin(username)) throw new NacosAccessDenied('authorization failed!');
    },
  };
}

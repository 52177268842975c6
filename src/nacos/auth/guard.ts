// STUB — owned by the auth work; replace wholesale.
import type { AuthService } from '../../core/auth/auth-service.js';
import type { JunctionConfig } from '../../core/config.js';
import type { AuthGuard } from '../context.js';

export function createNacosGuard(_auth: AuthService, _config: JunctionConfig): AuthGuard {
  return { check: async () => {}, requireAdmin: async () => {} };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTH_STORE, type AuthService, type AuthServiceOptions } from './auth-service.js';
import { generatePassword } from './password.js';

/** Where a generated initial admin password is written (inside the auth store's directory). */
export const INITIAL_ADMIN_PASSWORD_FILE = 'initial-admin-password';

export interface GeneratedAdmin { username: string; passwordFile: string }

/**
 * The initial global admin (adminUser). With adminInit 'generate' and auth on, a first
 * start without any global admin creates it: the password comes from JUNCTION_ADMIN_PASSWORD,
 * or is generated and written to <auth dir>/initial-admin-password (mode 0600); the store keeps
 * only its hash. With adminInit 'api' nothing happens here: Nacos 2.4's
 * POST /nacos/v1/auth/users/admin sets it.
 */
export async function ensureInitialAdmin(auth: AuthService, opts: AuthServiceOptions): Promise<GeneratedAdmin | null> {
  const { logger } = opts;
  if (!opts.authRequired || opts.adminInit !== 'generate' || auth.hasGlobalAdmin()) return null;
  const username = opts.adminUser;

  if (auth.hasUser(username)) {
    // Created while auth was off; the config names it the admin, so grant the role, keep its password.
    await auth.promoteToAdmin(username);
    logger.warn({ username }, 'no global admin existed; granted ROLE_ADMIN to the existing user named by admin-user');
    return null;
  }

  const fromEnv = (opts.env ?? process.env).JUNCTION_ADMIN_PASSWORD;
  const password = fromEnv && fromEnv !== '' ? fromEnv : generatePassword();
  const result = await auth.initAdmin(username, password);
  if (!result.ok) return null; // another writer created the admin meanwhile
  if (fromEnv) {
    logger.info({ username }, 'created the initial admin with the password from JUNCTION_ADMIN_PASSWORD');
    return null;
  }
  // Like Jenkins' secrets/initialAdminPassword: the generated password goes to a file only its
  // owner can read, never into the log stream (logs are shipped and kept).
  const passwordFile = join(opts.storage.dirOf(AUTH_STORE), INITIAL_ADMIN_PASSWORD_FILE);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  logger.warn({ username, passwordFile }, 'created the initial admin with a generated password, written to passwordFile; ' +
    'change it with PUT /nacos/v1/auth/users, then delete the file');
  return { username, passwordFile };
}

import type { AuthService, AuthServiceOptions } from './auth-service.js';
import { generatePassword } from './password.js';

/**
 * The initial global admin (config.adminUser). With adminInit 'generate' and auth on, a first
 * start without any global admin creates it: the password comes from JUNCTION_ADMIN_PASSWORD,
 * or is generated and shown once — one warn log line plus a plain line on stderr for the
 * person at the terminal. Only its hash is stored. With adminInit 'api' nothing happens here;
 * Nacos 2.4's POST /nacos/v1/auth/users/admin sets it.
 */
export async function ensureInitialAdmin(auth: AuthService, opts: AuthServiceOptions): Promise<void> {
  const { config, logger } = opts;
  if (!config.auth || config.adminInit !== 'generate' || auth.hasGlobalAdmin()) return;
  const username = config.adminUser;

  if (auth.hasUser(username)) {
    // Created while auth was off; the config names it the admin, so grant the role, keep its password.
    await auth.promoteToAdmin(username);
    logger.warn({ username }, 'no global admin existed; granted ROLE_ADMIN to the existing user named by admin-user');
    return;
  }

  const fromEnv = (opts.env ?? process.env).JUNCTION_ADMIN_PASSWORD;
  const password = fromEnv && fromEnv !== '' ? fromEnv : generatePassword();
  const result = await auth.initAdmin(username, password);
  if (!result.ok) return; // another writer created the admin meanwhile
  if (fromEnv) {
    logger.info({ username }, 'created the initial admin with the password from JUNCTION_ADMIN_PASSWORD');
    return;
  }
  logger.warn({ username, password }, 'created the initial admin with a generated password; it is shown once — change it with PUT /nacos/v1/auth/users');
  const announce = opts.announce ?? ((text: string) => { process.stderr.write(text); });
  announce(`\nJunction: initial admin created\n  username: ${username}\n  password: ${password}\n` +
    `This password is shown only once and is not stored in plain text.\n\n`);
}

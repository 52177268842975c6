import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Load the real `nacos` npm client for a test. The client reports the machine's first
 * non-loopback address as its clientIP (package `address`, read once at load time) and the
 * server pushes UDP naming updates there. Tests send traffic to loopback only, so the address
 * lookup is pinned to 127.0.0.1 before the client loads; the client itself is unchanged.
 */
export function loadNacos(): unknown {
  (require('address') as { ip: () => string }).ip = () => '127.0.0.1';
  return require('nacos');
}

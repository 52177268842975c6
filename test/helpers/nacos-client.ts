import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Load the real `nacos` npm client for a test. The client reports the machine's first
 * non-loopback address as its clientIP (package `address`, read once at load time) and the
 * server pushes UDP naming updates there. Tests send traffic to loopback only, so the address
 * lookup is pinned to 127.0.0.1 before the client loads; the client itself is unchanged.
 *
 * Its config client is a cluster-client: every process on the machine with a client of the same
 * name (`DiamondClient@<endpoint>`, the same for every serverAddr-only client) elects a leader on
 * port NODE_CLUSTER_CLIENT_PORT (default 7777) and the others send their requests through it, to
 * the leader's server. Test files run in parallel processes, each with its own server, so each
 * process gets a port of its own.
 */
export function loadNacos(): unknown {
  (require('address') as { ip: () => string }).ip = () => '127.0.0.1';
  process.env.NODE_CLUSTER_CLIENT_PORT ??= freePort();
  return require('nacos');
}

/** A port free right now (asked of the kernel by a short child: cluster-client reads the
 *  variable when it loads, synchronously). */
function freePort(): string {
  return execFileSync(process.execPath, ['-e',
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();})"],
  { encoding: 'utf8' }).trim();
}

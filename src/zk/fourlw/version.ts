import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The ZooKeeper release whose protocol and operations surfaces Junction reproduces. */
export const ZK_COMPAT_VERSION = '3.8.0';

function junctionVersion(): string {
  try {
    // dist/src/zk/fourlw/version.js → the package root's package.json
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Version.getFullVersion's date format, "yyyy-MM-dd HH:mm UTC"; our build is when this module was compiled. */
function builtOn(): string {
  let when: Date;
  try { when = statSync(fileURLToPath(import.meta.url)).mtime; } catch { when = new Date(0); }
  return `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * What srvr/stat/mntr/envi report as the version. Tools (zkServer.sh, monitoring scripts) parse the
 * leading "3.8.0"; the "-junction-<version>" revision part says honestly what is answering.
 */
export const ZK_FULL_VERSION = `${ZK_COMPAT_VERSION}-junction-${junctionVersion()}, built on ${builtOn()}`;

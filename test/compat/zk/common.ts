// Shared helpers of the ZooKeeper compat suite: run a kazoo / raw python script (one JSON document
// on stdout), and ZooKeeper's Stat as the clients report it.
import { fileURLToPath } from 'node:url';
import { runPython } from '../../helpers/python.js';
import type { ZkTarget } from '../../helpers/zk-target.js';

/** Compiled tests live in dist/test/compat/zk/; the python scripts stay in the source tree. */
const PY_DIR = fileURLToPath(new URL('../../../../test/compat/zk/py/', import.meta.url));

/** org.apache.zookeeper.data.Stat, field names as kazoo's ZnodeStat spells them. */
export interface Stat {
  czxid: number; mzxid: number; ctime: number; mtime: number; version: number; cversion: number;
  aversion: number; /** hex, e.g. '0x100004c93480002' (64-bit) */ ephemeralOwner: string; dataLength: number; numChildren: number; pzxid: number;
}

/** Run test/compat/zk/py/<script> with the target's connect string; parse its one JSON document. */
export async function runPy<T = Record<string, unknown>>(script: string, target: ZkTarget, ...args: string[]): Promise<T> {
  const stdout = await runPython(PY_DIR + script, [target.connectString, ...args]);
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`${script} printed no JSON:\n${stdout}`);
  }
}

/** Start a script now, await it later (lets a file's scripts run side by side); the early
 *  `.catch` only stops an unhandled-rejection crash, awaiting the promise still throws. */
export function startPy<T = Record<string, unknown>>(script: string, target: ZkTarget, ...args: string[]): Promise<T> {
  const p = runPy<T>(script, target, ...args);
  p.catch(() => {});
  return p;
}

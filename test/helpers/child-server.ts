import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { settingsGroups } from '../../src/core/config.js';
import { declared } from '../../src/core/settings/group.js';
import { PERSONALITIES } from '../../src/personalities.js';

import { CLI } from '../cli/run-cli.js';

/** The `junction` bin (the bundle in dist/bin/), as `npm start` runs it. */
export { CLI };

export interface ChildServer {
  child: ChildProcess;
  ports: Record<string, number>;
  nacos: string;
  /** Every stdout/stderr line so far, for assertions and failure messages. */
  output: string[];
}

/** `--<name>-port 0` for every port setting of the registry: fresh ports for a child server. */
export const FRESH_PORT_FLAGS = settingsGroups(PERSONALITIES).flatMap(declared).filter((d) => d.spec.isPort).flatMap((d) => [`--${d.flag}`, '0']);

/** Start `junction start` as a child process on port 0 and wait for its "junction ready" line. */
/** `nodeArgs` go to node itself (a benchmark's --cpu-prof, which NODE_OPTIONS does not allow);
 *  `wrap` is a command that execs node with them (`prlimit --fsize=N --`: a disk that refuses writes);
 *  `cli`: another build's bin (a benchmark comparing with the commit before a change). */
export async function startChildServer(args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = [], wrap: string[] = [],
  cli = CLI): Promise<ChildServer> {
  const argv = [...nodeArgs, cli, 'start', ...FRESH_PORT_FLAGS, ...args];
  const [command, ...prefix] = wrap.length > 0 ? wrap : [process.execPath];
  const child = spawn(command!, wrap.length > 0 ? [...prefix, process.execPath, ...argv] : argv, {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<Record<string, number>>((resolve, reject) => {
    lines.on('line', (line) => {
      output.push(line);
      try {
        const event = JSON.parse(line) as { msg?: string; ports?: Record<string, number> };
        if (event.msg === 'junction ready' && event.ports) resolve(event.ports);
      } catch { /* not JSON: a banner line */ }
    });
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before ready:\n${output.join('\n')}`)));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    const ports = await ready;
    return { child, ports, nacos: `http://127.0.0.1:${ports.nacos}`, output };
  } finally {
    clearTimeout(timer);
  }
}

export async function killHard(server: ChildServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = once(server.child, 'exit');
  server.child.kill('SIGKILL');
  await exited;
}

// Drive Debian's zkCli.sh: many commands per JVM by piping them to its interactive mode (JLine is
// absent, so it reads stdin line by line). After each command a `stat /zkcli-mark-N` of a missing
// node prints a marker line, which splits the merged stdout+stderr back into per-command output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult, type ZkTarget } from '../../helpers/zk-target.js';

export const ZKCLI = '/usr/share/zookeeper/bin/zkCli.sh';
const MARK = /^Node does not exist: \/zkcli-mark-(\d+)$/;
const NOISE = /^(SLF4J:|Connecting to |Welcome to ZooKeeper!|JLine support is disabled|WATCHER::|\s*$)/;

export interface ZkCliSession {
  /** Output lines of each command, in order (noise, blank lines and watch events removed). */
  outputs: string[][];
  /** Every "WatchedEvent state:… type:… path:…" line, in arrival order. */
  events: string[];
  raw: string;
}

/** zkEnv.sh forces ZOO_LOG_DIR, but CLIENT_JVMFLAGS comes later on the java command line. */
function zkCliEnv(logDir: string): NodeJS.ProcessEnv {
  return { ...process.env, CLIENT_JVMFLAGS: `-Dzookeeper.log.dir=${logDir} -XX:TieredStopAtLevel=1` };
}

/** One zkCli.sh invocation with the given argv (non-interactive mode when a command is given). */
export async function zkCli(target: ZkTarget, args: string[], input?: string): Promise<RunResult> {
  const logDir = mkdtempSync(join(tmpdir(), 'junction-zkcli-'));
  try {
    return await run(ZKCLI, ['-server', target.connectString, ...args], input, { env: zkCliEnv(logDir), timeoutMs: 60_000 });
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** Run `commands` in one interactive zkCli session. */
export async function zkCliSession(target: ZkTarget, commands: string[]): Promise<ZkCliSession> {
  const input = commands.map((c, i) => `${c}\nstat /zkcli-mark-${i}\n`).join('') + 'quit\n';
  // Merge stderr into stdout at the fd level so their order is kept ("Created /x" is on stderr).
  const merged = await runMerged(target, input);
  const outputs: string[][] = commands.map(() => []);
  const events: string[] = [];
  let current: string[] = [];
  for (const line of merged.split('\n')) {
    const mark = MARK.exec(line);
    if (mark) { outputs[Number(mark[1])] = current; current = []; continue; }
    if (line.startsWith('WatchedEvent ')) { events.push(line); continue; }
    if (!NOISE.test(line)) current.push(line);
  }
  return { outputs, events, raw: merged };
}

async function runMerged(target: ZkTarget, input: string): Promise<string> {
  const logDir = mkdtempSync(join(tmpdir(), 'junction-zkcli-'));
  try {
    const r = await run('/bin/sh', ['-c', `exec "$0" -server "$1" 2>&1`, ZKCLI, target.connectString], input,
      { env: zkCliEnv(logDir), timeoutMs: 60_000 });
    // The exit code is that of the last command (a marker `stat` of a missing node → 1): check
    // instead that zkCli got to the last marker.
    const last = input.match(/zkcli-mark-\d+/g)!.pop()!;
    if (!r.stdout.includes(`Node does not exist: /${last}`)) throw new Error(`zkCli.sh stopped early (exit ${r.code}): ${r.stdout}`);
    return r.stdout;
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** zkCli's Stat block ("cZxid = 0x2" …) as a record of strings. */
export function parseStat(lines: string[]): Record<string, string> {
  const stat: Record<string, string> = {};
  for (const line of lines) {
    const m = /^(\w+) = (.*)$/.exec(line);
    if (m) stat[m[1]!] = m[2]!;
  }
  return stat;
}

/**
 * `junction zk …`: zkCli.sh-like commands over our own ZooKeeper client. Outputs, stream choices
 * and error lines follow zkCli 3.8 (org.apache.zookeeper.cli.*); exit codes follow this CLI:
 * 0 ok, 1 the server refused or could not be reached, 2 bad usage (zkCli exits 1 for all).
 */
import { JunctionError } from '../../core/errors.js';
import { NULL_BUFFER } from '../../zk/codec/jute.js';
import { Err, ZkError } from '../../zk/codec/errors.js';
import { CreateFlag } from '../../zk/codec/types.js';
import type { ZkClient } from '../../zk/client/zk-client.js';
import { parse, UsageError, type Args } from '../args.js';
import { note, printJson } from '../output.js';
import { aclJson, cliMessage, formatAcl, formatStat, invalidPath, parseAcl, statJson } from './zk-format.js';
import { connectTimeout, digestAuth, fourLetterWord, openSession, zkAddress } from './zk-session.js';
import { deleteRecursive, visitSubTree } from './zk-tree.js';

export const ZK_USAGE = `usage: junction zk <command> [options]

  ls [-s] [-R] PATH                         children, sorted; -s adds the stat, -R the subtree
  get [-s] PATH                             data (UTF-8); -s adds the stat
  set [-s] [-v VERSION] PATH DATA           -v: only if dataVersion matches
  create [-s] [-e] [-c] [-t TTL] PATH [DATA] [ACL]
                                            -s sequential, -e ephemeral, -c container, -t TTL ms
  delete [-v VERSION] PATH
  deleteall [-b BATCH] PATH                 delete a subtree (multi batches, default 1000)
  stat PATH
  getAcl [-s] PATH
  setAcl [-s] [-v VERSION] [-R] PATH ACL    ACL: world:anyone:cdrwa,digest:u:hash:r,ip:127.0.0.1:r,auth::cdrwa
  4lw WORD                                  send a four-letter word (srvr, ruok, mntr …), print the answer

options:
  --server HOST:PORT   ZooKeeper address (env JUNCTION_ZK, default 127.0.0.1:2181)
  --auth USER:PASSWORD addauth digest before the command
  --timeout MS         connect timeout (default 10000)
  --json               machine-readable output

Output and errors are zkCli.sh's: "Created /path" on stderr, "Node does not exist: /path" …
Exit codes: 0 ok, 1 server error or unreachable, 2 bad usage or malformed path.
`;

type OptionSpec = Parameters<typeof parse>[1];

/** A failure zkCli reports with one plain stderr line (no usage text). */
class ZkCliFailure extends JunctionError {
  constructor(message: string, readonly exitCode: 1 | 2) { super('ZK_CLI', message); }
}

interface Context {
  args: Args;
  /** The session, opened on first use (usage errors never connect). */
  zk(): Promise<ZkClient>;
}

interface Verb { options: OptionSpec; positionals: number; run(ctx: Context): Promise<void> }

const bool = { type: 'boolean' } as const;
const str = { type: 'string' } as const;
const STAT = { stat: { ...bool, short: 's' } };
const VERSION = { version: { ...str, short: 'v' } };

const VERBS: Record<string, Verb> = {
  ls: { options: { ...STAT, recursive: { ...bool, short: 'R' } }, positionals: 1, run: ls },
  get: { options: STAT, positionals: 1, run: get },
  set: { options: { ...STAT, ...VERSION }, positionals: 2, run: set },
  create: {
    options: { sequential: { ...bool, short: 's' }, ephemeral: { ...bool, short: 'e' }, container: { ...bool, short: 'c' },
      ttl: { ...str, short: 't' } },
    positionals: 3, run: create,
  },
  delete: { options: VERSION, positionals: 1, run: del },
  deleteall: { options: { batch: { ...str, short: 'b' } }, positionals: 1, run: deleteAll },
  stat: { options: {}, positionals: 1, run: stat },
  getAcl: { options: STAT, positionals: 1, run: getAcl },
  setAcl: { options: { ...STAT, ...VERSION, recursive: { ...bool, short: 'R' } }, positionals: 2, run: setAcl },
  '4lw': { options: {}, positionals: 1, run: fourLw },
};

const COMMON: OptionSpec = { auth: str, timeout: str };

/** Options that take a value, so `zk --server H:P ls /` finds the verb after them. */
const VALUE_OPTIONS = new Set(['--server', '--admin', '--auth', '--timeout', '-u', '--username', '-p', '--password']);

/** The verb (first argument that is not an option or an option's value) and everything else. */
function splitVerb(argv: string[]): { name?: string; rest: string[] } {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') i += VALUE_OPTIONS.has(argv[i]!) ? 2 : 1;
  if (i >= argv.length || argv[i] === '--') return { rest: argv };
  return { name: argv[i], rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
}

export async function zkCommand(argv: string[]): Promise<void> {
  const { name, rest } = splitVerb(argv);
  if (name === undefined && rest.some((a) => a === '--help' || a === '-h')) return help();
  const verb = name === undefined ? undefined : VERBS[name];
  if (verb === undefined) throw new UsageError(name ? `unknown zk command ${JSON.stringify(name)}` : 'missing zk command', ZK_USAGE);
  const args = parse(rest, { ...COMMON, ...verb.options }, ZK_USAGE, verb.positionals);
  const address = zkAddress(args);
  const timeoutMs = connectTimeout(args);
  const auth = digestAuth(args);
  let session: Promise<ZkClient> | undefined;
  const ctx: Context = { args, zk: () => (session ??= openSession(address, timeoutMs, auth)) };
  try {
    await verb.run(ctx);
  } catch (err) {
    if (err instanceof ZkCliFailure) return fail(err.message, err.exitCode);
    if (err instanceof ZkError) return fail(cliMessage(err.zkCode, err.path, err.message), 1);
    throw err;
  } finally {
    if (session) await session.then((zk) => zk.close(), () => undefined);
  }
}

function help(): void { process.stdout.write(ZK_USAGE); }

/** zkCli prints its error line alone; the process then ends with our exit code. */
function fail(message: string, exitCode: 1 | 2): void {
  note(message);
  process.exitCode = exitCode;
}

/** The path argument, checked as the Java client's PathUtils.validatePath does (MalformedPathException). */
function pathArg(args: Args, sequential = false): string {
  const path = args.required(0, 'path');
  const invalid = invalidPath(path, sequential);
  if (invalid !== undefined) throw new ZkCliFailure(invalid, 2);
  return path;
}

function print(text: string): void { process.stdout.write(text); }

async function ls({ args, zk }: Context): Promise<void> {
  const path = pathArg(args);
  const client = await zk();
  if (args.flag('recursive')) {
    // LsCommand -R: ZKUtil.visitSubTreeDFS, one path a line (-s is not applied).
    if (!args.json) return visitSubTree(client, path, (p) => print(`${p}\n`));
    const paths: string[] = [];
    await visitSubTree(client, path, (p) => paths.push(p));
    return printJson(paths);
  }
  const withStat = args.flag('stat');
  const { children, stat } = withStat ? await client.getChildren2(path) : { children: await client.getChildren(path), stat: undefined };
  children.sort(); // LsCommand.printChildren sorts; the server's order is a hash order.
  if (args.json) return printJson({ path, children, ...(stat ? { stat: statJson(stat) } : {}) });
  print(`[${children.join(', ')}]\n${stat ? formatStat(stat) : ''}`);
}

async function get({ args, zk }: Context): Promise<void> {
  const path = pathArg(args);
  const { data, stat } = await (await zk()).getData(path);
  if (args.json) return printJson({ path, data: data.toString('utf8'), dataBase64: data.toString('base64'), stat: statJson(stat) });
  // zkCli prints "null" for a znode created without data (a jute null buffer).
  print(`${data === NULL_BUFFER ? 'null' : data.toString('utf8')}\n${args.flag('stat') ? formatStat(stat) : ''}`);
}

/** -v VERSION as Integer.parseInt reads it; absent = -1 (any version). */
function versionArg(args: Args): number {
  const v = args.int('version', -1);
  if (v < -2147483648 || v > 2147483647) throw new UsageError(`--version: ${v} is out of range`, args.usage);
  return v;
}

async function set({ args, zk }: Context): Promise<void> {
  const path = pathArg(args);
  const data = args.required(1, 'data');
  const version = versionArg(args);
  const stat = await (await zk()).setData(path, Buffer.from(data, 'utf8'), version);
  if (args.json) return printJson({ path, stat: statJson(stat) });
  if (args.flag('stat')) print(formatStat(stat));
}

/** EphemeralType.TTL.maxValue(): the low 40 bits of an ephemeralOwner. */
const TTL_MAX = 0xff_ffff_ffff;

/** CreateCommand's checks and CreateMode choice, in its order. */
function createMode(args: Args): { flags: number; ttl?: number } {
  const [e, s, c] = [args.flag('ephemeral'), args.flag('sequential'), args.flag('container')];
  const ttlText = args.string('ttl');
  if (c && (e || s)) throw new ZkCliFailure('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.', 2);
  if (ttlText !== undefined && !/^[-+]?\d+$/.test(ttlText)) throw new ZkCliFailure('-t argument must be a long value', 2);
  const ttl = ttlText === undefined ? undefined : Number(ttlText);
  if (ttl !== undefined && e) throw new ZkCliFailure('TTLs cannot be used with Ephemeral znodes', 2);
  if (ttl !== undefined && c) throw new ZkCliFailure('TTLs cannot be used with Container znodes', 2);
  if (ttl !== undefined && (ttl <= 0 || ttl > TTL_MAX)) {
    throw new ZkCliFailure(`ttl must be positive and cannot be larger than: ${TTL_MAX}`, 2);
  }
  if (e) return { flags: s ? CreateFlag.EPHEMERAL_SEQUENTIAL : CreateFlag.EPHEMERAL };
  if (s) return ttl === undefined ? { flags: CreateFlag.PERSISTENT_SEQUENTIAL } : { flags: CreateFlag.PERSISTENT_SEQUENTIAL_WITH_TTL, ttl };
  if (c) return { flags: CreateFlag.CONTAINER };
  return ttl === undefined ? { flags: CreateFlag.PERSISTENT } : { flags: CreateFlag.PERSISTENT_WITH_TTL, ttl };
}

/** AclParser.parse with its warnings on stderr; an empty list fails as ZooKeeper.validateACL does. */
function aclArg(text: string): ReturnType<typeof parseAcl>['acl'] {
  const { acl, warnings } = parseAcl(text);
  for (const w of warnings) note(w);
  if (acl.length === 0) throw new ZkError(Err.INVALIDACL);
  return acl;
}

async function create({ args, zk }: Context): Promise<void> {
  const mode = createMode(args);
  const sequential = mode.flags === CreateFlag.PERSISTENT_SEQUENTIAL || mode.flags === CreateFlag.EPHEMERAL_SEQUENTIAL
    || mode.flags === CreateFlag.PERSISTENT_SEQUENTIAL_WITH_TTL;
  const path = pathArg(args, sequential);
  // zkCli sends a null buffer when DATA is absent; our client sends an empty one (see docs/cli.md).
  // zkCli sends null data when none is given (create /x), empty data for create /x "".
  const given = args.positionals[1];
  const data = given === undefined ? NULL_BUFFER : Buffer.from(given, 'utf8');
  try {
    const acl = args.positionals[2] === undefined ? undefined : aclArg(args.positionals[2]);
    const created = await (await zk()).create(path, data, { flags: mode.flags, ttl: mode.ttl, acl });
    if (args.json) return printJson({ path: created });
    note(`Created ${created}`); // CreateCommand: err.println, stderr
  } catch (err) {
    // CreateCommand prints an InvalidACLException's own message before the wrapped one.
    if (err instanceof ZkError && err.zkCode === Err.INVALIDACL) note(err.message);
    throw err;
  }
}

async function del({ args, zk }: Context): Promise<void> {
  const path = pathArg(args);
  const version = versionArg(args);
  // ZooKeeper.delete refuses "/" itself: delete(/) can never succeed.
  if (path === '/') throw new ZkError(Err.BADARGUMENTS, path);
  await (await zk()).delete(path, version);
  if (args.json) printJson({ deleted: path });
}

async function deleteAll({ args, zk }: Context): Promise<void> {
  const path = pathArg(args);
  const batch = args.int('batch', 1000);
  if (batch <= 0) throw new ZkCliFailure('-b argument must be a positive int value', 2);
  const ok = await deleteRecursive(await zk(), path, batch);
  if (!ok) throw new ZkCliFailure('Failed to delete some node(s) in the subtree!', 1);
  if (args.json) printJson({ deleted: path });
}

async function stat({ args, zk }: Context): Promise<void> {
  const path = pathArg(args);
  const found = await (await zk()).exists(path);
  // StatCommand turns a null Stat into NoNodeException(path).
  if (found === null) throw new ZkError(Err.NONODE, path);
  if (args.json) return printJson(statJson(found));
  print(formatStat(found));
}

async function getAcl({ args, zk }: Context): Promise<void> {
  const path = pathArg(args);
  const { acl, stat } = await (await zk()).getACL(path);
  if (args.json) return printJson({ path, acl: aclJson(acl), stat: statJson(stat) });
  print(`${formatAcl(acl)}${args.flag('stat') ? formatStat(stat) : ''}`);
}

async function setAcl({ args, zk }: Context): Promise<void> {
  const path = pathArg(args);
  const acl = aclArg(args.required(1, 'acl'));
  const version = versionArg(args);
  const client = await zk();
  if (!args.flag('recursive')) {
    const stat = await client.setACL(path, acl, version);
    if (args.json) return printJson({ path, stat: statJson(stat) });
    if (args.flag('stat')) print(formatStat(stat));
    return;
  }
  // SetAclCommand -R: setACL on every node ZKUtil.visitSubTreeDFS reaches; a failing node is
  // reported (zkCli prints the KeeperException message) and the others are still changed.
  const paths: string[] = [];
  const failures: Promise<unknown>[] = [];
  const visit = (p: string) => {
    paths.push(p);
    failures.push(client.setACL(p, acl, version).then(() => undefined, (err: unknown) => err));
  };
  const walked = visitSubTree(client, path, visit).then(() => undefined, (err: unknown) => err);
  const walkError = await walked;
  const failed = (await Promise.all(failures)).filter((err) => err !== undefined);
  for (const err of failed) {
    if (!(err instanceof ZkError)) throw err;
    note(err.message);
  }
  if (walkError !== undefined) throw walkError;
  if (args.json) printJson({ paths, failed: failed.length });
  if (failed.length > 0) process.exitCode = 1;
}

async function fourLw({ args }: Context): Promise<void> {
  const word = args.required(0, 'word');
  if (!/^[a-z]{4}$/.test(word)) throw new UsageError(`not a four-letter word: ${JSON.stringify(word)}`, args.usage);
  const answer = await fourLetterWord(zkAddress(args), word, connectTimeout(args));
  if (args.json) return printJson({ word, answer });
  print(answer);
}

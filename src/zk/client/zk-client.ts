/**
 * A minimal ZooKeeper 3.8 client for Junction's CLI, benchmarks and tests: typed helpers over
 * ZkClientConnection.request that reject with ZkError when ReplyHeader.err ≠ 0, as the Java client's
 * KeeperException does. Defaults follow org.apache.zookeeper.ZooKeeper (version -1 = any).
 */
import { Err, ZkError } from '../codec/errors.js';
import type { ZkReplyBody } from '../codec/responses.js';
import {
  AddWatchMode, CreateFlag, OpCode, WatcherType,
  type ACL, type ClientInfo, type MultiOp, type MultiResult, type Stat,
} from '../codec/types.js';
import { ZkClientConnection, type ZkConnectOptions } from './connection.js';

export type { ZkConnectOptions, ZkReply, ZkWatchEvent } from './connection.js';

/** ZooDefs.Ids.OPEN_ACL_UNSAFE */
export const OPEN_ACL_UNSAFE: readonly ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

export interface CreateOptions {
  acl?: readonly ACL[];
  /** CreateFlag value (CreateMode.toFlag); default PERSISTENT. */
  flags?: number;
  /** TTL in ms for PERSISTENT(_SEQUENTIAL)_WITH_TTL (sent as createTTL). */
  ttl?: number;
}

/** A multi whose ops did not all succeed: the code of the first failing op plus every result. */
export class ZkMultiError extends ZkError {
  constructor(zkCode: number, readonly results: MultiResult[]) { super(zkCode); }
}

type Body<K extends ZkReplyBody['kind']> = Extract<ZkReplyBody, { kind: K }>;

export class ZkClient extends ZkClientConnection {
  /** Connect and create (or reattach to) a session. */
  static async connect(opts: ZkConnectOptions): Promise<ZkClient> {
    const { socket, frames, res, early } = await ZkClientConnection.open(opts);
    const client = new ZkClient(socket, frames, res);
    client.replay(early);
    return client;
  }

  /** request() that rejects on err ≠ 0 and checks the reply's record kind. */
  private async call<K extends ZkReplyBody['kind']>(type: number, req: unknown, kind: K, path?: string): Promise<Body<K>> {
    const { header, response } = await this.request(type, req);
    if (header.err !== Err.OK) throw new ZkError(header.err, path);
    if (response?.kind !== kind) throw new ZkError(Err.MARSHALLINGERROR, path);
    return response as Body<K>;
  }

  private static createType(o: CreateOptions, withStat: boolean): number {
    if (o.ttl !== undefined) return OpCode.createTTL;
    if (o.flags === CreateFlag.CONTAINER) return OpCode.createContainer;
    return withStat ? OpCode.create2 : OpCode.create;
  }

  private static createReq(path: string, data: Buffer | string, o: CreateOptions) {
    const req = { path, data: typeof data === 'string' ? Buffer.from(data) : data, acl: [...(o.acl ?? OPEN_ACL_UNSAFE)], flags: o.flags ?? CreateFlag.PERSISTENT };
    return o.ttl === undefined ? req : { ...req, ttl: o.ttl };
  }

  /** Create a znode; resolves with its actual path (sequential suffix included). */
  async create(path: string, data: Buffer | string = '', o: CreateOptions = {}): Promise<string> {
    return (await this.create2(path, data, o, false)).path;
  }

  /** Create via create2 (or createContainer/createTTL): path and the new node's Stat. */
  async create2(path: string, data: Buffer | string = '', o: CreateOptions = {}, withStat = true): Promise<{ path: string; stat?: Stat }> {
    const type = ZkClient.createType(o, withStat);
    const req = ZkClient.createReq(path, data, o);
    if (type === OpCode.create) return this.call(type, req, 'path', path);
    const { path: created, stat } = await this.call(type, req, 'create2', path);
    return { path: created, stat };
  }

  async getData(path: string, watch = false): Promise<{ data: Buffer; stat: Stat }> {
    const { data, stat } = await this.call(OpCode.getData, { path, watch }, 'data', path);
    return { data, stat };
  }

  async setData(path: string, data: Buffer | string, version = -1): Promise<Stat> {
    return (await this.call(OpCode.setData, { path, data: typeof data === 'string' ? Buffer.from(data) : data, version }, 'stat', path)).stat;
  }

  /** ZooKeeper.exists: null when the node does not exist (a watch is still left, as there). */
  async exists(path: string, watch = false): Promise<Stat | null> {
    const { header, response } = await this.request(OpCode.exists, { path, watch });
    if (header.err === Err.NONODE) return null;
    if (header.err !== Err.OK) throw new ZkError(header.err, path);
    if (response?.kind !== 'stat') throw new ZkError(Err.MARSHALLINGERROR, path);
    return response.stat;
  }

  async getChildren(path: string, watch = false): Promise<string[]> {
    return (await this.call(OpCode.getChildren, { path, watch }, 'children', path)).children;
  }

  async getChildren2(path: string, watch = false): Promise<{ children: string[]; stat: Stat }> {
    const { children, stat } = await this.call(OpCode.getChildren2, { path, watch }, 'children2', path);
    return { children, stat };
  }

  async delete(path: string, version = -1): Promise<void> {
    await this.call(OpCode.delete, { path, version }, 'empty', path);
  }

  async getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }> {
    const { acl, stat } = await this.call(OpCode.getACL, { path }, 'acl', path);
    return { acl, stat };
  }

  async setACL(path: string, acl: readonly ACL[], version = -1): Promise<Stat> {
    return (await this.call(OpCode.setACL, { path, acl: [...acl], version }, 'stat', path)).stat;
  }

  async sync(path: string): Promise<string> {
    return (await this.call(OpCode.sync, { path }, 'path', path)).path;
  }

  /** Atomic multi. A failed one (header err 0, ErrorResults inside) rejects with ZkMultiError. */
  async multi(ops: MultiOp[]): Promise<MultiResult[]> {
    const { results } = await this.call(OpCode.multi, { ops }, 'multi');
    const failed = results.find((r): r is { type: -1; err: number } => r.type === OpCode.error && r.err !== Err.OK);
    if (failed) throw new ZkMultiError(failed.err, results);
    return results;
  }

  /** multiRead: each op answers on its own; errors stay in the results (ErrorResult). */
  async multiRead(ops: MultiOp[]): Promise<MultiResult[]> {
    return (await this.call(OpCode.multiRead, { ops }, 'multi')).results;
  }

  async addWatch(path: string, mode: number = AddWatchMode.PERSISTENT): Promise<void> {
    await this.call(OpCode.addWatch, { path, mode }, 'error', path);
  }

  async removeWatches(path: string, type: number = WatcherType.Any): Promise<void> {
    await this.call(OpCode.removeWatches, { path, type }, 'empty', path);
  }

  async checkWatches(path: string, type: number = WatcherType.Any): Promise<void> {
    await this.call(OpCode.checkWatches, { path, type }, 'empty', path);
  }

  async whoAmI(): Promise<ClientInfo[]> {
    return (await this.call(OpCode.whoAmI, {}, 'whoAmI')).clientInfo;
  }

  /** addauth (xid -4). On AUTHFAILED ZooKeeper also closes the connection. */
  async addAuth(scheme: string, auth: Buffer | string): Promise<void> {
    await this.call(OpCode.auth, { type: 0, scheme, auth: Buffer.from(auth) }, 'empty');
  }

  async getEphemerals(prefixPath = '/'): Promise<string[]> {
    return (await this.call(OpCode.getEphemerals, { prefixPath }, 'ephemerals')).ephemerals;
  }

  async getAllChildrenNumber(path: string): Promise<number> {
    return (await this.call(OpCode.getAllChildrenNumber, { path }, 'number', path)).totalNumber;
  }

  /** One ping round trip (xid -2); the header's zxid is the server's last processed zxid. */
  async ping(): Promise<number> {
    const { header } = await this.request(OpCode.ping, {});
    return header.zxid;
  }
}

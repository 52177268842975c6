// Minimal types for node-zookeeper-client 1.1 (the package ships none): only what the compat
// tests use. 64-bit jute longs (zxids, session ids, ephemeralOwner) arrive as 8-byte Buffers.
declare module 'node-zookeeper-client' {
  type Callback<T extends unknown[]> = (error: Exception | Error | null, ...results: T) => void;

  export interface Stat {
    czxid: Buffer; mzxid: Buffer; ctime: Buffer; mtime: Buffer; version: number; cversion: number;
    aversion: number; ephemeralOwner: Buffer; dataLength: number; numChildren: number; pzxid: Buffer;
  }
  export class Id { constructor(scheme: string, id: string); scheme: string; id: string }
  export class ACL {
    constructor(permission: number, id: Id);
    permission: number; id: Id;
    static OPEN_ACL_UNSAFE: ACL[]; static READ_ACL_UNSAFE: ACL[]; static CREATOR_ALL_ACL: ACL[];
  }
  export const Permission: { READ: number; WRITE: number; CREATE: number; DELETE: number; ADMIN: number; ALL: number };
  export const CreateMode: { PERSISTENT: number; PERSISTENT_SEQUENTIAL: number; EPHEMERAL: number; EPHEMERAL_SEQUENTIAL: number };
  export class Event {
    static NODE_CREATED: number; static NODE_DELETED: number; static NODE_DATA_CHANGED: number; static NODE_CHILDREN_CHANGED: number;
    getType(): number; getName(): string; getPath(): string;
  }
  export class Exception extends Error {
    getCode(): number; getName(): string; getPath(): string | undefined;
    static NO_NODE: number; static NODE_EXISTS: number; static BAD_VERSION: number; static NOT_EMPTY: number;
    static NO_AUTH: number; static INVALID_ACL: number; static RUNTIME_INCONSISTENCY: number;
  }
  export interface OpResult { type: number; err?: number; path?: string; stat?: Stat }
  export class Transaction {
    create(path: string, data?: Buffer, acls?: ACL[], mode?: number): Transaction;
    setData(path: string, data: Buffer | null, version?: number): Transaction;
    check(path: string, version: number): Transaction;
    remove(path: string, version?: number): Transaction;
    commit(callback: Callback<[OpResult[]]>): void;
  }
  export type Watcher = (event: Event) => void;
  export interface Client {
    connect(): void;
    close(): void;
    once(event: 'connected' | 'disconnected' | 'expired', listener: () => void): Client;
    getSessionId(): Buffer;
    addAuthInfo(scheme: string, auth: Buffer): void;
    create(path: string, data: Buffer | null, acls: ACL[], mode: number, callback: Callback<[string]>): void;
    remove(path: string, version: number, callback: Callback<[]>): void;
    setData(path: string, data: Buffer | null, version: number, callback: Callback<[Stat]>): void;
    getData(path: string, watcher: Watcher | undefined, callback: Callback<[Buffer | undefined, Stat]>): void;
    exists(path: string, watcher: Watcher | undefined, callback: Callback<[Stat | null]>): void;
    getChildren(path: string, watcher: Watcher | undefined, callback: Callback<[string[], Stat]>): void;
    getACL(path: string, callback: Callback<[ACL[], Stat]>): void;
    setACL(path: string, acls: ACL[], version: number, callback: Callback<[Stat]>): void;
    transaction(): Transaction;
  }
  export function createClient(connectionString: string, options?: { sessionTimeout?: number; spinDelay?: number; retries?: number }): Client;
}

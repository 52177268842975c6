/**
 * Typed ZooKeeper 3.8 wire messages (jute records from zookeeper.jute), shared by the codec, the
 * model's read functions, the server and our own client. Longs that carry session ids are bigint
 * (they use all 64 bits); zxids and times are numbers (standalone zxids and epoch milliseconds
 * stay far below 2^53).
 */

/** org.apache.zookeeper.ZooDefs.OpCode */
export const OpCode = {
  notification: 0, create: 1, delete: 2, exists: 3, getData: 4, setData: 5, getACL: 6, setACL: 7,
  getChildren: 8, sync: 9, ping: 11, getChildren2: 12, check: 13, multi: 14, create2: 15,
  reconfig: 16, checkWatches: 17, removeWatches: 18, createContainer: 19, deleteContainer: 20,
  createTTL: 21, multiRead: 22, auth: 100, setWatches: 101, sasl: 102, getEphemerals: 103,
  getAllChildrenNumber: 104, setWatches2: 105, addWatch: 106, whoAmI: 107,
  createSession: -10, closeSession: -11, error: -1,
} as const;
export type OpCodeName = keyof typeof OpCode;

/** Special xids (ClientCnxn): server → client notifications, pings, auth, set-watches replies. */
export const Xid = { notification: -1, ping: -2, auth: -4, setWatches: -8 } as const;

/** ZooDefs.Perms */
export const Perms = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

/** CreateMode flag values (CreateMode.toFlag). */
export const CreateFlag = {
  PERSISTENT: 0, EPHEMERAL: 1, PERSISTENT_SEQUENTIAL: 2, EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4, PERSISTENT_WITH_TTL: 5, PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;

/** Watcher.Event.EventType */
export const EventType = {
  None: -1, NodeCreated: 1, NodeDeleted: 2, NodeDataChanged: 3, NodeChildrenChanged: 4,
  DataWatchRemoved: 5, ChildWatchRemoved: 6, PersistentWatchRemoved: 7,
} as const;

/** Watcher.Event.KeeperState */
export const KeeperState = {
  Disconnected: 0, SyncConnected: 3, AuthFailed: 4, ConnectedReadOnly: 5, SaslAuthenticated: 6, Expired: -112, Closed: 7,
} as const;

/** AddWatchMode */
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;

/** Watcher.WatcherType (checkWatches / removeWatches) */
export const WatcherType = { Children: 1, Data: 2, Any: 3, Persistent: 4, PersistentRecursive: 5 } as const;

export interface Id { scheme: string; id: string }
export interface ACL { perms: number; id: Id }

export interface Stat {
  czxid: number; mzxid: number; ctime: number; mtime: number;
  version: number; cversion: number; aversion: number;
  ephemeralOwner: bigint; dataLength: number; numChildren: number; pzxid: number;
}

export interface ConnectRequest {
  protocolVersion: number; lastZxidSeen: number; timeOut: number; sessionId: bigint; passwd: Buffer;
  /** Absent when the client did not send the trailing byte (old clients). */
  readOnly?: boolean;
}
export interface ConnectResponse {
  protocolVersion: number; timeOut: number; sessionId: bigint; passwd: Buffer;
  /** Written only when the client sent it in its ConnectRequest. */
  readOnly?: boolean;
}

export interface RequestHeader { xid: number; type: number }
export interface ReplyHeader { xid: number; zxid: number; err: number }
export interface WatcherEvent { type: number; state: number; path: string }

// ---- request bodies ---------------------------------------------------------------------------

export interface PathRequest { path: string }
export interface PathWatchRequest { path: string; watch: boolean }
export interface CreateRequest { path: string; data: Buffer; acl: ACL[]; flags: number }
export interface CreateTTLRequest extends CreateRequest { ttl: number }
export interface DeleteRequest { path: string; version: number }
export interface SetDataRequest { path: string; data: Buffer; version: number }
export interface SetACLRequest { path: string; acl: ACL[]; version: number }
export interface CheckVersionRequest { path: string; version: number }
export interface AuthPacket { type: number; scheme: string; auth: Buffer }
export interface SetWatches { relativeZxid: number; dataWatches: string[]; existWatches: string[]; childWatches: string[] }
export interface SetWatches2 extends SetWatches { persistentWatches: string[]; persistentRecursiveWatches: string[] }
export interface AddWatchRequest { path: string; mode: number }
export interface WatchesRequest { path: string; type: number }
export interface GetEphemeralsRequest { prefixPath: string }
export interface ReconfigRequest { joiningServers: string; leavingServers: string; newMembers: string; curConfigId: bigint }

/** One operation inside multi (MultiHeader type + its record). */
export type MultiOp =
  | { op: 'create'; type: 1 | 15 | 19 | 21; req: CreateRequest | CreateTTLRequest }
  | { op: 'delete'; type: 2; req: DeleteRequest }
  | { op: 'setData'; type: 5; req: SetDataRequest }
  | { op: 'check'; type: 13; req: CheckVersionRequest }
  | { op: 'getChildren'; type: 8; req: PathRequest }
  | { op: 'getData'; type: 4; req: PathRequest };

/** A decoded client request: the header's xid and opcode plus its typed body. */
export type ZkRequest = { xid: number } & (
  | { type: 1 | 15 | 19; op: 'create'; req: CreateRequest }
  | { type: 21; op: 'create'; req: CreateTTLRequest }
  | { type: 2 | 20; op: 'delete'; req: DeleteRequest | PathRequest }
  | { type: 3 | 4 | 8 | 12; op: 'read'; req: PathWatchRequest }
  | { type: 5; op: 'setData'; req: SetDataRequest }
  | { type: 6 | 9 | 104; op: 'path'; req: PathRequest }
  | { type: 7; op: 'setACL'; req: SetACLRequest }
  | { type: 13; op: 'check'; req: CheckVersionRequest }
  | { type: 14 | 22; op: 'multi'; req: { ops: MultiOp[] } }
  | { type: 16; op: 'reconfig'; req: ReconfigRequest }
  | { type: 17 | 18; op: 'watches'; req: WatchesRequest }
  | { type: 100; op: 'auth'; req: AuthPacket }
  | { type: 101; op: 'setWatches'; req: SetWatches }
  | { type: 105; op: 'setWatches2'; req: SetWatches2 }
  | { type: 106; op: 'addWatch'; req: AddWatchRequest }
  | { type: 103; op: 'getEphemerals'; req: GetEphemeralsRequest }
  | { type: 11 | 107 | -11; op: 'empty'; req: Record<string, never> }
);

// ---- response bodies --------------------------------------------------------------------------

export interface ClientInfo { authScheme: string; user: string }

/** One result inside a MultiResponse (MultiHeader type + record; type -1 = ErrorResult). */
export type MultiResult =
  | { type: 1 | 19 | 21; path: string }                 // CreateResponse
  | { type: 15; path: string; stat: Stat }               // Create2Response
  | { type: 2 | 13 }                                     // delete / check: no body
  | { type: 5; stat: Stat }                              // SetDataResponse
  | { type: 4; data: Buffer; stat: Stat }                // GetDataResponse (multiRead)
  | { type: 8; children: string[] }                      // GetChildrenResponse (multiRead)
  | { type: -1; err: number };                           // ErrorResult

/** A response body, tagged by the shape the opcode's reply record has. */
export type ZkResponse =
  | { kind: 'empty' }
  | { kind: 'path'; path: string }                          // create, sync (createContainer/createTTL answer create2)
  | { kind: 'create2'; path: string; stat: Stat }
  | { kind: 'stat'; stat: Stat }                            // exists, setData, setACL
  | { kind: 'data'; data: Buffer; stat: Stat }              // getData
  | { kind: 'acl'; acl: ACL[]; stat: Stat }                 // getACL
  | { kind: 'children'; children: string[] }                // getChildren
  | { kind: 'children2'; children: string[]; stat: Stat }   // getChildren2
  | { kind: 'multi'; results: MultiResult[] }
  | { kind: 'number'; totalNumber: number }                 // getAllChildrenNumber
  | { kind: 'ephemerals'; ephemerals: string[] }
  | { kind: 'whoAmI'; clientInfo: ClientInfo[] };

import type { ACL, Id, Stat, ZkResponse } from '../codec/types.js';

/**
 * The ZooKeeper state machine's commands (= ZooKeeper's txn log entries). Every write request —
 * failed ones too, as ZooKeeper logs an ErrorTxn for them and so consumes a zxid — becomes one
 * command; apply() assigns the next zxid, validates (path, ACL, version, session) and mutates.
 * Commands are JSON (DurableStore logs them as JSON), so bytes are base64 and session ids are
 * 16-digit lowercase hex strings.
 */
export type SessionId = string;

export type WriteOp =
  /** opcode: create 1, create2 15, createContainer 19, createTTL 21 (ttl set) */
  | { op: 'create'; opcode: 1 | 15 | 19 | 21; path: string; data: string | null; acl: ACL[]; flags: number; ttl?: number }
  | { op: 'delete'; path: string; version: number }
  | { op: 'setData'; path: string; data: string | null; version: number }
  | { op: 'setACL'; path: string; acl: ACL[]; version: number }
  | { op: 'check'; path: string; version: number }
  | { op: 'multi'; ops: WriteOp[] };

export type ZkCommand =
  | { type: 'createSession'; sessionId: SessionId; timeoutMs: number; passwd: string; time: number }
  /** Client closeSession or expiry (the session tracker's timer appends it). */
  | { type: 'closeSession'; sessionId: SessionId; time: number }
  /** A client write. `auth` = the connection's authenticated ids (ip, digest, super) at submit time. */
  | { type: 'write'; sessionId: SessionId; time: number; auth: Id[]; op: WriteOp }
  /** ContainerManager's deleteContainer (opcode 20) for an empty container or an expired TTL node. */
  | { type: 'deleteContainer'; path: string; time: number }
  /** A write ZooKeeper could not even parse: PrepRequestProcessor logs an ErrorTxn with this code
   *  (MARSHALLINGERROR), consuming a zxid and changing nothing else. */
  | { type: 'errorTxn'; err: number; time: number };

/** What a change means to watchers; the watch manager maps it to data/child/persistent watches. */
export interface WatchTrigger {
  /** EventType.NodeCreated 1 | NodeDeleted 2 | NodeDataChanged 3 | NodeChildrenChanged 4 */
  type: 1 | 2 | 3 | 4;
  path: string;
  zxid: number;
}

export interface ApplyResult {
  /** The zxid this command consumed (every command consumes one, as ZooKeeper's txns do). */
  zxid: number;
  /** ReplyHeader.err (0 = OK, else a KeeperException code). */
  err: number;
  /** Response body when the reply carries one (also for a failed multi: its results). */
  response?: ZkResponse;
  /** Watch events, in the order ZooKeeper's DataTree fires them. */
  triggers: WatchTrigger[];
  /** Sessions this command closed, with the ephemeral paths it removed (for cons/dump/metrics). */
  closedSessions?: SessionId[];
}

export interface SessionRecord { id: SessionId; timeoutMs: number; passwd: string }

/** Read-only view of one znode for watch replay, 4lw and the admin commands. */
export interface NodeView { stat: Stat; data: Buffer; acl: ACL[]; children: ReadonlySet<string> }

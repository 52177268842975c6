import { JunctionError } from '../../core/errors.js';

/**
 * THE registry of ZooKeeper error codes: org.apache.zookeeper.KeeperException.Code (3.8), same
 * names and numbers. Every Junction file that answers or interprets a ZooKeeper error imports
 * `Err` from here.
 */
export const Err = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  UNKNOWNSESSION: -12,
  NEWCONFIGNOQUORUM: -13,
  RECONFIGINPROGRESS: -14,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
  EPHEMERALONLOCALSESSION: -120,
  NOWATCHER: -121,
  REQUESTTIMEOUT: -122,
  RECONFIGDISABLED: -123,
  SESSIONCLOSEDREQUIRESASLAUTH: -124,
  QUOTAEXCEEDED: -125,
  THROTTLEDOP: -127,
} as const;

export type ErrName = keyof typeof Err;
export type ErrCode = (typeof Err)[ErrName];

const NAME_BY_CODE: ReadonlyMap<number, ErrName> = new Map(
  (Object.keys(Err) as ErrName[]).map((name) => [Err[name], name]),
);

/**
 * KeeperException.getCodeMessage text. Codes without a case there (UNKNOWNSESSION,
 * REQUESTTIMEOUT) fall into its default branch: "Unknown error " + the enum name.
 */
const CODE_MESSAGE: Partial<Record<ErrName, string>> = {
  OK: 'ok',
  SYSTEMERROR: 'SystemError',
  RUNTIMEINCONSISTENCY: 'RuntimeInconsistency',
  DATAINCONSISTENCY: 'DataInconsistency',
  CONNECTIONLOSS: 'ConnectionLoss',
  MARSHALLINGERROR: 'MarshallingError',
  NEWCONFIGNOQUORUM: 'NewConfigNoQuorum',
  RECONFIGINPROGRESS: 'ReconfigInProgress',
  UNIMPLEMENTED: 'Unimplemented',
  OPERATIONTIMEOUT: 'OperationTimeout',
  BADARGUMENTS: 'BadArguments',
  APIERROR: 'APIError',
  NONODE: 'NoNode',
  NOAUTH: 'NoAuth',
  BADVERSION: 'BadVersion',
  NOCHILDRENFOREPHEMERALS: 'NoChildrenForEphemerals',
  NODEEXISTS: 'NodeExists',
  INVALIDACL: 'InvalidACL',
  AUTHFAILED: 'AuthFailed',
  NOTEMPTY: 'Directory not empty',
  SESSIONEXPIRED: 'Session expired',
  INVALIDCALLBACK: 'Invalid callback',
  SESSIONMOVED: 'Session moved',
  NOTREADONLY: 'Not a read-only call',
  EPHEMERALONLOCALSESSION: 'Ephemeral node on local session',
  NOWATCHER: 'No such watcher',
  RECONFIGDISABLED: 'Reconfig is disabled',
  SESSIONCLOSEDREQUIRESASLAUTH: 'Session closed because client failed to authenticate',
  QUOTAEXCEEDED: 'Quota has exceeded',
  THROTTLEDOP: 'Op throttled due to high load',
};

/** The KeeperException.Code name of a code ("NONODE"), or undefined for a number ZooKeeper lacks. */
export function errName(code: number): ErrName | undefined {
  return NAME_BY_CODE.get(code);
}

/** KeeperException.getCodeMessage: "NoNode", "Directory not empty", "Unknown error REQUESTTIMEOUT". */
export function errCodeMessage(code: number): string {
  const name = errName(code);
  if (name === undefined) return `Unknown error ${code}`;
  return CODE_MESSAGE[name] ?? `Unknown error ${name}`;
}

/** KeeperException.getMessage: "KeeperErrorCode = NoNode" or "KeeperErrorCode = NoNode for /a". */
export function errMessage(code: number, path?: string): string {
  const base = `KeeperErrorCode = ${errCodeMessage(code)}`;
  return path ? `${base} for ${path}` : base;
}

/** A KeeperException-like failure: a request answered with a non-zero ReplyHeader.err. */
export class ZkError extends JunctionError {
  constructor(readonly zkCode: number, readonly path?: string, options?: { cause?: unknown }) {
    super(`ZK_${errName(zkCode) ?? 'UNKNOWN'}`, errMessage(zkCode, path), options);
  }
}

/** Why the codec rejected bytes. */
export type ZkCodecReason =
  | 'truncated'    // a field runs past the end of the frame (jute: EOFException)
  | 'bad-length'   // a string/buffer length below -1 (BinaryInputArchive.checkLength)
  | 'unknown-op'   // an opcode outside ZooDefs.OpCode / Request.isValid
  | 'bad-multi';   // a MultiHeader op type MultiOperationRecord/MultiResponse rejects

/**
 * What ZooKeeper 3.8 does with the same bytes, so the server can answer alike (verified on the
 * real server):
 *  - 'close': drop the connection, no reply (bad frame length, unreadable RequestHeader, auth/sasl
 *    bodies that do not parse: ZooKeeperServer.processPacket throws IOException).
 *  - 'unimplemented': reply {xid, zxid -1, err UNIMPLEMENTED} then close
 *    (ZooKeeperServer.submitRequestNow → UnimplementedRequestProcessor).
 *  - 'marshalling': reply {xid, lastZxid, err MARSHALLINGERROR}, connection stays open; a write
 *    consumes a zxid (PrepRequestProcessor turns it into an ErrorTxn).
 */
export type ZkCodecAction = 'close' | 'unimplemented' | 'marshalling';

/** The codec's only error type: malformed input, never a bug in the caller. */
export class ZkCodecError extends JunctionError {
  /** RequestHeader.xid/type when the header itself was readable. */
  readonly xid?: number;
  readonly opType?: number;
  readonly action: ZkCodecAction;

  constructor(readonly reason: ZkCodecReason, message: string,
    header?: { xid: number; type: number; action: ZkCodecAction }) {
    super('ZK_CODEC', message);
    this.xid = header?.xid;
    this.opType = header?.type;
    this.action = header?.action ?? 'close';
  }
}

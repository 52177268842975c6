/**
 * TEMPORARY: the KeeperException.Code values this model returns. The project's registry
 * (src/zk/codec/errors.ts, written in parallel) did not exist when the model was written; once it
 * does, import `Err` from there and delete this file. Values are ZooKeeper 3.8's
 * KeeperException.Code numbers.
 */
export const Code = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  BADARGUMENTS: -8,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDACL: -114,
} as const;

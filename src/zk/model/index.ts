/**
 * The ZooKeeper data model: DataTree + sessions as a deterministic state machine
 * (ARCHITECTURE principle 1). Commands and results are in ./types.ts.
 */
export type { ZkState, ZNode } from './state.js';
export type { ZkSnapshotV1 } from './snapshot.js';
export type { ReadResult } from './read.js';
export type { ZkMachineOptions } from './machine.js';
export type { MarkedMulti } from './multi.js';
export { createZkMachine, applyCommand } from './machine.js';
export { executeRead, ephemeralsByPrefix } from './read.js';
export { toWriteOp } from './convert.js';
export {
  lastZxid, sessionOf, allSessions, ephemeralsOf, nodeView, wireStat, nodeCount, approximateDataSize,
  containerCandidates,
} from './queries.js';
export { generateDigest, checkACL, ipMatches, isValidAcl, isValidAclId, fixupACL, maskDigests } from './acl.js';
export { validatePath } from './paths.js';
export { MAX_TTL } from './ops.js';

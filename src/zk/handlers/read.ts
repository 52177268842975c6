import { Err } from '../codec/errors.js';
import { OpCode, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';
import { executeRead } from '../model/index.js';
import { lastOpName } from './index.js';

/**
 * Reads run in request order against the state after the session's earlier writes
 * (FinalRequestProcessor). A successful read with watch=true leaves a one-shot watch: getData →
 * data, exists → data if the node exists, exist if it does not (ZooKeeper registers a watch on
 * a missing node only for exists), getChildren → child.
 */
export function handleRead(conn: ZkConnection, req: ZkRequest, started: number): void {
  conn.replies.read(() => {
    const { service } = conn.ctx;
    const result = executeRead(service.state, req, conn.authIds, conn.session!.id);
    if (req.op === 'read' && req.req.watch) {
      const path = req.req.path;
      if (req.type === OpCode.exists) {
        if (result.err === Err.OK) service.watches.add(path, 'data', conn);
        else if (result.err === Err.NONODE) service.watches.add(path, 'exist', conn);
      } else if (result.err === Err.OK) {
        service.watches.add(path, req.type === OpCode.getData ? 'data' : 'child', conn);
      }
    }
    return conn.reply(req.xid, service.lastZxid(), result.err, result.response, lastOpName(req.type), started);
  });
}

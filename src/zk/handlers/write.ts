import { OpCode, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';
import { toWriteOp } from '../model/index.js';
import type { ZkCommand } from '../model/types.js';
import { lastOpName } from './index.js';

/**
 * Every write (create*, delete, deleteContainer, setData, setACL, check, multi) becomes one logged
 * command, failed ones included: ZooKeeper logs an ErrorTxn for them and they consume a zxid. The
 * model decides success or the KeeperException code when it applies the command in log order.
 */
export function handleWrite(conn: ZkConnection, req: ZkRequest, started: number): void {
  const session = conn.session!;
  const time = conn.ctx.clock.now();
  let command: ZkCommand;
  if (req.type === OpCode.deleteContainer) {
    // A client's deleteContainer always fails with BADARGUMENTS on ZooKeeper 3.8 (still consuming
    // a zxid); a path no znode can have gets the same answer from the model.
    command = { type: 'deleteContainer', path: '\u0000', time };
  } else {
    const op = toWriteOp(req);
    if (!op) return conn.fail(new Error(`no write op for opcode ${req.type}`), lastOpName(req.type));
    command = { type: 'write', sessionId: session.id, time, auth: [...conn.authIds], op };
  }
  const done = conn.replies.write();
  conn.ctx.service.submit(command, (result) => {
    done(conn.reply(req.xid, result.zxid, result.err, result.response, lastOpName(req.type), started));
  }).catch((err: unknown) => conn.fail(err, lastOpName(req.type)));
}

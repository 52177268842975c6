import { OpCode, type ZkRequest } from '../codec/types.js';
import type { ZkConnection } from '../connection.js';
import { handleAddWatch } from './add-watch.js';
import { handleAuth } from './auth.js';
import { handleCloseSession } from './close-session.js';
import { handlePing } from './ping.js';
import { handleRead } from './read.js';
import { handleReconfig } from './reconfig.js';
import { handleRemoveWatches } from './remove-watches.js';
import { handleSetWatches } from './set-watches.js';
import { handleSync } from './sync.js';
import { handleWhoAmI } from './who-am-i.js';
import { handleWrite } from './write.js';

/** Route a decoded request to its handler (ZooKeeper's FinalRequestProcessor switch). */
export function dispatch(conn: ZkConnection, req: ZkRequest): void {
  const started = conn.ctx.clock.now();
  switch (req.op) {
    case 'create': case 'delete': case 'setData': case 'setACL': case 'check':
      return handleWrite(conn, req, started);
    case 'multi':
      return req.type === OpCode.multiRead ? handleRead(conn, req, started) : handleWrite(conn, req, started);
    case 'read': case 'getEphemerals':
      return handleRead(conn, req, started);
    case 'path':
      return req.type === OpCode.sync ? handleSync(conn, req, started) : handleRead(conn, req, started);
    case 'auth': return handleAuth(conn, req);
    case 'setWatches': case 'setWatches2': return handleSetWatches(conn, req, started);
    case 'addWatch': return handleAddWatch(conn, req, started);
    case 'watches': return handleRemoveWatches(conn, req, started);
    case 'reconfig': return handleReconfig(conn, req, started);
    case 'empty':
      if (req.type === OpCode.ping) return handlePing(conn, req);
      if (req.type === OpCode.whoAmI) return handleWhoAmI(conn, req, started);
      return handleCloseSession(conn, req, started);
  }
}

/** ServerCnxn "lop" names as FinalRequestProcessor sets them (cons output). */
export function lastOpName(type: number): string {
  return LAST_OP[type] ?? 'NA';
}

const LAST_OP: Record<number, string> = {
  [OpCode.ping]: 'PING', [OpCode.createSession]: 'SESS', [OpCode.closeSession]: 'CLOS', [OpCode.multi]: 'MULT',
  [OpCode.multiRead]: 'MLTR', [OpCode.create]: 'CREA', [OpCode.create2]: 'CREA', [OpCode.createTTL]: 'CREA',
  [OpCode.createContainer]: 'CREA', [OpCode.delete]: 'DELE', [OpCode.deleteContainer]: 'DELE',
  [OpCode.setData]: 'SETD', [OpCode.reconfig]: 'RECO', [OpCode.setACL]: 'SETA', [OpCode.check]: 'CHEC',
  [OpCode.sync]: 'SYNC', [OpCode.exists]: 'EXIS', [OpCode.getData]: 'GETD', [OpCode.setWatches]: 'SETW',
  [OpCode.setWatches2]: 'STW2', [OpCode.addWatch]: 'ADDW', [OpCode.getACL]: 'GETA', [OpCode.getChildren]: 'GETC',
  [OpCode.getChildren2]: 'GETC', [OpCode.getAllChildrenNumber]: 'GETACN', [OpCode.getEphemerals]: 'GETE',
  [OpCode.checkWatches]: 'CHKW', [OpCode.removeWatches]: 'REMW', [OpCode.whoAmI]: 'HOMI',
};

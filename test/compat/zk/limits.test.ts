// Server limits: jute.maxbuffer and maxClientCnxns, with kazoo and raw sockets.
// Expected values were observed on the real ZooKeeper 3.8.0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startZkTarget, type ZkTarget } from '../../helpers/zk-target.js';
import { runPy } from './common.js';

const MAX_BUFFER = 8192;
const MAX_CNXNS = 5;

describe(`server limits (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  let r: Record<string, unknown>;
  before(async () => {
    zk = await startZkTarget({ juteMaxBuffer: MAX_BUFFER, maxClientCnxns: MAX_CNXNS });
    r = await runPy('limits.py', zk, String(MAX_BUFFER), String(MAX_CNXNS));
  });
  after(async () => { await zk?.stop(); });

  it('a request frame above jute.maxbuffer closes that connection only', () => {
    // NIOServerCnxn.readLength: a length prefix > jute.maxbuffer is refused; == is accepted.
    assert.equal(r.at_limit, 'ok');
    assert.equal(r.over_limit, 'closed');
    // No error reply: the connection is closed, kazoo reports ConnectionLoss.
    assert.equal(r.kazoo_big, 'ConnectionLoss');
    assert.equal(r.big_not_created, true);
    // Other connections are unaffected…
    assert.equal(r.other_session_ok, '/lim-b');
    assert.equal(r.other_session_read, 'still here');
    // …and the session of the dropped connection survives (kazoo reconnects into it).
    assert.equal(r.same_session_after, true);
  });

  it('maxClientCnxns limits concurrent connections from one address', () => {
    // NIOServerCnxnFactory.AcceptThread: the (max+1)th connection from an IP is closed at accept.
    assert.equal(r.accepted_connections, MAX_CNXNS);
  });
});

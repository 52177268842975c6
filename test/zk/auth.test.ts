// With Junction's --auth the ZooKeeper port admits only clients that authenticate (addauth
// digest user:password) against the shared user store first — ZooKeeper's enforce.auth.enabled
// with the digest scheme; the digest id then works in ACLs as on ZooKeeper.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { connect } from 'node:net';
import { LengthPrefixedFramer } from '../../src/core/net/framer.js';
import { encodeConnectRequest } from '../../src/zk/codec/connect.js';
import { Err } from '../../src/zk/codec/errors.js';
import { encodeRequest } from '../../src/zk/codec/requests.js';
import { decodeReplyHeader } from '../../src/zk/codec/responses.js';
import { OpCode } from '../../src/zk/codec/types.js';
import { startTestServer } from '../helpers/junction.js';
import { runPython } from '../helpers/python.js';

const PY = fileURLToPath(new URL('../../../test/zk/py/', import.meta.url));

test('zk with --auth: anonymous and wrong credentials are refused, store users get in', { timeout: 60_000 }, async () => {
  const server = await startTestServer({ auth: true, enabled: ['zk'] });
  try {
    await server.junction.auth.createUser('zkuser', 'zk-secret-1');
    const out = JSON.parse(await runPython(`${PY}auth_enforced.py`, [`127.0.0.1:${server.zkPort}`, 'zkuser:zk-secret-1'])) as
      Record<string, unknown>;
    assert.equal(out.wrong_password, 'AuthFailedError');
    assert.equal(out.right_password, 'ok');
    assert.equal(out.owner_reads, 'mine');
    assert.deepEqual(out.acl, [['digest', 'zkuser']]);
    assert.deepEqual(await anonymousGetData(server.zkPort), { err: Err.SESSIONCLOSEDREQUIRESASLAUTH, closed: true });
  } finally {
    await server.destroy();
  }
});

/** A session that skips addauth: its first request is answered SESSIONCLOSEDREQUIRESASLAUTH (-124)
 *  and the connection closes (AuthenticationHelper.enforceAuthentication). */
async function anonymousGetData(port: number): Promise<{ err: number; closed: boolean }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 10_000, sessionId: 0n, passwd: Buffer.alloc(16) }));
  socket.write(encodeRequest({ xid: 1, type: OpCode.getData, op: 'read', req: { path: '/', watch: false } }));
  const frames = new LengthPrefixedFramer(1 << 20);
  const got: Buffer[] = [];
  socket.on('data', (d: Buffer) => got.push(...frames.push(d)));
  await once(socket, 'close');
  assert.equal(got.length, 2, 'a ConnectResponse and one reply');
  return { err: decodeReplyHeader(got[1]!).err, closed: true };
}

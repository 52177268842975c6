// ACLs with kazoo 2.8: schemes, permission bits, invalid ACLs, aversion, the super digest user.
// Expected values were observed on the real ZooKeeper 3.8.0.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startZkTarget, type ZkTarget } from '../../helpers/zk-target.js';
import { runPy } from './common.js';

/** DigestAuthenticationProvider.generateDigest: user:base64(sha1("user:password")). */
const digest = (user: string, password: string) =>
  `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;

describe(`kazoo ACLs (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  let a: Record<string, unknown>;
  before(async () => {
    zk = await startZkTarget({ superDigest: digest('super', 'secret') });
    a = await runPy('acl.py', zk, 'super:secret');
  });
  after(async () => { await zk?.stop(); });

  it('digest and auth schemes', () => {
    assert.equal(a.digest_other_get, 'NoAuthError'); // -102
    assert.equal(a.digest_owner_get, 'secret');
    // exists needs no permission (FinalRequestProcessor: no checkACL for exists).
    assert.equal(a.digest_exists_needs_no_perm, true);
    // PrepRequestProcessor.fixupACL: 'auth' expands to every authenticated id of the creator.
    assert.deepEqual(a.auth_expanded, [[31, 'digest', digest('alice', 'pw')]]);
    // …and with no authenticated id it is an InvalidACL (-114).
    assert.equal(a.auth_without_credentials, 'InvalidACLError');
  });

  it('world:anyone read-only and each missing permission bit', () => {
    assert.equal(a.ro_get, 'r');
    assert.equal(a.ro_set, 'NoAuthError');
    assert.equal(a.ro_create_child, 'NoAuthError');
    assert.equal(a.ro_set_acls, 'NoAuthError');
    assert.equal(a.ro_get_acls, ''); // getACL needs READ or ADMIN
    // Perms: READ → getData/getChildren, WRITE → setData, CREATE → create child,
    // DELETE → delete child, ADMIN → setACL.
    assert.deepEqual(a.missing_perm, { READ: 'NoAuthError', READ_children: 'NoAuthError', WRITE: 'NoAuthError',
      CREATE: 'NoAuthError', DELETE: 'NoAuthError', ADMIN: 'NoAuthError' });
    // FinalRequestProcessor getACL: checkACL(READ | ADMIN) → a node with perms 0 refuses getACL too.
    assert.equal(a.no_perms_get_acls, 'NoAuthError');
    assert.equal(a.no_perms_get, 'NoAuthError');
  });

  it('getACL masks digest hashes for callers without ADMIN', () => {
    // FinalRequestProcessor getACL: without ADMIN, digest ids are rewritten to "user:x".
    assert.deepEqual(a.masked_for_reader, [[31, 'digest', 'alice:x'], [1, 'world', 'anyone']]);
    assert.deepEqual(a.unmasked_for_admin, [[31, 'digest', digest('alice', 'pw')], [1, 'world', 'anyone']]);
  });

  it('ip scheme, invalid ACLs, unknown auth scheme', () => {
    // IPAuthenticationProvider: exact address and CIDR match 127.0.0.1; another address does not.
    assert.deepEqual(a.ip, ['', '', 'NoAuthError']);
    // PrepRequestProcessor.fixupACL / provider.isValid → InvalidACL (-114); an empty list too.
    assert.deepEqual(a.invalid, { unknown_scheme: 'InvalidACLError', world_not_anyone: 'InvalidACLError',
      digest_no_colon: 'InvalidACLError', bad_ip: 'InvalidACLError', set_acls_empty: 'InvalidACLError' });
    // addauth with no such provider: AuthFailed (-115).
    assert.equal(a.bad_auth_scheme, 'AuthFailedError');
  });

  it('setACL bumps aversion, checks ADMIN before the version', () => {
    assert.deepEqual(a.aversion, {
      start: 0, after_set: 1, bad_version: 'BadVersionError', after_second_set: 2,
      // PrepRequestProcessor setACL: checkACL(ADMIN) precedes checkAndIncVersion.
      no_admin_and_bad_version: 'NoAuthError',
      acls: [[1, 'world', 'anyone']],
      data_version: 0, // setACL leaves the data version alone
    });
  });

  it('super digest user passes every check; a wrong super password is just another digest id', () => {
    // ZooKeeperServer.checkACL: an authenticated id of scheme "super" skips the ACL.
    assert.deepEqual(a.super, { get: 'secret', set_none: '', delete: '' });
    assert.equal(a.wrong_super, 'NoAuthError');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ACL, Id } from '../../../src/zk/codec/types.js';
import { checkACL, fixupACL, generateDigest, ipMatches, isValidAcl, isValidAclId, maskDigests } from '../../../src/zk/model/index.js';

const digest = (idPassword: string): Id => ({ scheme: 'digest', id: generateDigest(idPassword) });
const acl = (perms: number, scheme: string, id: string): ACL => ({ perms, id: { scheme, id } });

// DigestAuthenticationProvider.generateDigest; values read back with getACL from a real 3.8.0.
test('generateDigest matches ZooKeeper', () => {
  assert.equal(generateDigest('u1:p1'), 'u1:fpT/y03U+EjItKZOSLGvjnJlyng=');
  assert.equal(generateDigest('u2:p2'), 'u2:o9NxcCGDPOlcV7JVhmKHOf5ctVE=');
  assert.equal(generateDigest('super:secret'), 'super:lK75jTNcA+U9vtVEw5vB51mj/w4=');
});

// IPAuthenticationProvider.matches: IPv4 only, optional /bits mask.
test('ip matching with CIDR', () => {
  assert.equal(ipMatches('127.0.0.1', '127.0.0.1'), true);
  assert.equal(ipMatches('127.0.0.2', '127.0.0.1'), false);
  assert.equal(ipMatches('10.1.2.3', '10.0.0.0/8'), true);
  assert.equal(ipMatches('11.1.2.3', '10.0.0.0/8'), false);
  assert.equal(ipMatches('192.168.5.77', '192.168.5.64/26'), true);
  assert.equal(ipMatches('192.168.5.128', '192.168.5.64/26'), false);
  assert.equal(ipMatches('8.8.8.8', '1.2.3.4/0'), true);
  assert.equal(ipMatches('10.0.0.1', '10.0.0.0/33'), false);
  assert.equal(ipMatches('10.0.0.1', '10.0.0.0/x'), false);
  assert.equal(ipMatches('::1', '::1'), false);
  assert.equal(ipMatches('::ffff:10.0.0.1', '10.0.0.0/24'), true);
});

// ProviderRegistry providers' isValid (a real 3.8.0 answered INVALIDACL for each bad one).
test('isValidAclId per scheme', () => {
  assert.equal(isValidAclId({ scheme: 'world', id: 'anyone' }), true);
  assert.equal(isValidAclId({ scheme: 'world', id: 'foo' }), false);
  assert.equal(isValidAclId({ scheme: 'ip', id: '1.2.3.4' }), true);
  assert.equal(isValidAclId({ scheme: 'ip', id: '10.0.0.0/8' }), true);
  assert.equal(isValidAclId({ scheme: 'ip', id: '1.2.3' }), false);
  assert.equal(isValidAclId({ scheme: 'ip', id: '1.2.3.4/33' }), false);
  assert.equal(isValidAclId({ scheme: 'ip', id: '::1' }), false);
  assert.equal(isValidAclId({ scheme: 'digest', id: 'user:hash' }), true);
  assert.equal(isValidAclId({ scheme: 'digest', id: 'user:abc:' }), true); // Java split drops trailing ""
  assert.equal(isValidAclId({ scheme: 'digest', id: 'user' }), false);
  assert.equal(isValidAclId({ scheme: 'digest', id: 'a:b:c' }), false);
  assert.equal(isValidAclId({ scheme: 'super', id: '' }), false);
  assert.equal(isValidAclId({ scheme: 'sasl', id: 'x' }), false);
});

// PrepRequestProcessor.fixupACL
test('fixupACL: "auth" expands to the digest ids only, in auth order', () => {
  const auth = [{ scheme: 'ip', id: '127.0.0.1' }, digest('u1:p1'), { scheme: 'super', id: '' }, digest('u2:p2')];
  assert.deepEqual(fixupACL([acl(31, 'auth', 'ignored'), acl(1, 'world', 'anyone')], auth), [
    { perms: 31, id: digest('u1:p1') }, { perms: 31, id: digest('u2:p2') }, acl(1, 'world', 'anyone'),
  ]);
});

test('fixupACL: INVALIDACL cases', () => {
  const ipOnly = [{ scheme: 'ip', id: '127.0.0.1' }];
  assert.equal(fixupACL([], ipOnly), null);
  assert.equal(fixupACL([acl(31, 'auth', '')], ipOnly), null);
  assert.equal(fixupACL([acl(31, 'auth', '')], [{ scheme: 'super', id: '' }]), null);
  assert.equal(fixupACL([acl(31, 'world', 'anyone'), acl(31, 'super', '')], ipOnly), null);
  assert.equal(isValidAcl([acl(31, 'world', 'anyone')]), true);
  assert.equal(isValidAcl([]), false);
});

test('fixupACL removes duplicates, keeping the first', () => {
  assert.deepEqual(fixupACL([acl(31, 'ip', '10.0.0.0/8'), acl(31, 'ip', '10.0.0.0/8'), acl(1, 'ip', '10.0.0.0/8')], []),
    [acl(31, 'ip', '10.0.0.0/8'), acl(1, 'ip', '10.0.0.0/8')]);
});

// ZooKeeperServer.checkACL
test('checkACL: world, digest, ip, super, empty ACL, perm bits', () => {
  const u1 = digest('u1:p1');
  const nodeAcl = [acl(1, 'world', 'anyone'), { perms: 31, id: u1 }, acl(2, 'ip', '10.0.0.0/8')];
  assert.equal(checkACL(nodeAcl, 1, []), true);
  assert.equal(checkACL(nodeAcl, 2, []), false);
  assert.equal(checkACL(nodeAcl, 2, [u1]), true);
  assert.equal(checkACL(nodeAcl, 2, [digest('u1:wrong')]), false);
  assert.equal(checkACL(nodeAcl, 2, [{ scheme: 'ip', id: '10.9.9.9' }]), true);
  assert.equal(checkACL(nodeAcl, 4, [{ scheme: 'ip', id: '10.9.9.9' }]), false);
  assert.equal(checkACL(nodeAcl, 16, [{ scheme: 'super', id: '' }]), true);
  assert.equal(checkACL([], 16, []), true);
  // getACL asks for READ|ADMIN: either bit is enough.
  assert.equal(checkACL([acl(16, 'world', 'anyone')], 1 | 16, []), true);
});

// FinalRequestProcessor getACL without ADMIN: "u9:x" (seen on a real 3.8.0).
test('maskDigests hides digest hashes only', () => {
  assert.deepEqual(maskDigests([acl(31, 'digest', 'u9:abc='), acl(1, 'world', 'anyone')]), [acl(31, 'digest', 'u9:x'), acl(1, 'world', 'anyone')]);
});

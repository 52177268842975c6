// KafkaAuthorizer: Kafka's operations on the shared role/permission model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthService, Permission } from '../../src/core/auth/auth-service.js';
import { silentLogger } from '../../src/core/logger.js';
import { KafkaAuthorizer } from '../../src/kafka/auth/authorizer.js';

function authorizer(grantsByUser: Record<string, Array<[string, string]>>, admins: string[] = [], enforcing = true): KafkaAuthorizer {
  const users = {
    isGlobalAdmin: (u: string) => admins.includes(u),
    permissionsOf: (u: string): Permission[] => (grantsByUser[u] ?? []).map(([resource, action]) => ({ role: `role-${u}`, resource, action })),
  } as unknown as AuthService;
  return new KafkaAuthorizer(users, enforcing, silentLogger());
}

describe('KafkaAuthorizer', () => {
  const a = authorizer({
    reader: [['kafka:topic:orders', 'r'], ['kafka:group:billing', 'r']],
    writer: [['kafka:topic:orders-*', 'w']],
    creator: [['kafka:cluster', 'w']],
  }, ['root']);

  it('r grants READ and DESCRIBE; w grants WRITE, CREATE, DELETE, ALTER and DESCRIBE', () => {
    assert.equal(a.authorize('reader', 'READ', 'topic', 'orders'), true);
    assert.equal(a.authorize('reader', 'DESCRIBE', 'topic', 'orders'), true);
    assert.equal(a.authorize('reader', 'WRITE', 'topic', 'orders'), false);
    assert.equal(a.authorize('reader', 'DELETE', 'topic', 'orders'), false);
    assert.equal(a.authorize('reader', 'READ', 'topic', 'orders2'), false, 'the resource is matched whole');
    assert.equal(a.authorize('writer', 'WRITE', 'topic', 'orders-eu'), true, '`*` matches any run');
    assert.equal(a.authorize('writer', 'DESCRIBE', 'topic', 'orders-eu'), true);
    assert.equal(a.authorize('writer', 'CREATE', 'topic', 'orders-us'), true);
    assert.equal(a.authorize('writer', 'READ', 'topic', 'orders-eu'), false);
    assert.equal(a.authorize('writer', 'WRITE', 'topic', 'orders'), false);
  });

  it('groups are their own resources; w on kafka:cluster grants CREATE of any topic only', () => {
    assert.equal(a.authorize('reader', 'READ', 'group', 'billing'), true);
    assert.equal(a.authorize('reader', 'READ', 'group', 'orders'), false);
    assert.equal(a.authorize('reader', 'READ', 'topic', 'billing'), false);
    assert.equal(a.authorize('creator', 'CREATE', 'topic', 'anything'), true);
    assert.equal(a.authorize('creator', 'CREATE', 'cluster'), true);
    assert.equal(a.authorize('creator', 'WRITE', 'topic', 'anything'), false);
  });

  it('a global admin may do anything; no principal and unknown users nothing', () => {
    assert.equal(a.authorize('root', 'DELETE', 'topic', 'x'), true);
    assert.equal(a.authorize('root', 'READ', 'group', 'g'), true);
    assert.equal(a.authorize(null, 'DESCRIBE', 'topic', 'orders'), false);
    assert.equal(a.authorize('stranger', 'DESCRIBE', 'topic', 'orders'), false);
  });

  it('authorizeByResourceType: any resource of the type (KIP-679: WRITE on any topic allows InitProducerId)', () => {
    const b = authorizer({
      w: [['kafka:topic:orders-*', 'w']], r: [['kafka:topic:*', 'r']], g: [['kafka:group:x', 'rw']],
      all: [['kafka:*', 'w']], exact: [['kafka:topic:', 'w']],
    });
    assert.equal(b.authorizeByResourceType('w', 'WRITE', 'topic'), true);
    assert.equal(b.authorizeByResourceType('r', 'WRITE', 'topic'), false, 'r does not grant WRITE');
    assert.equal(b.authorizeByResourceType('r', 'DESCRIBE', 'topic'), true);
    assert.equal(b.authorizeByResourceType('g', 'WRITE', 'topic'), false, 'a group permission is no topic permission');
    assert.equal(b.authorizeByResourceType('all', 'WRITE', 'topic'), true);
    assert.equal(b.authorizeByResourceType('all', 'IDEMPOTENT_WRITE', 'cluster'), true);
    assert.equal(b.authorizeByResourceType('w', 'IDEMPOTENT_WRITE', 'cluster'), false);
    assert.equal(b.authorizeByResourceType('exact', 'WRITE', 'topic'), false, 'an empty topic name is no topic');
    assert.equal(b.authorizeByResourceType(null, 'WRITE', 'topic'), false);
    assert.equal(authorizer({}, ['root']).authorizeByResourceType('root', 'WRITE', 'topic'), true);
  });

  it('with --auth off every check passes', () => {
    const open = authorizer({}, [], false);
    assert.equal(open.authorize(null, 'WRITE', 'topic', 't'), true);
    assert.equal(open.authorize('x', 'DELETE', 'group', 'g'), true);
  });
});

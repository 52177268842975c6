import type { AuthService } from '../../core/auth/auth-service.js';
import { grants, resourcePattern } from '../../core/auth/permissions.js';
import type { Logger } from '../../core/logger.js';

/** Kafka's AclOperation values that the APIs served here check (AclAuthorizer / KafkaApis). */
export type KafkaOperation =
  | 'READ' | 'WRITE' | 'CREATE' | 'DELETE' | 'ALTER' | 'DESCRIBE' | 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS' | 'IDEMPOTENT_WRITE';
export type KafkaResourceType = 'topic' | 'group' | 'cluster';

/** Permission resource names in the shared store: `kafka:topic:NAME`, `kafka:group:NAME`, `kafka:cluster`. */
export function kafkaResource(type: KafkaResourceType, name: string): string {
  return type === 'cluster' ? 'kafka:cluster' : `kafka:${type}:${name}`;
}

/**
 * Kafka's authorizer on the shared role/permission model (the one Nacos uses): a global admin
 * may do anything; anyone else needs a permission of one of their roles whose resource pattern
 * (`*` wildcards, e.g. `kafka:topic:orders-*`) matches and whose action contains the one the
 * operation needs. READ needs `r`; WRITE, CREATE, DELETE, ALTER, ALTER_CONFIGS and
 * IDEMPOTENT_WRITE need `w`; DESCRIBE and DESCRIBE_CONFIGS need either, since in Kafka's
 * AclAuthorizer READ, WRITE, DELETE and ALTER each imply DESCRIBE. CREATE on a topic is also
 * granted by `w` on `kafka:cluster`, as KafkaApis first checks CREATE on the Cluster resource.
 * With --auth off every check passes (no authorizer.class.name configured).
 */
export class KafkaAuthorizer {
  constructor(private readonly users: AuthService, readonly enforcing: boolean, private readonly logger: Logger) {}

  /** May `principal` (null: not authenticated) perform `operation` on the resource? */
  authorize(principal: string | null, operation: KafkaOperation, type: KafkaResourceType, name = ''): boolean {
    if (!this.enforcing) return true;
    const allowed = principal !== null && this.allows(principal, operation, type, name);
    // Kafka logs denials to kafka.authorizer.logger at INFO; here one debug line, clients retry.
    if (!allowed) this.logger.debug({ principal, operation, resource: kafkaResource(type, name) }, 'kafka authorization denied');
    return allowed;
  }

  /**
   * Kafka's Authorizer.authorizeByResourceType: may `principal` do `operation` on at least one
   * resource of the type — e.g. InitProducerId for an idempotent producer is allowed with
   * IDEMPOTENT_WRITE on the cluster or WRITE on any topic (KIP-679).
   */
  authorizeByResourceType(principal: string | null, operation: KafkaOperation, type: KafkaResourceType): boolean {
    if (!this.enforcing) return true;
    if (principal === null) return false;
    if (this.users.isGlobalAdmin(principal)) return true;
    const actions = actionsFor(operation);
    return this.users.permissionsOf(principal).some((p) => actions.some((a) => p.action.includes(a)) && mayMatchType(p.resource, type));
  }

  private allows(principal: string, operation: KafkaOperation, type: KafkaResourceType, name: string): boolean {
    if (this.users.isGlobalAdmin(principal)) return true;
    const permissions = this.users.permissionsOf(principal);
    if (permissions.length === 0) return false;
    const names = [kafkaResource(type, name)];
    if (operation === 'CREATE' && type === 'topic') names.push(kafkaResource('cluster', ''));
    return actionsFor(operation).some((action) => permissions.some((p) => grants(p, names, action)));
  }
}

/** Could the permission pattern match some resource of this type? (`*` matches any text.) */
function mayMatchType(pattern: string, type: KafkaResourceType): boolean {
  if (type === 'cluster') return resourcePattern(pattern).test(kafkaResource('cluster', ''));
  const prefix = `kafka:${type}:`;
  const star = pattern.indexOf('*');
  if (star < 0) return pattern.startsWith(prefix) && pattern.length > prefix.length;
  const literal = pattern.slice(0, star);
  return literal.startsWith(prefix) || prefix.startsWith(literal);
}

function actionsFor(operation: KafkaOperation): readonly string[] {
  switch (operation) {
    case 'READ': return ['r'];
    case 'DESCRIBE': case 'DESCRIBE_CONFIGS': return ['r', 'w'];
    default: return ['w'];
  }
}

import type { KafkaOperation } from '../auth/authorizer.js';
import { ResourceType } from '../config-resources.js';
import type { RequestContext } from './context.js';

/**
 * The config APIs' check (ConfigHelper.describeConfigs, KafkaApis.handleAlterConfigsRequest and
 * handleIncrementalAlterConfigsRequest): `operation` (DESCRIBE_CONFIGS or ALTER_CONFIGS) on the
 * topic, or on the cluster for a broker resource. Returns the refusal
 * (KafkaApis.configsAuthorizationApiError), or null when allowed; another resource type is left to
 * resolveResource's INVALID_REQUEST.
 */
export function configAccessRefusal(ctx: RequestContext, operation: KafkaOperation, resourceType: number, name: string):
  'TOPIC_AUTHORIZATION_FAILED' | 'CLUSTER_AUTHORIZATION_FAILED' | null {
  if (resourceType === ResourceType.TOPIC && !ctx.authorize(operation, 'topic', name)) return 'TOPIC_AUTHORIZATION_FAILED';
  if (resourceType === ResourceType.BROKER && !ctx.authorize(operation, 'cluster')) return 'CLUSTER_AUTHORIZATION_FAILED';
  return null;
}

import { replacedConfigs } from '../config-changes.js';
import { resolveResource } from '../config-resources.js';
import { KafkaApiError, KafkaErrors } from '../errors.js';
import { configAccessRefusal } from './config-authz.js';
import type { AlterConfigsRequest, AlterConfigsResponse } from '../protocol/apis/alter-configs.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Alter = MessageValue<typeof AlterConfigsRequest>;
/** IncrementalAlterConfigs' response has the same fields. */
export type AlterConfigsResult = MessageInput<typeof AlterConfigsResponse>;
type Response = AlterConfigsResult;
type ResourceResponse = NonNullable<Response['responses']>[number];

/**
 * AlterConfigs (key 33), v0–v2: each topic's overrides become exactly the configs given (Kafka's
 * legacy, non-incremental semantics). Broker configs are static here: INVALID_CONFIG.
 */
export function handleAlterConfigs(req: Alter, ctx: RequestContext): Promise<Response> {
  return alterEach(req.resources, req.validateOnly, ctx, (r) => replacedConfigs(r.configs));
}

/** Per resource (both alter APIs): ALTER_CONFIGS on the topic, or the cluster for a broker, else
 *  TOPIC_/CLUSTER_AUTHORIZATION_FAILED with no message (KafkaApis.configsAuthorizationApiError); resolve it, compute the new overrides (throwing the Kafka error), apply unless validate_only. */
export async function alterEach<R extends { resourceType: number; resourceName: string; configs: ReadonlyArray<{ name: string }> }>(
  resources: readonly R[], validateOnly: boolean, ctx: RequestContext,
  change: (resource: R, current: Readonly<Record<string, string>>) => Record<string, string>): Promise<Response> {
  const responses: ResourceResponse[] = [];
  for (const r of resources) {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    const refused = configAccessRefusal(ctx, 'ALTER_CONFIGS', r.resourceType, r.resourceName);
    if (refused) {
      responses.push({ ...base, errorCode: KafkaErrors[refused].code, errorMessage: null });
      continue;
    }
    try {
      const resource = resolveResource(r.resourceType, r.resourceName, ctx.broker.topics, ctx.broker.settings.nodeId);
      if (resource.kind === 'broker') {
        throw new KafkaApiError('INVALID_CONFIG', `Cannot update these configs dynamically: ${r.configs.map((c) => c.name).join(', ')} ` +
          '(broker configs are read at start on this broker)');
      }
      await ctx.broker.topics.alterConfigs(resource.name, (current) => change(r, current), validateOnly);
      responses.push({ ...base, errorCode: KafkaErrors.NONE.code, errorMessage: null });
    } catch (err) {
      if (!(err instanceof KafkaApiError)) throw err;
      responses.push({ ...base, errorCode: err.errorCode, errorMessage: err.message });
    }
  }
  return { throttleTimeMs: 0, responses };
}

import { ConfigSource } from '../config-catalog.js';
import { brokerConfigEntries, resolveResource, topicConfigEntries, type ConfigEntry } from '../config-resources.js';
import { KafkaApiError, KafkaErrors } from '../errors.js';
import { configAccessRefusal } from './config-authz.js';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from '../protocol/apis/describe-configs.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof DescribeConfigsRequest>;
type Response = MessageInput<typeof DescribeConfigsResponse>;
type Result = NonNullable<Response['results']>[number];
type ResultConfig = NonNullable<Result['configs']>[number];

/**
 * DescribeConfigs (key 32), v0–v4, as Kafka's ConfigHelper.describeConfigs: per resource every
 * config (or the named ones; unknown names are left out), with its value, source, read_only,
 * is_sensitive, synonyms when asked (v1+), type and documentation (v3, documentation when asked).
 * An unknown topic is UNKNOWN_TOPIC_OR_PARTITION, another broker id or resource type INVALID_REQUEST.
 * Needs DESCRIBE_CONFIGS on the topic (else TOPIC_AUTHORIZATION_FAILED) or, for the broker, on the
 * cluster (else CLUSTER_AUTHORIZATION_FAILED), checked before the resource is looked up, with the
 * error's default text (ConfigHelper.describeConfigs).
 */
export function handleDescribeConfigs(req: Request, ctx: RequestContext): Response {
  const { broker, apiVersion } = ctx;
  const results = req.resources.map((r): Result => {
    const base = { resourceType: r.resourceType, resourceName: r.resourceName };
    try {
      const refused = configAccessRefusal(ctx, 'DESCRIBE_CONFIGS', r.resourceType, r.resourceName);
      if (refused) throw new KafkaApiError(refused);
      const resource = resolveResource(r.resourceType, r.resourceName, broker.topics, broker.settings.nodeId);
      const all = resource.kind === 'topic'
        ? topicConfigEntries(broker.topics.topic(resource.name)!.configs, broker.settings)
        : brokerConfigEntries(broker.settings, broker.advertised().port);
      const wanted = r.configurationKeys === null ? all : all.filter((e) => r.configurationKeys!.includes(e.name));
      const configs = wanted.map((e) => inVersion(e, apiVersion, req.includeSynonyms, req.includeDocumentation));
      return { ...base, errorCode: KafkaErrors.NONE.code, errorMessage: null, configs };
    } catch (err) {
      if (!(err instanceof KafkaApiError)) throw err;
      return { ...base, errorCode: err.errorCode, errorMessage: err.message, configs: [] };
    }
  });
  return { throttleTimeMs: 0, results };
}

/** The entry in the fields of `version` (the codec refuses a field a version lacks). */
function inVersion(e: ConfigEntry, version: number, includeSynonyms: boolean, includeDocumentation: boolean): ResultConfig {
  const entry: ResultConfig = { name: e.name, value: e.value, readOnly: e.readOnly, isSensitive: e.isSensitive };
  // v0 has no source: "is default" is what v1+ calls the DEFAULT_CONFIG source.
  if (version === 0) return { ...entry, isDefault: e.source === ConfigSource.DEFAULT_CONFIG };
  Object.assign(entry, { configSource: e.source, synonyms: includeSynonyms ? e.synonyms : [] });
  if (version >= 3) Object.assign(entry, { configType: e.configType, documentation: includeDocumentation ? e.documentation : null });
  return entry;
}

/**
 * The config resources of DescribeConfigs / AlterConfigs / IncrementalAlterConfigs: a topic (type 2)
 * or this broker (type 4, named by its node id, or "" for the cluster-wide defaults), as Kafka's
 * ConfigHelper and ConfigAdminManager resolve them, and the entries DescribeConfigs lists for each.
 */
import type { SettingSpec } from '../core/settings/spec.js';
import { brokerValue, ConfigSource, ConfigType, TOPIC_CONFIGS } from './config-catalog.js';
import { KafkaApiError } from './errors.js';
import { kafkaSettings, type KafkaConfig } from './settings.js';
import { checkTopicName, type TopicService } from './topics.js';

/** ConfigResource.Type ids. */
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

export type ConfigResource = { kind: 'topic'; name: string } | { kind: 'broker'; name: string };

/** The resource a request names, or the error Kafka answers for it. */
export function resolveResource(type: number, name: string, topics: TopicService, nodeId: number): ConfigResource {
  if (type === ResourceType.TOPIC) {
    checkTopicName(name);
    if (!topics.topic(name)) throw new KafkaApiError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${name}' does not exist.`);
    return { kind: 'topic', name };
  }
  if (type === ResourceType.BROKER) {
    if (name !== '' && name !== String(nodeId)) {
      throw new KafkaApiError('INVALID_REQUEST', `Unexpected broker id, expected ${nodeId} or empty string, but received ${name}`);
    }
    return { kind: 'broker', name };
  }
  throw new KafkaApiError('INVALID_REQUEST', `Unsupported resource type ${type}: this broker describes and alters topic and broker configs`);
}

export interface Synonym { name: string; value: string | null; source: number }

export interface ConfigEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  source: number;
  isSensitive: boolean;
  synonyms: Synonym[];
  configType: number;
  documentation: string;
}

/**
 * Every topic config with its effective value: the topic's override (TOPIC_CONFIG), else the
 * broker's setting (STATIC_BROKER_CONFIG), else Kafka's default (DEFAULT_CONFIG). Synonyms are
 * listed in that order of precedence, as Kafka's ConfigHelper.createTopicConfigEntry does.
 */
export function topicConfigEntries(overrides: Readonly<Record<string, string>>, settings: KafkaConfig): ConfigEntry[] {
  return TOPIC_CONFIGS.map((d) => {
    const broker = brokerValue(d, settings);
    const override = overrides[d.name];
    const synonyms: Synonym[] = [];
    if (override !== undefined) synonyms.push({ name: d.name, value: override, source: ConfigSource.TOPIC_CONFIG });
    if (d.brokerName !== null) {
      if (broker.source === ConfigSource.STATIC_BROKER_CONFIG) synonyms.push({ name: d.brokerName, value: broker.value, source: broker.source });
      synonyms.push({ name: d.brokerName, value: d.kafkaDefault, source: ConfigSource.DEFAULT_CONFIG });
    }
    return {
      name: d.name, value: override ?? broker.value, readOnly: false, isSensitive: false, synonyms,
      source: override !== undefined ? ConfigSource.TOPIC_CONFIG : broker.source, configType: ConfigType[d.type], documentation: d.doc,
    };
  });
}

/**
 * The broker's settings under their server.properties names (read-only: this broker has no dynamic
 * broker configs), then the broker names of the topic configs' fallbacks with their values.
 */
export function brokerConfigEntries(settings: KafkaConfig, port: number): ConfigEntry[] {
  const entries = new Map<string, ConfigEntry>();
  const specs = kafkaSettings.specs as Record<string, SettingSpec<unknown>>;
  for (const [key, spec] of Object.entries(specs)) {
    if (!spec.native) continue;
    const raw = (settings as unknown as Record<string, unknown>)[key];
    const value = spec.native === 'listeners' ? `PLAINTEXT://:${port}` : String(raw);
    const source = raw === spec.default ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG;
    const configType = typeof raw === 'boolean' ? ConfigType.BOOLEAN : typeof raw === 'number' ? ConfigType.LONG : ConfigType.STRING;
    entries.set(spec.native, brokerEntry(spec.native, value, source, configType, spec.help));
  }
  for (const d of TOPIC_CONFIGS) {
    if (d.brokerName === null || entries.has(d.brokerName)) continue;
    const { value, source } = brokerValue(d, settings);
    entries.set(d.brokerName, brokerEntry(d.brokerName, value, source, ConfigType[d.type], d.doc));
  }
  return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function brokerEntry(name: string, value: string, source: number, configType: number, documentation: string): ConfigEntry {
  return { name, value, readOnly: true, isSensitive: false, source, synonyms: [{ name, value, source }], configType, documentation };
}

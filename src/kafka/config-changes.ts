/**
 * What AlterConfigs and IncrementalAlterConfigs do to a topic's overrides, as Kafka's
 * ConfigAdminManager.prepareIncrementalConfigs and LogConfig.validate: every change checked, then
 * the whole new set applied at once (or nothing, with validate_only or on any error).
 */
import { brokerValue, listItems, topicConfigDef } from './config-catalog.js';
import { KafkaApiError } from './errors.js';
import type { KafkaConfig } from './settings.js';
import { checkTopicConfig } from './topic-configs.js';

/** AlterConfigOp.OpType ids. */
export const ConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface ConfigChange { name: string; op: number; value: string | null }

function checkNoDuplicates(changes: readonly { name: string }[]): void {
  const seen = new Set<string>();
  for (const { name } of changes) {
    if (seen.has(name)) throw new KafkaApiError('INVALID_REQUEST', `Error due to duplicate config keys: ${name}`);
    seen.add(name);
  }
}

/** Legacy AlterConfigs: the given configs become the topic's whole override set (null values dropped). */
export function replacedConfigs(configs: ReadonlyArray<{ name: string; value: string | null }>): Record<string, string> {
  checkNoDuplicates(configs);
  const out: Record<string, string> = {};
  for (const { name, value } of configs) {
    if (!topicConfigDef(name)) throw new KafkaApiError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    if (value !== null) out[name] = checkTopicConfig(name, value);
  }
  return out;
}

/** IncrementalAlterConfigs: SET/DELETE any config, APPEND/SUBTRACT items of a LIST config. */
export function incrementallyChanged(current: Readonly<Record<string, string>>, changes: readonly ConfigChange[],
  settings: KafkaConfig): Record<string, string> {
  checkNoDuplicates(changes);
  const out: Record<string, string> = { ...current };
  for (const { name, op, value } of changes) {
    const d = topicConfigDef(name);
    if (!d) throw new KafkaApiError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    switch (op) {
      case ConfigOp.SET:
        if (value === null) throw new KafkaApiError('INVALID_REQUEST', `Null value not supported for : ${name}`);
        out[name] = checkTopicConfig(name, value);
        break;
      case ConfigOp.DELETE:
        delete out[name];
        break;
      case ConfigOp.APPEND:
      case ConfigOp.SUBTRACT: {
        const verb = op === ConfigOp.APPEND ? 'append' : 'subtract';
        if (d.type !== 'LIST') throw new KafkaApiError('INVALID_REQUEST', `Config value ${verb} is not allowed for config key: ${name}`);
        const items = listItems(out[name] ?? brokerValue(d, settings).value);
        const given = listItems(value ?? '');
        const next = op === ConfigOp.APPEND ? [...items, ...given.filter((g) => !items.includes(g))] : items.filter((i) => !given.includes(i));
        out[name] = checkTopicConfig(name, next.join(','));
        break;
      }
      default:
        throw new KafkaApiError('INVALID_REQUEST', `Unknown config operation ${op} for config key: ${name}`);
    }
  }
  return out;
}

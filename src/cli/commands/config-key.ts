import type { Args } from '../args.js';

/** dataId + group + tenant: the key of a Nacos config. */
export interface ConfigKey { dataId: string; group: string; tenant: string }

export function configKey(args: Args): ConfigKey {
  return {
    dataId: args.required(0, 'dataId', 'data-id'),
    group: args.string('group', 'DEFAULT_GROUP')!,
    tenant: args.string('tenant') ?? args.string('namespace') ?? '',
  };
}

/** Nacos omits tenant for the public namespace; send it only when set. */
export function keyParams(key: ConfigKey): Record<string, string | undefined> {
  return { dataId: key.dataId, group: key.group, tenant: key.tenant || undefined };
}

export function describe(key: ConfigKey): string {
  return `${key.dataId} (group ${key.group}${key.tenant ? `, tenant ${key.tenant}` : ''})`;
}

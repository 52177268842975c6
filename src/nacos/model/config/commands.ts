/** Commands of the config model; every one is durable (ctx.store.submit) and carries its time. */

export interface ConfigPublishCommand {
  type: 'config.publish';
  dataId: string;
  group: string;
  tenant: string;
  content: string;
  /** Computed once by the route so apply (and replay) never hashes. */
  md5: string;
  configType: string;
  appName: string;
  desc: string | null;
  use: string | null;
  effect: string | null;
  schema: string | null;
  configTags: string | null;
  encryptedDataKey: string;
  srcIp: string;
  srcUser: string | null;
  /** Nacos `casMd5` header: publish only if the stored md5 still equals this. */
  casMd5: string | null;
  time: number;
}

export interface ConfigRemoveCommand {
  type: 'config.remove';
  dataId: string;
  group: string;
  tenant: string;
  srcIp: string;
  srcUser: string | null;
  time: number;
}

export interface NamespaceCreateCommand {
  type: 'namespace.create';
  namespaceId: string;
  name: string;
  desc: string | null;
  time: number;
}

export interface NamespaceUpdateCommand {
  type: 'namespace.update';
  namespaceId: string;
  name: string;
  desc: string | null;
}

export interface NamespaceRemoveCommand {
  type: 'namespace.remove';
  namespaceId: string;
}

export type ConfigCommand =
  | ConfigPublishCommand | ConfigRemoveCommand
  | NamespaceCreateCommand | NamespaceUpdateCommand | NamespaceRemoveCommand;

/** What apply answers; never thrown (StateMachine contract). */
export type PublishResult =
  | { ok: true; opType: 'I' | 'U'; md5Changed: boolean }
  | { ok: false; reason: 'cas-mismatch' };
export interface RemoveResult { ok: true; existed: boolean }
export type NamespaceResult = { ok: true } | { ok: false; reason: 'exists' | 'not-found' };

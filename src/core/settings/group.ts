import type { SettingSpec } from './spec.js';

export type Specs<S> = { [K in keyof S]: SettingSpec<S[K]> };

/** A value read from the original's own config file, keyed by the original's name for it. */
export interface NativeValue { name: string; value: string; where: string }

/** The original's own config file (zoo.cfg …), mapped onto the group's declarations by `native`. */
export interface NativeFile {
  /** What people call the file: "zoo.cfg". */
  readonly name: string;
  /** The setting that names the file (e.g. zk's `config`, --zk-config). */
  readonly setting: string;
  /**
   * Parse the file's text (core reads it): the values of the settings it knows, in the original's
   * own spelling and corrections (ZooKeeper's -1 = unset, its floors …), plus warnings for keys that
   * are read but not applied. `file` names it in messages; `declared` holds every `native` name the
   * group declares.
   */
  parse(text: string, file: string, declared: ReadonlySet<string>): { values: NativeValue[]; warnings: string[] };
}

/**
 * The settings of one part of Junction: core's ('' section: top level of the config file, flags
 * without a prefix) or a personality's (its name: the config file section and the flag prefix).
 */
export interface SettingsGroup<S extends object = Record<string, unknown>> {
  readonly section: string;
  /** Heading in the start usage and README (e.g. "ZooKeeper 3.8"). */
  readonly title: string;
  readonly specs: Specs<S>;
  /** Checks across settings once every source is applied; `where(key)` names the value's source. */
  check?(values: S, where: (key: string) => string): void;
  readonly nativeFile?: NativeFile;
}

export function defineSettings<S extends object>(group: SettingsGroup<S>): SettingsGroup<S> { return group; }

/** A declaration with the names it is known by everywhere. */
export interface Declared {
  readonly group: SettingsGroup<object>;
  readonly key: string;
  readonly spec: SettingSpec<unknown>;
  /** `zk-tick-time` (used as --zk-tick-time). */
  readonly flag: string;
  /** `JUNCTION_ZK_TICK_TIME` */
  readonly env: string;
  /** `zk.tickTime` in the JSON config file. */
  readonly fileKey: string;
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function declared(group: SettingsGroup<object>): Declared[] {
  return Object.entries(group.specs as Record<string, SettingSpec<unknown>>).map(([key, spec]) => {
    const flag = spec.flag ?? (group.section ? `${group.section}-${kebab(key)}` : kebab(key));
    return {
      group, key, spec, flag,
      env: `JUNCTION_${flag.toUpperCase().replace(/-/g, '_')}`,
      fileKey: group.section ? `${group.section}.${key}` : key,
    };
  });
}

export function defaultsOf<S extends object>(group: SettingsGroup<S>): S {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(group.specs as Record<string, SettingSpec<unknown>>)) out[key] = structuredClone(spec.default);
  return out as S;
}

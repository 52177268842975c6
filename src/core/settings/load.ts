import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { declared, defaultsOf, type Declared, type SettingsGroup } from './group.js';
import { SettingProblem } from './spec.js';

/** Raw flag values by flag name (`zk-tick-time`), as node:util parseArgs gives them. */
export type FlagValues = Record<string, string | boolean | undefined>;

export interface LoadedSettings {
  /** Values by section ('' = core), each complete (defaults filled in). */
  readonly sections: ReadonlyMap<string, Record<string, unknown>>;
  /** Native-file keys read but not applied, for the start to log. */
  readonly warnings: { file: string; warning: string }[];
}

type Raw = Record<string, unknown>;

/** Settings given as an object shaped like the config file (a program embedding Junction, the
 *  test helpers), applied just below the config file. */
export interface GivenSettings { source: string; settings: Raw }
const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * One configuration for every declared setting: defaults < the original's own config file (zoo.cfg
 * …, for settings nothing else set) < settings given as an object < the JSON config file (--config /
 * JUNCTION_CONFIG) < JUNCTION_* environment < flags. Every value is parsed by its declaration and
 * every group's cross-checks run; a bad value is a ConfigError naming where it came from.
 */
export function loadSettings(groups: readonly SettingsGroup<object>[], flags: FlagValues,
  env: NodeJS.ProcessEnv, given?: GivenSettings): LoadedSettings {
  const values = new SettingValues(groups);
  if (given) values.applyObject(given.settings, given.source);
  const file = (flags.config as string | undefined) ?? (env.JUNCTION_CONFIG || undefined);
  if (file) values.applyObject(readConfigFile(file), file);
  for (const d of values.all) {
    const v = env[d.env];
    if (v !== undefined && v !== '') values.set(d, v, d.env);
  }
  for (const d of values.all) {
    const v = flags[d.flag];
    if (v !== undefined) values.set(d, v, `--${d.flag}`);
  }
  const warnings = groups.flatMap((g) => values.applyNativeFile(g));
  for (const g of groups) g.check?.(values.sections.get(g.section)!, (key) => values.origin(g, key));
  return { sections: values.sections, warnings };
}

/** Every group's values being loaded, and where each value that is not a default came from. */
class SettingValues {
  readonly all: Declared[];
  readonly sections: Map<string, Record<string, unknown>>;
  private readonly origins = new Map<Declared, string>();

  constructor(groups: readonly SettingsGroup<object>[]) {
    this.all = groups.flatMap(declared);
    this.sections = new Map(groups.map((g) => [g.section, defaultsOf(g) as Raw]));
  }

  set(d: Declared, raw: unknown, origin: string): void {
    try {
      this.sections.get(d.group.section)![d.key] = d.spec.parse(raw);
    } catch (err) {
      if (err instanceof SettingProblem) throw new ConfigError(`${origin}: ${err.message}`);
      throw err;
    }
    this.origins.set(d, origin);
  }

  origin(group: SettingsGroup<object>, key: string): string {
    const d = this.all.find((x) => x.group === group && x.key === key)!;
    return this.origins.get(d) ?? `${d.fileKey} (default)`;
  }

  /** An object shaped like the config file: core's keys at the top, a section per personality. */
  applyObject(parsed: Raw, source: string): void {
    checkKnownKeys(parsed, source, this.all);
    for (const d of this.all) {
      const v = d.group.section ? (parsed[d.group.section] as Raw | undefined)?.[d.key] : parsed[d.key];
      if (v !== undefined) this.set(d, v, `${source}: ${d.fileKey}`);
    }
  }

  /** The original's own file, if the group has one and it is named: its values fill the
   *  settings nothing else set. Returns what it read but does not apply. */
  applyNativeFile(group: SettingsGroup<object>): LoadedSettings['warnings'] {
    const native = group.nativeFile;
    const path = native && (this.sections.get(group.section)![native.setting] as string);
    if (!native || !path) return [];
    const byNative = new Map(this.all.filter((d) => d.group === group && d.spec.native).map((d) => [d.spec.native!, d]));
    let text: string;
    try { text = readFileSync(path, 'utf8'); } catch (err) {
      const flag = this.all.find((d) => d.group === group && d.key === native.setting)!.flag;
      throw new ConfigError(`--${flag}: cannot read ${path}: ${(err as Error).message}`);
    }
    const read = native.parse(text, path, new Set(byNative.keys()));
    for (const { name, value, where } of read.values) {
      const d = byNative.get(name);
      // A value set in Junction's own file, env or flags wins over the original's file.
      if (d && !this.origins.has(d)) this.set(d, value, where);
    }
    return read.warnings.map((warning) => ({ file: path, warning }));
  }
}

function readConfigFile(file: string): Raw {
  let parsed: unknown;
  try { parsed = JSON.parse(readFileSync(file, 'utf8')); } catch (e) {
    throw new ConfigError(`config file ${file}: ${(e as Error).message}`);
  }
  if (!isObject(parsed)) throw new ConfigError(`config file ${file}: expected a JSON object of settings`);
  return parsed;
}

/** A misspelt key would otherwise be ignored silently and the default used. */
function checkKnownKeys(parsed: Raw, source: string, all: Declared[]): void {
  const known = new Set(all.map((d) => d.fileKey));
  const sections = new Set(all.map((d) => d.group.section).filter(Boolean));
  const refuse = (path: string) => {
    throw new ConfigError(`config file ${source}: unknown setting ${JSON.stringify(path)} (known: ${[...known].join(', ')})`);
  };
  for (const [key, value] of Object.entries(parsed)) {
    if (known.has(key)) continue;
    if (!sections.has(key)) refuse(key);
    if (!isObject(value)) throw new ConfigError(`config file ${source}: ${key}: expected an object of ${key} settings`);
    for (const inner of Object.keys(value)) if (!known.has(`${key}.${inner}`)) refuse(`${key}.${inner}`);
  }
}

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
 * JUNCTION_CONFIG) < JUNCTION_* environment < flags. Every value is parsed by its declaration and every group's
 * cross-checks run; a bad value is a ConfigError naming where it came from.
 */
export function loadSettings(groups: readonly SettingsGroup<object>[], flags: FlagValues,
  env: NodeJS.ProcessEnv, given?: GivenSettings): LoadedSettings {
  const all = groups.flatMap(declared);
  const sections = new Map<string, Record<string, unknown>>(groups.map((g) => [g.section, defaultsOf(g) as Raw]));
  const origins = new Map<Declared, string>();
  const set = (d: Declared, raw: unknown, origin: string) => {
    try {
      sections.get(d.group.section)![d.key] = d.spec.parse(raw);
    } catch (err) {
      if (err instanceof SettingProblem) throw new ConfigError(`${origin}: ${err.message}`);
      throw err;
    }
    origins.set(d, origin);
  };

  const fromObject = (parsed: Raw, source: string) => {
    checkKnownKeys(parsed, source, all);
    for (const d of all) {
      const v = d.group.section ? (parsed[d.group.section] as Raw | undefined)?.[d.key] : parsed[d.key];
      if (v !== undefined) set(d, v, `${source}: ${d.fileKey}`);
    }
  };
  if (given) fromObject(given.settings, given.source);
  const file = (flags.config as string | undefined) ?? (env.JUNCTION_CONFIG || undefined);
  if (file) fromObject(readConfigFile(file), file);
  for (const d of all) {
    const v = env[d.env];
    if (v !== undefined && v !== '') set(d, v, d.env);
  }
  for (const d of all) {
    const v = flags[d.flag];
    if (v !== undefined) set(d, v, `--${d.flag}`);
  }

  const warnings: LoadedSettings['warnings'] = [];
  for (const group of groups) {
    const native = group.nativeFile;
    const path = native && (sections.get(group.section)![native.setting] as string);
    if (!native || !path) continue;
    const mine = all.filter((d) => d.group === group);
    const byNative = new Map(mine.filter((d) => d.spec.native).map((d) => [d.spec.native!, d]));
    const read = native.read(path, new Set(byNative.keys()));
    for (const w of read.warnings) warnings.push({ file: path, warning: w });
    for (const { name, value, where } of read.values) {
      const d = byNative.get(name);
      // A value set in Junction's own file, env or flags wins over the original's file.
      if (d && !origins.has(d)) set(d, value, where);
    }
  }

  for (const group of groups) {
    const where = (key: string) => {
      const d = all.find((x) => x.group === group && x.key === key)!;
      return origins.get(d) ?? `${d.fileKey} (default)`;
    };
    group.check?.(sections.get(group.section)!, where);
  }
  return { sections, warnings };
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

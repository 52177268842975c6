/**
 * One setting's declaration: its default, how a raw value is read and checked, and the words the
 * start usage and README show. A personality declares its settings in its own folder with these
 * builders (see src/zk/settings.ts); core composes them into flags, environment variables, config
 * file keys and the usage text (core/settings/compose.ts), so a setting is declared exactly once.
 */

/** A raw value cannot be used; the loader prefixes where it came from (flag, env, file:line). */
export class SettingProblem extends Error {}

export interface SettingSpec<T> {
  readonly default: T;
  /** One line for usage and README: what the setting does. */
  readonly help: string;
  /** Value placeholder in usage text (MS, N, FILE …); booleans take none. */
  readonly arg: string | null;
  /** Flag without dashes when the derived one (section-key in kebab case) is not wanted. */
  readonly flag?: string;
  /** The setting's name in the original's own config file (zoo.cfg …), when it has one. */
  readonly native?: string;
  /** README's default cell when the value alone would mislead (e.g. "2× tick"). */
  readonly defaultText?: string;
  /** A listening port (tests and probes set every one to 0 or a free port). */
  readonly isPort?: boolean;
  /** Convert a string (flag, env, native file) or a JSON value (config file) and check it. */
  parse(raw: unknown): T;
}

interface Common<T> { default: T; help: string; flag?: string; native?: string; defaultText?: string; arg?: string }

function describe(raw: unknown): string { return JSON.stringify(raw); }

/** A whole number, optionally bounded. */
export function int(o: Common<number> & { min?: number; max?: number }): SettingSpec<number> {
  return {
    ...o, arg: o.arg ?? 'N',
    parse(raw) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
      if (!Number.isInteger(n) || (typeof raw === 'string' && raw.trim() === '')) {
        throw new SettingProblem(`expected a whole number, got ${describe(raw)}`);
      }
      if (o.min !== undefined && n < o.min) throw new SettingProblem(`must be at least ${o.min}, got ${n}`);
      if (o.max !== undefined && n > o.max) throw new SettingProblem(`must be at most ${o.max}, got ${n}`);
      return n;
    },
  };
}

/** A TCP port; 0 lets the system pick one (tests use it). */
export function port(defaultPort: number, help: string, o: { native?: string } = {}): SettingSpec<number> {
  const spec = int({ ...o, default: defaultPort, help, arg: 'PORT' });
  return {
    ...spec, isPort: true,
    parse(raw) {
      const n = spec.parse(raw);
      if (n < 0 || n > 65535) throw new SettingProblem(`${n} is outside 0..65535`);
      return n;
    },
  };
}

export function bool(o: Omit<Common<boolean>, 'arg'>): SettingSpec<boolean> {
  return {
    ...o, arg: null,
    parse(raw) {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      throw new SettingProblem(`expected true or false, got ${describe(raw)}`);
    },
  };
}

/** Free text, optionally checked by `check` (which returns a problem or null). */
export function text(o: Common<string> & { check?: (value: string) => string | null }): SettingSpec<string> {
  return {
    ...o, arg: o.arg ?? 'TEXT',
    parse(raw) {
      if (typeof raw !== 'string' && typeof raw !== 'number') throw new SettingProblem(`expected text, got ${describe(raw)}`);
      const value = String(raw);
      const problem = value === '' ? null : o.check?.(value) ?? null;
      if (problem !== null) throw new SettingProblem(problem);
      return value;
    },
  };
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(values: readonly T[], o: Common<T>): SettingSpec<T> {
  return {
    ...o, arg: o.arg ?? values.join('|'),
    parse(raw) {
      const s = String(raw);
      if (!values.includes(s as T)) {
        const list = values.length === 2 ? values.join(' or ') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
        throw new SettingProblem(`expected ${list}, got ${describe(raw)}`);
      }
      return s as T;
    },
  };
}

/** A comma-separated list (or a JSON array in the config file), each item checked by `check`. */
export function list(o: Common<string[]> & { check?: (item: string) => string | null }): SettingSpec<string[]> {
  return {
    ...o, arg: o.arg ?? 'LIST',
    parse(raw) {
      const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',').map((s) => s.trim()).filter(Boolean);
      for (const item of items) {
        const problem = o.check?.(item) ?? null;
        if (problem !== null) throw new SettingProblem(problem);
      }
      return items;
    },
  };
}

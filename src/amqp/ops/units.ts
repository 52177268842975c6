import { SettingProblem, type SettingSpec } from '../../core/settings/spec.js';

/** rabbit_resource_monitor_misc:parse_information_unit (3.10.8): k/K/kiB/KiB/KIB/kib = 1024,
 *  KB/kB/kb/Kb = 1000, likewise m/M… and g/G…; a bare integer is bytes. */
const UNIT = /^([0-9]+)(kB|KB|MB|GB|kb|mb|gb|Kb|Mb|Gb|kiB|KiB|MiB|GiB|kib|mib|gib|KIB|MIB|GIB|k|K|m|M|g|G)?$/;
const MULTIPLIER: Record<string, number> = {
  k: 1024, kiB: 1024, K: 1024, KIB: 1024, kib: 1024, KiB: 1024,
  m: 1024 ** 2, MiB: 1024 ** 2, M: 1024 ** 2, MIB: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, GiB: 1024 ** 3, G: 1024 ** 3, GIB: 1024 ** 3, gib: 1024 ** 3,
  KB: 1000, kB: 1000, kb: 1000, Kb: 1000, MB: 1e6, mB: 1e6, mb: 1e6, Mb: 1e6, GB: 1e9, gB: 1e9, gb: 1e9, Gb: 1e9,
};

/** Bytes from RabbitMQ's information-unit syntax ("50MB", "2GiB", "1000000"), or null. */
export function parseInformationUnit(raw: string): number | null {
  const m = UNIT.exec(raw.trim());
  if (!m) return null;
  return Number(m[1]) * (m[2] ? MULTIPLIER[m[2]]! : 1);
}

interface Common<T> { default: T; help: string; native?: string; defaultText?: string; arg?: string }

/** A byte count in RabbitMQ's units; 0 allowed where the help says what it means. */
export function byteSize(o: Common<number>): SettingSpec<number> {
  return {
    ...o, arg: o.arg ?? 'BYTES',
    parse(raw) {
      const n = typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : parseInformationUnit(String(raw));
      if (n === null) throw new SettingProblem(`expected bytes (an integer or with a unit: 500MB, 500MiB, 2GB, 2GiB), got ${JSON.stringify(raw)}`);
      return n;
    },
  };
}

/** A decimal number within [min, max] (RabbitMQ's relative watermarks are floats). */
export function decimal(o: Common<number> & { min: number; max: number }): SettingSpec<number> {
  return {
    ...o, arg: o.arg ?? 'RATIO',
    parse(raw) {
      const n = typeof raw === 'number' ? raw : /^\s*\d+(\.\d+)?\s*$/.test(String(raw)) ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw new SettingProblem(`expected a decimal number, got ${JSON.stringify(raw)}`);
      if (n < o.min || n > o.max) throw new SettingProblem(`must be within ${o.min}..${o.max}, got ${n}`);
      return n;
    },
  };
}

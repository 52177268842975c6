import { ConfigError } from '../../core/errors.js';
import type { NativeValue } from '../../core/settings/group.js';

/**
 * rabbitmq.conf (cuttlefish's sysctl-like format): one `key = value` per line, `#` starts a
 * comment (a whole line, or after the value), blank lines skipped; a repeated key keeps its last
 * value. RabbitMQ refuses to start on a key its schemas do not know; Junction, which maps only
 * what it implements, warns instead and starts.
 */
export function parseConfLines(text: string, file: string): Map<string, { value: string; where: string }> {
  const out = new Map<string, { value: string; where: string }>();
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? '' : line.slice(0, eq).trim();
    if (eq < 0 || key === '' || /\s/.test(key)) {
      throw new ConfigError(`${file}:${i + 1}: expected "key = value", got ${JSON.stringify(raw.trim())}`);
    }
    out.set(key, { value: line.slice(eq + 1).trim(), where: `${file}:${i + 1}: ${key}` });
  });
  return out;
}

/** listeners.tcp.default = 5672 | 127.0.0.1:5672 | :::5672 — the port (the address is not Junction's to take). */
function listenerPort(value: string, where: string, warn: (w: string) => void): string {
  const m = /^(?:(.*):)?(\d+)$/.exec(value);
  if (!m) throw new ConfigError(`${where}: expected a port or host:port, got ${JSON.stringify(value)}`);
  if (m[1]) warn(`listeners.tcp.default: address ${m[1]} ignored, Junction listens on its --bind address`);
  return m[2]!;
}

/** A conf key whose value needs RabbitMQ's reading before the declaration checks it. */
const READERS: Record<string, (value: string, where: string, warn: (w: string) => void) => string> = {
  'listeners.tcp.default': listenerPort,
};

/** Read but not applied, with the reason. */
const NOT_APPLIED: [RegExp, string][] = [
  [/^default_(user|pass|permissions\..*|user_tags\..*)$/, 'ignored, users come from Junction\'s user store (--auth, junction users)'],
  [/^loopback_users(\..*)?$/, 'ignored, Junction has no loopback-only users'],
  [/^(log|cluster_formation|cluster_partition_handling|cluster_name)(\..*)?$/, 'ignored, Junction logs its own way and runs a single node'],
  [/^listeners\.(ssl|tcp)\..*$/, 'ignored, Junction serves one plain AMQP listener (listeners.tcp.default)'],
  [/^management\..*$/, 'ignored, only management.tcp.port is applied'],
];

/**
 * A rabbitmq.conf's values for the declared settings (`declared` = their rabbitmq.conf names);
 * keys Junction does not apply come back as warnings. A malformed line throws ConfigError naming
 * file and line; values are checked by each setting's declaration (the loader names the line).
 */
export function parseRabbitmqConf(text: string, file: string, declared: ReadonlySet<string>): { values: NativeValue[]; warnings: string[] } {
  const values: NativeValue[] = [];
  const warnings: string[] = [];
  for (const [key, { value, where }] of parseConfLines(text, file)) {
    if (declared.has(key)) {
      const read = READERS[key];
      values.push({ name: key, value: read ? read(value, where, (w) => warnings.push(w)) : value, where });
      continue;
    }
    const reason = NOT_APPLIED.find(([re]) => re.test(key))?.[1];
    warnings.push(`${key}: ${reason ?? 'unknown or unsupported setting, ignored'}`);
  }
  return { values, warnings };
}

import { isIP } from 'node:net';
import { ConfigError } from './errors.js';
import type { FsyncPolicy } from './log/types.js';
import type { Personality } from './personality.js';
import { defineSettings, type SettingsGroup } from './settings/group.js';
import { loadSettings, type FlagValues, type GivenSettings } from './settings/load.js';
import { bool, int, list, oneOf, port, text } from './settings/spec.js';

/** Core's own settings: storage, listening, logging, the admin port and the shared user store. */
export interface CoreSettings {
  dataDir: string;
  bind: string;
  auth: boolean;
  fsync: FsyncPolicy;
  /** Personalities to run (registry names). */
  enabled: string[];
  adminPort: number;
  /** Every HTTP port: ms to receive a whole request, body included (0 = none). */
  httpRequestTimeout: number;
  /** Every HTTP port: connections per client address (0 = no limit). */
  httpMaxConnectionsPerIp: number;
  logLevel: string;
  /** auto: readable lines on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'json' | 'pretty';
  /** Seconds an access token lives (Nacos: nacos.core.auth.plugin.nacos.token.expire.seconds). */
  tokenTtlSeconds: number;
  /** 'generate': first start creates the admin (JUNCTION_ADMIN_PASSWORD or a generated one).
   *  'api': leave it to Nacos 2.4's first-login endpoint POST /v1/auth/users/admin. */
  adminInit: 'generate' | 'api';
  /** Name of the initial global admin (Nacos's built-in admin is `nacos`). */
  adminUser: string;
}

/** Everything `junction start` runs with: core's settings and each personality's own. */
export interface JunctionConfig extends CoreSettings {
  /** Settings of every registered personality, by name (enabled or not). */
  personalities: Record<string, object>;
  /** Keys of an original's config file (zoo.cfg …) read but not applied, logged at start. */
  warnings: { file: string; warning: string }[];
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address) || address === '::ffff:127.0.0.1';
}

/** Core's declarations; `enable` takes its names (and its default) from the registry. */
export function coreSettings(personalities: readonly string[]): SettingsGroup<CoreSettings> {
  return defineSettings<CoreSettings>({
    section: '',
    title: 'Core',
    specs: {
      dataDir: text({ default: './data', arg: 'DIR', help: 'embedded storage (see docs/storage.md)' }),
      bind: text({
        default: '127.0.0.1', arg: 'ADDR', help: 'listen address of every port; a non-loopback one needs --auth',
        check: (v) => (isIP(v) === 0 && v !== 'localhost' ? `${JSON.stringify(v)} is not an IP address` : null),
      }),
      auth: bool({
        default: false,
        help: 'require credentials of the shared user store: Nacos auth (tokens, roles, permissions); ZooKeeper ' +
          'clients must `addauth digest user:password` first (enforce.auth.enabled); Kafka clients must log in with SASL ' +
          'PLAIN or SCRAM-SHA-256/512 (SASL_PLAINTEXT) and need `kafka:topic:…`/`kafka:group:…` permissions; admin API needs a global admin',
      }),
      fsync: oneOf(['always', 'batch', 'never'] as const, {
        default: 'batch',
        help: 'always: every flush cycle is fdatasynced at once; batch: a cycle waits up to 2 ms to gather writes (ZooKeeper and Kafka partitions: no wait), ' +
          'then fdatasyncs (both acknowledge only after fdatasync: power-loss safe); never: acknowledge after ' +
          'write() (survives kill -9, not power loss)',
      }),
      enabled: list({
        default: [...personalities], flag: 'enable', arg: 'LIST', defaultText: personalities.join(','),
        help: 'personalities to run (comma list)',
        check: (name) => (personalities.includes(name) ? null
          : `unknown personality ${JSON.stringify(name)} (known: ${personalities.join(', ')})`),
      }),
      adminPort: port(9464, 'admin: Prometheus /metrics, /health, JSON admin API /api/*'),
      httpRequestTimeout: int({
        default: 30_000, min: 0, arg: 'MS',
        help: 'every HTTP port: a request (headers and body) must arrive whole within this, or the connection is closed (0 = never)',
      }),
      httpMaxConnectionsPerIp: int({
        default: 1024, min: 0, help: 'every HTTP port: connections one client address may hold (0 = no limit)',
      }),
      logLevel: oneOf(LOG_LEVELS, { default: 'info', arg: 'LEVEL', help: 'log level' }),
      logFormat: oneOf(['auto', 'json', 'pretty'] as const, {
        default: 'auto', help: 'auto: readable lines on a terminal, JSON lines otherwise',
      }),
      tokenTtlSeconds: int({ default: 18000, min: 1, flag: 'token-ttl', arg: 'SECONDS', help: 'access-token lifetime' }),
      adminInit: oneOf(['generate', 'api'] as const, {
        default: 'generate',
        help: 'generate: with --auth, the first start creates the admin with JUNCTION_ADMIN_PASSWORD or a generated ' +
          'password written to <data-dir>/auth/initial-admin-password; api: leave it to Nacos 2.4\'s first-login endpoint',
      }),
      adminUser: text({
        default: 'nacos', arg: 'NAME', help: 'name of the initial global admin',
        check: (v) => (/^[A-Za-z0-9_.@-]{1,64}$/.test(v) ? null : `invalid name ${JSON.stringify(v)}`),
      }),
    },
    check(values, where) {
      if (values.dataDir === '') throw new ConfigError(`${where('dataDir')}: must not be empty`);
      if (!values.auth && !isLoopback(values.bind)) {
        throw new ConfigError(
          `${where('bind')}: refusing to listen on ${values.bind} with auth disabled — anyone who can reach it could ` +
          'read and change every config and registration. Enable auth (--auth) or bind a loopback address (127.0.0.1, ::1).');
      }
    },
  });
}

/** Every settings group, core's first, in registry order: what the loader, usage and README use. */
export function settingsGroups(registry: readonly Personality[]): SettingsGroup<object>[] {
  return [coreSettings(registry.map((p) => p.name)) as SettingsGroup<object>, ...registry.map((p) => p.settings as SettingsGroup<object>)];
}

/**
 * One configuration from defaults < a personality's native file (zoo.cfg) < settings given as an
 * object < --config FILE (JSON) < JUNCTION_* environment < flags, validated at start: a bad value stops the server with a message
 * naming where it came from.
 */
export function loadConfig(registry: readonly Personality[], flags: FlagValues, env: NodeJS.ProcessEnv = process.env,
  given?: GivenSettings): JunctionConfig {
  const { sections, warnings } = loadSettings(settingsGroups(registry), flags, env, given);
  const personalities: Record<string, object> = {};
  for (const p of registry) personalities[p.name] = sections.get(p.name)!;
  return { ...(sections.get('') as unknown as CoreSettings), personalities, warnings };
}

/** The defaults, as loadConfig gives them with nothing set (tests start from these). */
export function defaultConfig(registry: readonly Personality[]): JunctionConfig {
  return loadConfig(registry, {}, {});
}

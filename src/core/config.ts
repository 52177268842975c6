import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ConfigError } from './errors.js';
import type { FsyncPolicy } from './log/types.js';

/**
 * One configuration from defaults < config file (JSON) < JUNCTION_* environment < flags,
 * validated at start: a bad value stops the server with a message naming the setting.
 */
export type Personality = 'nacos' | 'zk' | 'kafka' | 'amqp';
export const PERSONALITIES: readonly Personality[] = ['nacos', 'zk', 'kafka', 'amqp'];
/** Personalities this build can serve; the others only reserve their port settings. */
export const IMPLEMENTED: readonly Personality[] = ['nacos', 'zk'];

export interface JunctionConfig {
  dataDir: string;
  bind: string;
  ports: { nacos: number; nacosGrpc: number; zk: number; kafka: number; amqp: number; mgmt: number; admin: number };
  enabled: Personality[];
  auth: boolean;
  fsync: FsyncPolicy;
  logLevel: string;
  /** Seconds a Nacos access token lives (Nacos: nacos.core.auth.plugin.nacos.token.expire.seconds). */
  tokenTtlSeconds: number;
  /** 'generate': first start creates the admin (JUNCTION_ADMIN_PASSWORD or a printed random one).
   *  'api': leave it to Nacos 2.4's first-login endpoint POST /v1/auth/users/admin. */
  adminInit: 'generate' | 'api';
  /** Name of the initial global admin (Nacos's built-in admin is `nacos`). */
  adminUser: string;
  nacos: { maxContentBytes: number; snapshotEvery: number };
  /** ZooKeeper personality; zoo.cfg names in comments. A zoo.cfg given with --zk-config fills these. */
  zk: {
    /** --zk-config: a zoo.cfg read at start ('' = none). */
    configFile: string;
    tickTime: number;
    /** minSessionTimeout / maxSessionTimeout in ms; 0 = ZooKeeper's default 2× / 20× tickTime. */
    minSessionTimeout: number;
    maxSessionTimeout: number;
    maxClientCnxns: number;
    snapCount: number;
    /** autopurge.snapRetainCount, autopurge.purgeInterval (hours, 0 = off) */
    snapRetainCount: number;
    purgeInterval: number;
    /** 4lw.commands.whitelist (comma list, '*' = all) */
    fourLetterWords: string;
    /** jute.maxbuffer */
    juteMaxBuffer: number;
    /** zookeeper.extendedTypesEnabled (TTL nodes) */
    extendedTypes: boolean;
    /** zookeeper.DigestAuthenticationProvider.superDigest ('' = none) */
    superDigest: string;
    /** znode.container.checkIntervalMs: how often empty containers and expired TTL nodes are removed */
    containerCheckMs: number;
  };
}

export const DEFAULTS: JunctionConfig = {
  dataDir: './data',
  bind: '127.0.0.1',
  ports: { nacos: 8848, nacosGrpc: 9848, zk: 2181, kafka: 9092, amqp: 5672, mgmt: 15672, admin: 9464 },
  enabled: [...IMPLEMENTED],
  auth: false,
  fsync: 'batch',
  logLevel: 'info',
  tokenTtlSeconds: 18000,
  adminInit: 'generate',
  adminUser: 'nacos',
  // Nacos: nacos.config.max-content default 10 MiB
  nacos: { maxContentBytes: 10 * 1024 * 1024, snapshotEvery: 50_000 },
  // ZooKeeper 3.8 defaults (zoo_sample.cfg tickTime; ZooKeeperServer / NIOServerCnxnFactory defaults)
  zk: {
    configFile: '', tickTime: 2000, minSessionTimeout: 0, maxSessionTimeout: 0, maxClientCnxns: 60,
    snapCount: 100_000, snapRetainCount: 3, purgeInterval: 0, fourLetterWords: 'srvr',
    juteMaxBuffer: 0xfffff, extendedTypes: true, superDigest: '', containerCheckMs: 60_000,
  },
};

/** Flat setting names shared by flags (--data-dir), env (JUNCTION_DATA_DIR) and the file (dataDir). */
const SETTINGS = {
  'data-dir': 'dataDir', bind: 'bind', auth: 'auth', fsync: 'fsync', 'log-level': 'logLevel',
  'nacos-port': 'ports.nacos', 'nacos-grpc-port': 'ports.nacosGrpc', 'zk-port': 'ports.zk',
  'kafka-port': 'ports.kafka', 'amqp-port': 'ports.amqp', 'mgmt-port': 'ports.mgmt',
  'admin-port': 'ports.admin', enable: 'enabled', 'token-ttl': 'tokenTtlSeconds',
  'admin-init': 'adminInit', 'admin-user': 'adminUser',
  'nacos-max-content': 'nacos.maxContentBytes', 'nacos-snapshot-every': 'nacos.snapshotEvery',
  'zk-config': 'zk.configFile', 'zk-tick-time': 'zk.tickTime', 'zk-min-session-timeout': 'zk.minSessionTimeout',
  'zk-max-session-timeout': 'zk.maxSessionTimeout', 'zk-max-client-cnxns': 'zk.maxClientCnxns',
  'zk-snap-count': 'zk.snapCount', 'zk-snap-retain-count': 'zk.snapRetainCount', 'zk-purge-interval': 'zk.purgeInterval',
  'zk-4lw-whitelist': 'zk.fourLetterWords', 'zk-jute-maxbuffer': 'zk.juteMaxBuffer',
  'zk-extended-types': 'zk.extendedTypes', 'zk-super-digest': 'zk.superDigest', 'zk-container-check-ms': 'zk.containerCheckMs',
} as const;
export type SettingFlag = keyof typeof SETTINGS;
export const SETTING_FLAGS = Object.keys(SETTINGS) as SettingFlag[];

type Raw = Record<string, unknown>;

export function loadConfig(flags: Partial<Record<SettingFlag | 'config', string | boolean>>, env: NodeJS.ProcessEnv = process.env): JunctionConfig {
  const cfg: JunctionConfig = structuredClone(DEFAULTS);
  const file = (flags.config as string | undefined) ?? env.JUNCTION_CONFIG;
  if (file) {
    let parsed: Raw;
    try { parsed = JSON.parse(readFileSync(file, 'utf8')) as Raw; } catch (e) {
      throw new ConfigError(`config file ${file}: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigError(`config file ${file}: expected a JSON object of settings`);
    }
    checkKnownKeys(parsed, file);
    for (const [flag, path] of Object.entries(SETTINGS)) {
      const v = getPath(parsed, path);
      if (v !== undefined) setSetting(cfg, flag as SettingFlag, v, `${file}: ${path}`);
    }
  }
  for (const flag of SETTING_FLAGS) {
    const name = `JUNCTION_${flag.toUpperCase().replace(/-/g, '_')}`;
    if (env[name] !== undefined && env[name] !== '') setSetting(cfg, flag, env[name], name);
  }
  for (const flag of SETTING_FLAGS) {
    if (flags[flag] !== undefined) setSetting(cfg, flag, flags[flag], `--${flag}`);
  }
  validate(cfg);
  return cfg;
}

/** A misspelt key would otherwise be ignored silently and the default used. */
function checkKnownKeys(obj: Raw, file: string, prefix = ''): void {
  const known = Object.values(SETTINGS) as string[];
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix + key;
    if (known.includes(path)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && known.some((k) => k.startsWith(`${path}.`))) {
      checkKnownKeys(value as Raw, file, `${path}.`);
      continue;
    }
    throw new ConfigError(`config file ${file}: unknown setting ${JSON.stringify(path)} (known: ${known.join(', ')})`);
  }
}

function getPath(obj: Raw, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Raw)[k] : undefined), obj);
}

function setSetting(cfg: JunctionConfig, flag: SettingFlag, value: unknown, origin: string): void {
  const path = SETTINGS[flag];
  const parts = path.split('.');
  let target = cfg as unknown as Raw;
  for (const p of parts.slice(0, -1)) target = target[p] as Raw;
  const key = parts[parts.length - 1]!;
  const current = target[key];
  if (typeof current === 'number') target[key] = toInt(value, origin);
  else if (typeof current === 'boolean') target[key] = toBool(value, origin);
  else if (Array.isArray(current)) target[key] = toList(value, origin);
  else target[key] = String(value);
}

function toInt(value: unknown, origin: string): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n)) throw new ConfigError(`${origin}: expected a whole number, got ${JSON.stringify(value)}`);
  return n;
}

function toBool(value: unknown, origin: string): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off'].includes(s)) return false;
  throw new ConfigError(`${origin}: expected true or false, got ${JSON.stringify(value)}`);
}

function toList(value: unknown, origin: string): Personality[] {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!PERSONALITIES.includes(item as Personality)) {
      throw new ConfigError(`${origin}: unknown personality ${JSON.stringify(item)} (known: ${PERSONALITIES.join(', ')})`);
    }
  }
  return items as Personality[];
}

function validate(cfg: JunctionConfig): void {
  for (const [name, port] of Object.entries(cfg.ports)) {
    if (port < 0 || port > 65535) throw new ConfigError(`port ${name}: ${port} is outside 0..65535`);
  }
  if (!['always', 'batch', 'never'].includes(cfg.fsync)) {
    throw new ConfigError(`fsync: expected always, batch or never, got ${JSON.stringify(cfg.fsync)}`);
  }
  if (!['generate', 'api'].includes(cfg.adminInit)) {
    throw new ConfigError(`admin-init: expected generate or api, got ${JSON.stringify(cfg.adminInit)}`);
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(cfg.logLevel)) {
    throw new ConfigError(`log-level: unknown level ${JSON.stringify(cfg.logLevel)}`);
  }
  if (isIP(cfg.bind) === 0 && cfg.bind !== 'localhost') {
    throw new ConfigError(`bind: ${JSON.stringify(cfg.bind)} is not an IP address`);
  }
  if (!cfg.auth && !isLoopback(cfg.bind)) {
    throw new ConfigError(
      `bind: refusing to listen on ${cfg.bind} with auth disabled — anyone who can reach it could read and change ` +
      `every config and registration. Enable auth (--auth) or bind a loopback address (127.0.0.1, ::1).`);
  }
  if (cfg.tokenTtlSeconds <= 0) throw new ConfigError(`token-ttl: must be positive, got ${cfg.tokenTtlSeconds}`);
  if (cfg.nacos.maxContentBytes <= 0) throw new ConfigError(`nacos-max-content: must be positive`);
  if (cfg.nacos.snapshotEvery <= 0) throw new ConfigError(`nacos-snapshot-every: must be positive`);
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(cfg.adminUser)) throw new ConfigError(`admin-user: invalid name ${JSON.stringify(cfg.adminUser)}`);
}

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address) || address === '::ffff:127.0.0.1';
}

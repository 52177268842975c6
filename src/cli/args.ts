import { parseArgs } from 'node:util';
import { JunctionError } from '../core/errors.js';

/** A command line the CLI cannot act on: exit code 2 and the command's usage text. */
export class UsageError extends JunctionError {
  constructor(message: string, readonly usage: string) { super('USAGE', message); }
}

/** `--help` on any command: usage already printed, exit 0. */
export class HelpShown extends JunctionError {
  constructor() { super('HELP', 'help shown'); }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Options every client command understands; env vars let scripts set them once. */
const GLOBAL_OPTIONS: OptionSpec = {
  server: { type: 'string' },
  admin: { type: 'string' },
  username: { type: 'string', short: 'u' },
  password: { type: 'string', short: 'p' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface Connection {
  /** Nacos open API base, e.g. http://127.0.0.1:8848 */
  server: string;
  /** Junction admin API base, e.g. http://127.0.0.1:9464 */
  admin: string;
  username?: string;
  password?: string;
}

/** One parsed command line: typed accessors that turn bad input into UsageErrors. */
export class Args {
  constructor(
    private readonly values: Record<string, string | boolean | string[] | undefined>,
    readonly positionals: string[],
    readonly usage: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  string(name: string, fallback?: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : fallback;
  }

  flag(name: string): boolean { return this.values[name] === true; }

  /** A repeatable option's values (declared with `multiple: true`), in command-line order. */
  strings(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  }

  int(name: string, fallback: number): number {
    const v = this.string(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new UsageError(`--${name}: expected a whole number, got ${JSON.stringify(v)}`, this.usage);
    return n;
  }

  /** The i-th positional argument, or the named option as an alternative spelling. */
  required(index: number, what: string, option?: string): string {
    const v = this.positionals[index] ?? (option ? this.string(option) : undefined);
    if (v === undefined || v === '') throw new UsageError(`missing ${what}`, this.usage);
    return v;
  }

  get json(): boolean { return this.flag('json'); }

  connection(): Connection {
    return {
      server: normaliseBase(this.string('server') ?? this.env.JUNCTION_SERVER ?? 'http://127.0.0.1:8848'),
      admin: normaliseBase(this.string('admin') ?? this.env.JUNCTION_ADMIN ?? 'http://127.0.0.1:9464'),
      username: this.string('username') ?? nonEmpty(this.env.JUNCTION_USERNAME),
      password: this.string('password') ?? nonEmpty(this.env.JUNCTION_PASSWORD),
    };
  }
}

/**
 * Parse argv strictly (unknown options and stray positionals are usage errors) with the
 * global options added. `--help` prints the usage and ends the command successfully.
 */
export function parse(argv: string[], options: OptionSpec, usage: string, maxPositionals: number,
  env: NodeJS.ProcessEnv = process.env): Args {
  let parsed: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true }) as
      typeof parsed;
  } catch (err) {
    throw new UsageError((err as Error).message, usage);
  }
  if (parsed.values.help === true) {
    process.stdout.write(usage);
    throw new HelpShown();
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`, usage);
  }
  return new Args(parsed.values, parsed.positionals, usage, env);
}

function nonEmpty(v: string | undefined): string | undefined { return v === undefined || v === '' ? undefined : v; }

/** Accept `host:port` as well as a URL, and drop a trailing slash. */
function normaliseBase(base: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(base) ? base : `http://${base}`;
  return withScheme.replace(/\/+$/, '');
}

/** Read all of stdin as UTF-8 (for `--password-stdin` and `--file -`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

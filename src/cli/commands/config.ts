import { readFileSync } from 'node:fs';
import { parse, readStdin, UsageError, type Args } from '../args.js';
import { NacosClient, parseJson, RemoteError } from '../http.js';
import { formatTime, printJson, printLine, printTable } from '../output.js';
import { configKey, describe, keyParams, type ConfigKey } from './config-key.js';
import { listenConfig, LISTEN_OPTIONS } from './listen.js';

export const CONFIG_USAGE = `usage: junction nacos config <get|set|delete|history|listen> <dataId> [options]

  get <dataId>                 print the content
  set <dataId> [content]       publish content (or --file F, --file - for stdin)
  delete <dataId>              remove the config
  history <dataId> [--id N]    list past versions (newest first), or print version N's content
  listen <dataId>              print the content each time it changes, until Ctrl-C

options:
  --group G          group (default DEFAULT_GROUP)
  --tenant T         namespace id (alias --namespace; default: public)
  --type T           set: content type (text, json, yaml, properties, xml, html)
  --file F           set: read the content from file F ('-' = stdin)
  --page N --page-size N   history paging (default 1 / 100)
  --once             listen: exit after the first change
  --timeout MS       listen: long-poll timeout sent as Long-Pulling-Timeout (default 30000)
  --server URL       Nacos address (env JUNCTION_SERVER, default http://127.0.0.1:8848)
  -u, --username U / -p, --password P   credentials (env JUNCTION_USERNAME / JUNCTION_PASSWORD)
  --json             JSON output
`;

const KEY_OPTIONS = { group: { type: 'string' }, tenant: { type: 'string' }, namespace: { type: 'string' } } as const;

const CONFIGS = '/nacos/v1/cs/configs';

export async function configCommand(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  const opts = { ...KEY_OPTIONS, 'data-id': { type: 'string' } } as const;
  switch (verb) {
    case 'get': return configGet(parse(rest, opts, CONFIG_USAGE, 1));
    case 'set': return configSet(parse(rest, { ...opts, type: { type: 'string' }, file: { type: 'string' },
      content: { type: 'string' } }, CONFIG_USAGE, 2));
    case 'delete': return configDelete(parse(rest, opts, CONFIG_USAGE, 1));
    case 'history': return configHistory(parse(rest, { ...opts, page: { type: 'string' }, 'page-size': { type: 'string' },
      id: { type: 'string' } }, CONFIG_USAGE, 1));
    case 'listen': return listenConfig(parse(rest, { ...opts, ...LISTEN_OPTIONS }, CONFIG_USAGE, 1));
    default: throw new UsageError(verb ? `unknown config command ${JSON.stringify(verb)}` : 'missing config command', CONFIG_USAGE);
  }
}

async function configGet(args: Args): Promise<void> {
  const key = configKey(args);
  const client = new NacosClient(args.connection());
  const answer = await client.request('GET', CONFIGS, keyParams(key));
  if (args.json) {
    printJson({ ...key, type: answer.headers.get('config-type') ?? undefined, md5: answer.headers.get('content-md5') ?? undefined,
      content: answer.text });
  } else {
    process.stdout.write(answer.text.endsWith('\n') || answer.text === '' ? answer.text : `${answer.text}\n`);
  }
}

async function configSet(args: Args): Promise<void> {
  const key = configKey(args);
  const content = await contentOf(args);
  const client = new NacosClient(args.connection());
  await client.request('POST', CONFIGS, { ...keyParams(key), content, type: args.string('type') });
  if (args.json) printJson({ ok: true, ...key });
  else printLine(`published ${describe(key)}`);
}

async function contentOf(args: Args): Promise<string> {
  const sources = [args.positionals[1], args.string('content'), args.string('file')].filter((s) => s !== undefined);
  if (sources.length !== 1) throw new UsageError('give the content exactly once: as an argument, --content or --file', args.usage);
  const file = args.string('file');
  if (file === undefined) return sources[0]!;
  try {
    return file === '-' ? await readStdin() : readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--file ${file}: ${(err as Error).message}`, args.usage);
  }
}

async function configDelete(args: Args): Promise<void> {
  const key = configKey(args);
  const client = new NacosClient(args.connection());
  await client.request('DELETE', CONFIGS, keyParams(key));
  if (args.json) printJson({ ok: true, ...key });
  else printLine(`deleted ${describe(key)}`);
}

interface HistoryItem { id: string | number; dataId: string; group: string; opType?: string; srcUser?: string; srcIp?: string;
  md5?: string; lastModifiedTime?: unknown; createdTime?: unknown }
interface HistoryPage { totalCount: number; pageNumber?: number; pagesAvailable?: number; pageItems: HistoryItem[] }

async function configHistory(args: Args): Promise<void> {
  const key = configKey(args);
  const client = new NacosClient(args.connection());
  if (args.string('id') !== undefined) return historyEntry(args, client, key);
  const page = await client.json<HistoryPage>('GET', '/nacos/v1/cs/history', {
    search: 'accurate', ...keyParams(key), pageNo: args.int('page', 1), pageSize: args.int('page-size', 100),
  });
  if (args.json) return printJson(page);
  printTable(page.pageItems ?? [], [
    { header: 'ID', value: (h) => h.id },
    // Nacos stores opType as a padded CHAR column ("I ", "U ", "D ").
    { header: 'OP', value: (h) => ({ I: 'insert', U: 'update', D: 'delete' })[String(h.opType ?? '').trim()] ?? h.opType },
    { header: 'MODIFIED', value: (h) => formatTime(h.lastModifiedTime ?? h.createdTime) },
    { header: 'USER', value: (h) => h.srcUser },
    { header: 'IP', value: (h) => h.srcIp },
  ]);
  printLine(`${page.totalCount} version(s) of ${describe(key)}`);
}

/** One version with its content: Nacos GET /v1/cs/history?nid= (content *before* a U/D change). */
async function historyEntry(args: Args, client: NacosClient, key: ConfigKey): Promise<void> {
  const nid = args.int('id', 0);
  const answer = await client.request('GET', '/nacos/v1/cs/history', { nid, ...keyParams(key) });
  const entry = parseJson(answer.text) as (HistoryItem & { content?: string }) | undefined;
  if (!entry) throw new RemoteError(`no version ${nid} of ${describe(key)}`);
  if (args.json) return printJson(entry);
  const content = entry.content ?? '';
  process.stdout.write(content.endsWith('\n') || content === '' ? content : `${content}\n`);
}

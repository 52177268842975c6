import { createHash } from 'node:crypto';
import type { Args } from '../args.js';
import { NacosClient } from '../http.js';
import { note } from '../output.js';
import { configKey, describe, keyParams, type ConfigKey } from './config-key.js';

export const LISTEN_OPTIONS = { once: { type: 'boolean' }, timeout: { type: 'string' } } as const;

// Nacos long-polling wire format (ClientWorker): fields separated by \x02, entries by \x01.
const WORD_SEPARATOR = '\x02';
const LINE_SEPARATOR = '\x01';

interface Snapshot { md5: string; content: string | null }

/**
 * `config listen`: the Nacos 1.x/2.x HTTP long-poll. Send our md5; the server holds the request
 * until the content's md5 differs (or the timeout passes) and then names the changed key; we fetch
 * the content and print it. Runs until Ctrl-C, or the first change with --once.
 */
export async function listenConfig(args: Args): Promise<void> {
  const key = configKey(args);
  const timeoutMs = args.int('timeout', 30_000);
  const client = new NacosClient(args.connection());
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let current = await fetchSnapshot(client, key, stop.signal);
    note(`waiting for changes to ${describe(key)} on ${client.base} (md5 ${current.md5 || 'none: config does not exist'}) — Ctrl-C to stop`);
    while (!stop.signal.aborted) {
      const changed = await poll(client, key, current.md5, timeoutMs, stop.signal);
      if (!changed) continue;
      const next = await fetchSnapshot(client, key, stop.signal);
      if (next.md5 === current.md5) continue;
      current = next;
      report(args, key, current);
      if (args.flag('once')) return;
    }
  } catch (err) {
    if (!stop.signal.aborted) throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function fetchSnapshot(client: NacosClient, key: ConfigKey, signal: AbortSignal): Promise<Snapshot> {
  const answer = await client.request('GET', '/nacos/v1/cs/configs', keyParams(key), { accept: [404], signal });
  if (answer.status === 404) return { md5: '', content: null };
  return { md5: md5(answer.text), content: answer.text };
}

/** One long-poll round; true when the server reports our key as changed. */
async function poll(client: NacosClient, key: ConfigKey, currentMd5: string, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const entry = key.tenant
    ? [key.dataId, key.group, currentMd5, key.tenant].join(WORD_SEPARATOR)
    : [key.dataId, key.group, currentMd5].join(WORD_SEPARATOR);
  const answer = await client.request('POST', '/nacos/v1/cs/configs/listener',
    { 'Listening-Configs': entry + LINE_SEPARATOR, tenant: key.tenant || undefined },
    { headers: { 'Long-Pulling-Timeout': String(timeoutMs) }, timeoutMs: timeoutMs + 10_000, signal });
  // The answer is the URL-encoded list of changed keys (dataId\x02group[\x02tenant]\x01 …).
  return decodeURIComponent(answer.text).split(LINE_SEPARATOR)
    .some((line) => {
      const [dataId, group] = line.split(WORD_SEPARATOR);
      return dataId === key.dataId && group === key.group;
    });
}

function report(args: Args, key: ConfigKey, snap: Snapshot): void {
  const at = new Date().toISOString();
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...key, at, deleted: snap.content === null, md5: snap.md5 || null, content: snap.content })}\n`);
    return;
  }
  if (snap.content === null) {
    note(`${at} ${describe(key)} deleted`);
    return;
  }
  note(`${at} ${describe(key)} changed (md5 ${snap.md5}):`);
  process.stdout.write(snap.content.endsWith('\n') ? snap.content : `${snap.content}\n`);
}

/** Nacos compares the hex MD5 of the UTF-8 content. */
function md5(content: string): string {
  return createHash('md5').update(content, 'utf8').digest('hex');
}


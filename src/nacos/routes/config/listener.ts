import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ConfigService } from '../../config/config-service.js';
import { javaUrlEncode, parseListeningConfigs, type ListenKey } from '../../config/listening-configs.js';
import { holdTimeMs, type ChangedKey } from '../../config/long-polling.js';
import { ConfigParamError, JAVA_LONG, normalizeTenant } from '../../config/param-check.js';
import type { NacosContext } from '../../context.js';
import { Params } from '../../params.js';
import { checkConfig, V1_CONFIGS } from './common.js';

/** Nacos MD5Util.compareMd5ResultString: `dataId%02group[%02tenant]%01…`, URL-encoded, println'd. */
export function changedKeysBody(changed: readonly ChangedKey[]): string {
  let raw = '';
  for (const k of changed) raw += `${k.dataId}\u0002${k.group}${k.tenant ? `\u0002${k.tenant}` : ''}\u0001`;
  return `${javaUrlEncode(raw)}\n`;
}

/** Java Long.parseLong, whose failure Nacos reports as a 400 IllegalArgumentException. */
function parseTimeout(header: string | string[] | undefined): number {
  const s = Array.isArray(header) ? header[0] ?? '' : header ?? '';
  if (!JAVA_LONG.test(s)) throw new ConfigParamError(`For input string: "${s}"`);
  return Number(s);
}

function sendChanged(reply: FastifyReply, changed: readonly ChangedKey[]) {
  return reply.header('Pragma', 'no-cache').header('Expires', 'Thu, 01 Jan 1970 00:00:00 GMT')
    .header('Cache-Control', 'no-cache,no-store').type('text/plain;charset=UTF-8').send(changedKeysBody(changed));
}

/**
 * POST /nacos/v1/cs/configs/listener (Nacos LongPollingService.addLongPollingClient): answer at
 * once with the keys whose md5 differs; else, with `Long-Pulling-Timeout-No-Hangup: true`, answer
 * empty at once; else hold the request until a listened config changes or for
 * max(10 s, Long-Pulling-Timeout − 500 ms), then answer empty.
 */
export function registerListenerRoutes(app: FastifyInstance, ctx: NacosContext, service: ConfigService): void {
  app.addHook('preClose', (done) => { service.longPolling.releaseAll(); done(); });

  app.post(`${V1_CONFIGS}/listener`, async (req, reply) => {
    const p = new Params(req);
    const keys: ListenKey[] = parseListeningConfigs(p.raw('Listening-Configs')).map((k) => ({ ...k, tenant: normalizeTenant(k.tenant) }));
    for (const k of keys) await checkConfig(ctx, req, k.tenant, k.group, k.dataId, 'r');
    const changed = keys.filter((k) => service.currentMd5(k.tenant, k.group, k.dataId) !== k.md5);
    if (changed.length > 0) return sendChanged(reply, changed);
    const timeoutHeader = req.headers['long-pulling-timeout'];
    // Without Long-Pulling-Timeout Nacos falls back to short polling (compare, answer at once);
    // with Long-Pulling-Timeout-No-Hangup: true it answers at once too.
    if (timeoutHeader === undefined) return reply.send('');
    if (String(req.headers['long-pulling-timeout-no-hangup'] ?? '').toLowerCase() === 'true') return reply.send('');
    const held = service.longPolling.hold(keys, holdTimeMs(parseTimeout(timeoutHeader)));
    // A client that goes away stops being a listener (otherwise it would be counted until timeout).
    reply.raw.once('close', () => { if (!reply.raw.writableEnded) held.cancel(); });
    const woken = await held.result;
    if (reply.raw.destroyed) return reply;
    return woken ? sendChanged(reply, woken) : reply.send('');
  });
}

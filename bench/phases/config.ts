import { CONTENT, FORM, forEachLimited, GROUP, publishBody, publishConfig } from '../nacos-api.js';
import { runLoad, type LoadSettings } from '../load.js';
import type { Row } from '../report.js';
import type { BenchServer } from '../server.js';
import { loadRow } from './naming.js';

/** Gets rotate over this many dataIds so the figure is not one hot key. */
export const GET_DATA_IDS = 100;

/**
 * POST /nacos/v1/cs/configs, a new dataId per request. Durable: each answer waits for the fsync of
 * its log record, so many connections are needed for group commit to share fsyncs.
 */
export async function publishRate(server: BenchServer, load: LoadSettings, connections: number, fsync: string): Promise<Row> {
  const result = await runLoad({
    url: `${server.nacos}/nacos/v1/cs/configs`, serverPid: server.child.pid, method: 'POST', headers: FORM, connections,
    duration: load.duration, warmup: load.warmup, expectBody: 'true',
    vary: (seq, req) => ({ ...req, body: publishBody(`bench.pub.${seq}`, CONTENT) }),
  });
  return loadRow(`config publish (fsync=${fsync})`, result, 2_500,
    `${connections} conns, distinct dataId per request, ${CONTENT.length} B content`);
}

/** GET /nacos/v1/cs/configs over GET_DATA_IDS existing configs, checking the content returned. */
export async function getRate(server: BenchServer, load: LoadSettings, connections: number): Promise<Row> {
  await forEachLimited(GET_DATA_IDS, 16, (i) => publishConfig(server.nacos, `bench.get.${i}`, CONTENT));
  const result = await runLoad({
    url: server.nacos, serverPid: server.child.pid, connections, duration: load.duration, warmup: load.warmup, expectBody: CONTENT,
    vary: (seq, req) => ({ ...req, path: `/nacos/v1/cs/configs?dataId=bench.get.${seq % GET_DATA_IDS}&group=${GROUP}` }),
  });
  return loadRow('config get', result, 15_000, `${connections} conns over ${GET_DATA_IDS} dataIds`);
}

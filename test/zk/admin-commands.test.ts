import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { ADMIN_COMMAND_NAMES, registerZkAdminCommands, runAdminCommand } from '../../src/zk/admin-commands.js';
import { toJson } from '../../src/zk/fourlw/java-format.js';
import { fakeState, fakeZkView, jsonFixture } from '../helpers/fake-zk-view.js';

type Obj = Record<string, unknown>;
const keys = (o: unknown): string[] => Object.keys(o as Obj);
/** Our keys are the real ones, in the real order; `omitted` lists the real keys we leave out. */
function assertKeysLike(ours: unknown, real: unknown, omitted: string[] = [], what = ''): void {
  assert.deepEqual(keys(ours), keys(real).filter((k) => !omitted.includes(k)), what);
}
/** The JSON as a client reads it (session ids beyond 2^53 parse as rounded numbers, as in any JS client). */
const wire = (body: Obj): Obj => JSON.parse(toJson(body)) as Obj;

/** Commands whose keys match the real server's exactly (name → fixture). */
const EXACT: Record<string, string> = {
  ruok: 'ruok', configuration: 'configuration', conf: 'configuration', connections: 'connections', cons: 'connections',
  crst: 'connection_stat_reset', connection_stat_reset: 'connection_stat_reset', dump: 'dump', dirs: 'dirs',
  is_read_only: 'is_read_only', isro: 'is_read_only', stat_reset: 'stat_reset', srst: 'stat_reset',
  watch_summary: 'watch_summary', wchs: 'watch_summary', watches: 'watches', wchc: 'watches',
  watches_by_path: 'watches_by_path', wchp: 'watches_by_path', hash: 'hash', leader: 'leader',
  observers: 'observers', voting_view: 'voting_view', zabstate: 'zabstate', get_trace_mask: 'get_trace_mask',
};

for (const [name, fixtureName] of Object.entries(EXACT)) {
  test(`/commands/${name}: the real AdminServer's keys, in order, with "command" and "error"`, () => {
    const real = jsonFixture(fixtureName);
    const { status, body } = runAdminCommand(name, fakeZkView());
    assert.equal(status, 200);
    assertKeysLike(body, real);
    assert.equal(body.command, real.command);
    assert.equal(body.error, real.error);
  });
}

test('connections: each connection has the real per-connection keys; session ids are exact 64-bit numbers', () => {
  const real = jsonFixture('connections');
  const { body } = runAdminCommand('cons', fakeZkView());
  const ours = body.connections as Obj[];
  assert.equal(ours.length, 2);
  assertKeysLike(ours[0], (real.connections as Obj[])[0]);
  assert.deepEqual(body.secure_connections, []);
  // 0x01000045da680000, as the real server printed it (JSON.stringify would round it).
  assert.match(toJson(body), /"session_id":72057894054920192,/);
  assert.equal((wire(body).connections as Obj[])[0]!.remote_socket_address, '127.0.0.1:48064');
});

test('server_stats / stats: the real keys minus the figures Junction does not measure', () => {
  const unmeasured = ['fsync_threshold_exceed_count', 'client_response_stats', 'auth_failed_count',
    'non_mtlsremote_conn_count', 'non_mtlslocal_conn_count'];
  for (const [name, fixtureName] of [['srvr', 'server_stats'], ['server_stats', 'server_stats'], ['stat', 'stats'], ['stats', 'stats']] as const) {
    const real = jsonFixture(fixtureName);
    const { body } = runAdminCommand(name, fakeZkView());
    assertKeysLike(body, real, ['client_response'], name);
    assertKeysLike(body.server_stats, real.server_stats, unmeasured, `${name} server_stats`);
    assert.equal(body.command, fixtureName);
  }
  const { body } = runAdminCommand('stats', fakeZkView());
  assertKeysLike((body.connections as Obj[])[0], (jsonFixture('stats').connections as Obj[])[0]);
  const stats = body.server_stats as Obj;
  assert.equal(stats.server_state, 'standalone');
  assert.equal(stats.avg_latency, 1.5385);
  assert.equal(stats.last_processed_zxid, 5);
  assert.match(String(body.version), /^3\.8\.0-junction-/);
});

test('monitor / mntr: real keys in the real order, without zk_ prefix', () => {
  const real = jsonFixture('monitor');
  for (const name of ['monitor', 'mntr']) {
    const { body } = runAdminCommand(name, fakeZkView());
    const ours = keys(body);
    assert.deepEqual(ours, keys(real).filter((k) => ours.includes(k)), name);
    assert.ok(ours.includes('znode_count') && ours.includes('watch_count') && ours.includes('approximate_data_size'));
    assert.equal(body.command, 'monitor');
    assert.equal(body.znode_count, 8);
  }
});

test('environment: "command" last; ZooKeeper\'s keys in its order', () => {
  const real = keys(jsonFixture('environment'));
  const ours = keys(runAdminCommand('envi', fakeZkView()).body).filter((k) => k !== 'node.version');
  assert.deepEqual(ours, real.filter((k) => ours.includes(k)));
  assert.deepEqual(ours.slice(-2), ['command', 'error']);
});

test('dump, watches, watches_by_path: session ids as numbers, paths as the real server lists them', () => {
  const view = fakeZkView();
  const dump = wire(runAdminCommand('dump', view).body);
  assert.deepEqual(dump.session_id_to_ephemeral_paths, { '72057894054920192': ['/app/eph', '/app/s-0000000001'] });
  const expiry = dump.expiry_time_to_session_ids as Record<string, number[]>;
  assert.deepEqual(Object.keys(expiry), [String(Date.UTC(2026, 10, 25, 22, 48, 50))]);
  assert.match(toJson(runAdminCommand('dump', view).body), /\[72057894054920192,72057894054920193\]/);
  assert.deepEqual(Object.keys(wire(runAdminCommand('wchc', view).body).session_id_to_watched_paths as Obj),
    ['72057894054920192', '72057894054920193']);
  assert.match(toJson(runAdminCommand('wchp', view).body), /"\/app":\[72057894054920192,72057894054920193\]/);
  assert.deepEqual(runAdminCommand('wchs', view).body, { num_connections: 2, num_paths: 2, num_total_watches: 3, command: 'watch_summary', error: null });
});

test('unknown command: HTTP 200 with the real server\'s body', () => {
  assert.deepEqual(runAdminCommand('nosuch', fakeZkView()), { status: 200, body: jsonFixture('nosuch') });
  assert.equal(runAdminCommand('RUOK', fakeZkView()).body.error, 'Unknown command: RUOK');
});

test('resets reach the server', () => {
  const state = fakeState();
  runAdminCommand('crst', fakeZkView(state));
  runAdminCommand('stat_reset', fakeZkView(state));
  assert.deepEqual(state.resets, { stats: 1, connections: 1 });
});

test('no running server: server commands report it, environment still answers', () => {
  assert.deepEqual(runAdminCommand('srvr', null).body,
    { command: 'server_stats', error: 'This ZooKeeper instance is not currently serving requests' });
  assert.equal(runAdminCommand('environment', null).body.error, null);
  assert.equal(runAdminCommand('nosuch', null).body.error, 'Unknown command: nosuch');
});

test('set_trace_mask checks its argument like ZooKeeper, then refuses: Junction has no trace log', () => {
  assert.equal(runAdminCommand('stmk', fakeZkView()).body.error, 'setTraceMask requires long traceMask argument');
  assert.equal(runAdminCommand('stmk', fakeZkView(), { traceMask: 'x' }).body.error, 'setTraceMask requires long traceMask argument, got x');
  assert.match(String(runAdminCommand('set_trace_mask', fakeZkView(), { traceMask: '2' }).body.error), /not supported/);
});

test('fastify routes: /commands lists primary names, /commands/<name> answers JSON', async () => {
  const app = Fastify();
  let view: ReturnType<typeof fakeZkView> | null = fakeZkView();
  registerZkAdminCommands(app, () => view);
  try {
    const links = await app.inject({ method: 'GET', url: '/commands' });
    assert.equal(links.statusCode, 200);
    assert.match(links.headers['content-type'] as string, /^text\/html/);
    assert.ok(links.body.includes('<a href="/commands/watch_summary">watch_summary</a>\n<br/>\n'));
    assert.equal(links.body.match(/<a href=/g)?.length, ADMIN_COMMAND_NAMES.length);
    assert.equal((await app.inject({ method: 'GET', url: '/commands/' })).body, links.body);

    const cons = await app.inject({ method: 'GET', url: '/commands/cons' });
    assert.equal(cons.statusCode, 200);
    assert.match(cons.headers['content-type'] as string, /^application\/json/);
    assert.match(cons.body, /"session_id":72057894054920192,/);

    const stmk = await app.inject({ method: 'GET', url: '/commands/stmk?traceMask=abc&traceMask=1' });
    assert.equal(stmk.json().error, 'setTraceMask requires long traceMask argument, got abc');

    view = null;
    const down = await app.inject({ method: 'GET', url: '/commands/ruok' });
    assert.deepEqual(down.json(), { command: 'ruok', error: 'This ZooKeeper instance is not currently serving requests' });
  } finally {
    await app.close();
  }
});

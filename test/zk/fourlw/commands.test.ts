import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWhitelist, runFourLetterWord, ZK_FULL_VERSION } from '../../../src/zk/fourlw/index.js';
import { fakeState, fakeZkView, fixture, lineShape, shape } from '../../helpers/fake-zk-view.js';

const ALL = parseWhitelist('*');
const run = (word: string, view = fakeZkView()): string => runFourLetterWord(word, view, ALL);

test('a word outside the whitelist gets ZooKeeper\'s refusal, byte for byte', () => {
  assert.equal(runFourLetterWord('stat', fakeZkView(), ['srvr']), fixture('stat-not-whitelisted.txt'));
  assert.equal(runFourLetterWord('ruok', fakeZkView(), ['srvr']), 'ruok is not executed because it is not in the whitelist.\n');
  assert.equal(runFourLetterWord('telnet close', fakeZkView(), ['srvr']),
    'telnet close is not executed because it is not in the whitelist.\n');
});

test('version line keeps the "3.8.0" prefix and names Junction', () => {
  assert.match(ZK_FULL_VERSION, /^3\.8\.0-junction-\d+\.\d+\.\d+[^,]*, built on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  assert.ok(run('srvr').startsWith(`Zookeeper version: ${ZK_FULL_VERSION}\n`));
});

test('ruok, isro, crst, srst answer exactly as ZooKeeper and reach the server', () => {
  const state = fakeState();
  const view = fakeZkView(state);
  assert.equal(run('ruok', view), fixture('ruok.txt'));
  assert.equal(run('isro', view), fixture('isro.txt'));
  assert.equal(run('crst', view), fixture('crst.txt'));
  assert.equal(run('srst', view), fixture('srst.txt'));
  assert.deepEqual(state.resets, { stats: 1, connections: 1 });
});

for (const word of ['srvr', 'stat', 'dirs', 'dump', 'wchs', 'wchc', 'wchp']) {
  test(`${word}: same line structure as the real server's`, () => {
    assert.deepEqual(shape(run(word)), shape(fixture(`${word}.txt`)));
  });
}

test('srvr values: latency min/avg/max with a Java double avg, hex zxid', () => {
  const state = fakeState({ lastZxid: 0x1a2b });
  const lines = run('srvr', fakeZkView(state)).split('\n');
  assert.equal(lines[1], 'Latency min/avg/max: 0/1.5385/7');
  assert.equal(lines[6], 'Zxid: 0x1a2b');
  state.stats = { ...state.stats, avgLatencyMs: 0, latencyCount: 0, maxLatencyMs: 0 };
  assert.equal(run('srvr', fakeZkView(state)).split('\n')[1], 'Latency min/avg/max: 0/0.0/0');
  assert.deepEqual(shape(run('srvr', fakeZkView(state))), shape(fixture('srvr-empty.txt')));
});

test('cons: full connection lines shaped like the real ones, then an empty line', () => {
  const real = fixture('cons.txt').split('\n').filter((l) => l.includes('sid='));
  const ours = run('cons').split('\n');
  assert.equal(ours.length, 4);
  assert.deepEqual(ours.slice(0, 2).map(lineShape), real.map(lineShape));
  assert.deepEqual(ours.slice(2), ['', '']);
  assert.equal(ours[0], ' /127.0.0.1:48064[1](queued=0,recved=9,sent=9,sid=0x1000045da680000,lop=PING,'
    + `est=${Date.UTC(2026, 10, 25, 22, 48, 10)},to=10000,lcxid=0x6,lzxid=0x5,lresp=${Date.UTC(2026, 10, 25, 22, 48, 39)},`
    + 'llat=0,minlat=0,avglat=2,maxlat=7)');
});

test('cons: lcxid is left out before the first request, lzxid -1 prints as Long.toHexString', () => {
  const state = fakeState();
  state.connections = [{ ...state.connections[0]!, lastCxid: -1, lastZxid: -1 }];
  assert.match(run('cons', fakeZkView(state)), /,to=10000,lzxid=0xffffffffffffffff,lresp=/);
});

test('mntr: ZooKeeper keys in ZooKeeper\'s order, values of the same kind, nothing invented', () => {
  const real = new Map(fixture('mntr.txt').trimEnd().split('\n').map((l) => l.split('\t') as [string, string]));
  const ours = run('mntr').trimEnd().split('\n').map((l) => l.split('\t') as [string, string]);
  const keys = ours.map(([k]) => k);
  const realOrder = [...real.keys()].filter((k) => keys.includes(k));
  assert.deepEqual(keys, realOrder, 'every key is a real one, in the real order');
  for (const key of ['zk_version', 'zk_server_state', 'zk_avg_latency', 'zk_min_latency', 'zk_max_latency',
    'zk_packets_received', 'zk_packets_sent', 'zk_num_alive_connections', 'zk_outstanding_requests', 'zk_znode_count',
    'zk_watch_count', 'zk_ephemerals_count', 'zk_approximate_data_size', 'zk_global_sessions', 'zk_uptime']) {
    assert.ok(keys.includes(key), key);
  }
  for (const [key, value] of ours) assert.equal(lineShape(`${key}\t${value}`), lineShape(`${key}\t${real.get(key)}`), key);
  const values = new Map(ours);
  assert.equal(values.get('zk_server_state'), 'standalone');
  assert.equal(values.get('zk_avg_latency'), '1.5385');
  assert.equal(values.get('zk_watch_count'), '4'); // data + child watches, as DataTree.getWatchCount
  assert.equal(values.get('zk_ephemerals_count'), '2');
  assert.equal(values.get('zk_uptime'), '60000');
});

test('envi: "Environment:" then key=value lines, ZooKeeper\'s keys in its order', () => {
  const real = fixture('envi.txt').trimEnd().split('\n');
  const ours = run('envi').trimEnd().split('\n');
  assert.equal(ours[0], real[0]);
  const keyOf = (l: string): string => l.slice(0, l.indexOf('='));
  const realKeys = real.slice(1).map(keyOf);
  const ourKeys = ours.slice(1).map(keyOf).filter((k) => k !== 'node.version');
  assert.deepEqual(ourKeys, realKeys.filter((k) => ourKeys.includes(k)));
  assert.ok(ourKeys.includes('zookeeper.version') && ourKeys.includes('os.memory.max'));
  assert.ok(!ourKeys.some((k) => k.startsWith('java.')), 'no JVM facts from a server without a JVM');
  assert.match(ours[1]!, /^zookeeper\.version=3\.8\.0-junction-/);
});

test('dump: session buckets, ephemerals per session, connection buckets', () => {
  const out = run('dump');
  assert.match(out, /^SessionTracker dump:\nSession Sets \(1\)\/\(2\):\n2 expire at Wed Nov 25 22:48:50 UTC 2026:\n\t0x1000045da680000\n\t0x1000045da680001\n/);
  assert.match(out, /ephemeral nodes dump:\nSessions with Ephemerals \(1\):\n0x1000045da680000:\n\t\/app\/eph\n\t\/app\/s-0000000001\n/);
  assert.match(out, /Connections dump:\nConnections Sets \(1\)\/\(2\):\n2 expire at .*:\n\tip: \/127\.0\.0\.1:48064 sessionId: 0x1000045da680000\n/);
});

test('empty server: wchs, wchc and dump as the real server prints them with no clients', () => {
  const state = fakeState({ connections: [], sessions: [], watches: new Map(), extraWatchCount: 0 });
  const view = fakeZkView(state);
  assert.equal(run('wchs', view), fixture('wchs-empty.txt'));
  assert.equal(run('wchc', view), fixture('wchc-empty.txt'));
  assert.equal(run('wchp', view), '\n');
  assert.ok(fixture('dump-empty.txt').startsWith(run('dump', view).split('Connections dump:')[0]!));
  assert.equal(run('cons', view), '\n');
});

test('wchs and wchc print the watch table byte for byte as the real server did', () => {
  assert.equal(run('wchs'), fixture('wchs.txt'));
  assert.equal(run('wchc'), fixture('wchc.txt'));
});

test('conf: the real server\'s keys in order; dirs are Junction\'s snapshot and log dirs', () => {
  const entries = (text: string): [string, string][] =>
    text.trimEnd().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
  const real = entries(fixture('conf.txt'));
  const ours = entries(run('conf'));
  assert.deepEqual(ours.map(([k]) => k), real.map(([k]) => k));
  for (const [i, [key, value]] of ours.entries()) {
    if (key === 'dataDir' || key === 'dataLogDir') continue;
    assert.equal(lineShape(value), lineShape(real[i]![1]), key);
  }
  const conf = new Map(ours);
  assert.equal(conf.get('dataDir'), '/tmp/junction/zk/snapshot');
  assert.equal(conf.get('dataLogDir'), '/tmp/junction/zk/log');
  assert.equal(conf.get('dataDirSize'), '424');
  assert.equal(conf.get('dataLogSize'), '67109337');
  assert.equal(conf.get('minSessionTimeout'), '4000');
  assert.ok(run('conf').endsWith('serverId=0\n'));
});

test('without a running server the words that need one say so; ruok and envi still answer', () => {
  assert.equal(runFourLetterWord('stat', null, ALL), 'This ZooKeeper instance is not currently serving requests\n');
  assert.equal(runFourLetterWord('isro', null, ALL), 'null');
  assert.equal(runFourLetterWord('ruok', null, ALL), 'imok');
  assert.ok(runFourLetterWord('envi', null, ALL).startsWith('Environment:\n'));
});

test('gtmk reports ZooTrace\'s default mask 306 as the real server does; telnet close writes nothing', () => {
  assert.equal(run('gtmk'), '306');
  assert.equal(run('telnet close'), '');
});

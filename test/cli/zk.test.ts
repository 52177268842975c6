// `junction zk` against two servers in one run: the real ZooKeeper 3.8 (started here from the
// Debian jar) and Junction. The expected texts are zkCli.sh 3.8's, recorded from the real
// zkCli against the real server (Created on stderr, "Node does not exist: /x", StatPrinter lines …).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { javaDate, parseAcl, permString } from '../../src/cli/commands/zk-format.js';
import { startTestServer } from '../helpers/junction.js';
import { startReferenceZk } from '../helpers/zk-target.js';
import { closedPort, runCli, type CliResult } from './run-cli.js';

interface Target { port: number; stop(): Promise<void> }

const FOUR_LETTER_WORDS = 'srvr,ruok';
async function startReference(): Promise<Target> {
  const ref = await startReferenceZk({ fourLetterWords: FOUR_LETTER_WORDS });
  return { port: ref.port, stop: () => ref.stop() };
}

async function startJunction(): Promise<Target> {
  const server = await startTestServer({ enabled: ['zk'], zk: { fourLetterWords: FOUR_LETTER_WORDS, extendedTypes: true } });
  return { port: server.zkPort, stop: () => server.destroy() };
}

const STAT_LABELS = ['cZxid', 'ctime', 'mZxid', 'mtime', 'pZxid', 'cversion', 'dataVersion', 'aclVersion', 'ephemeralOwner',
  'dataLength', 'numChildren'];
const JAVA_DATE_UTC = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d \d\d:\d\d:\d\d UTC \d{4}$/;

/** The StatPrinter block: exactly the eleven labels in order; returns label → value. */
function parseStat(lines: string[]): Record<string, string> {
  assert.deepEqual(lines.map((l) => l.split(' = ')[0]), STAT_LABELS);
  return Object.fromEntries(lines.map((l) => l.split(' = ') as [string, string]));
}

/** Date.toString in UTC, built from toUTCString ("Wed, 25 Nov 2026 22:40:06 GMT") independently of javaDate. */
function utcJavaDate(ms: number): string {
  const [wd, dd, mon, yyyy, hms] = new Date(ms).toUTCString().replace(',', '').split(' ');
  return `${wd} ${mon} ${dd} ${hms} UTC ${yyyy}`;
}

const TARGETS: [string, () => Promise<Target>][] = [['ZooKeeper 3.8', startReference], ['Junction', startJunction]];

for (const [kind, start] of TARGETS) {
  describe(`junction zk against ${kind}`, () => {
    let target: Target;
    before(async () => { target = await start(); });
    after(() => target?.stop());
    const zk = (...args: string[]): Promise<CliResult> =>
      runCli(['zk', ...args], { env: { JUNCTION_ZK: `127.0.0.1:${target.port}`, TZ: 'UTC' } });
    /** A command that must succeed with this stdout and nothing (or `stderr`) on stderr. */
    const ok = async (args: string[], stdout: string, stderr = '') => {
      const r = await zk(...args);
      assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout, stderr }, args.join(' '));
    };
    /** A command zkCli answers with one error line on stderr. */
    const fails = async (args: string[], stderr: string, code = 1) => {
      const r = await zk(...args);
      assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code, stdout: '', stderr }, args.join(' '));
    };

    it('create prints "Created" on stderr; get, set -s, stat print zkCli\'s data and StatPrinter block', async () => {
      await ok(['create', '/crud', 'hello'], '', 'Created /crud\n');
      await ok(['get', '/crud'], 'hello\n');
      const before = Date.now();
      const got = await zk('get', '-s', '/crud');
      assert.equal(got.code, 0, got.stderr);
      const [data, ...statLines] = got.stdout.trimEnd().split('\n');
      assert.equal(data, 'hello');
      const stat = parseStat(statLines);
      assert.match(stat.cZxid!, /^0x[0-9a-f]+$/);
      assert.equal(stat.mZxid, stat.cZxid);
      assert.match(stat.ctime!, JAVA_DATE_UTC);
      assert.deepEqual([stat.dataVersion, stat.dataLength, stat.numChildren, stat.ephemeralOwner], ['0', '5', '0', '0x0']);

      const json = JSON.parse((await zk('stat', '--json', '/crud')).stdout) as { czxid: number; ctime: number };
      assert.equal(`0x${json.czxid.toString(16)}`, stat.cZxid);
      assert.equal(stat.ctime, utcJavaDate(json.ctime));
      assert.ok(Math.abs(json.ctime - before) < 120_000, 'ctime is the server clock, now');

      const set = await zk('set', '-s', '-v', '0', '/crud', 'world!');
      assert.equal(set.code, 0, set.stderr);
      const after = parseStat(set.stdout.trimEnd().split('\n'));
      assert.deepEqual([after.dataVersion, after.dataLength, after.cZxid], ['1', '6', stat.cZxid]);
      assert.ok(parseInt(after.mZxid!, 16) > parseInt(stat.cZxid!, 16));
      await ok(['set', '/crud', 'quiet'], ''); // without -s zkCli prints nothing
      const plain = await zk('stat', '/crud');
      assert.equal(parseStat(plain.stdout.trimEnd().split('\n')).dataVersion, '2');
      const getJson = JSON.parse((await zk('get', '--json', '/crud')).stdout) as { data: string; stat: { version: number } };
      assert.deepEqual([getJson.data, getJson.stat.version], ['quiet', 2]);
    });

    it('ls sorts children like zkCli; -s adds the stat; -R walks as ZKUtil.visitSubTreeDFS', async () => {
      for (const p of ['/tree', '/tree/c', '/tree/a', '/tree/b', '/tree/b/y', '/tree/a/x']) await ok(['create', p], '', `Created ${p}\n`);
      await ok(['ls', '/tree'], '[a, b, c]\n');
      const withStat = await zk('ls', '-s', '/tree');
      const [list, ...statLines] = withStat.stdout.trimEnd().split('\n');
      assert.equal(list, '[a, b, c]');
      const stat = parseStat(statLines);
      assert.deepEqual([stat.numChildren, stat.cversion], ['3', '3']);
      await ok(['ls', '-R', '/tree'], '/tree\n/tree/a\n/tree/b\n/tree/c\n/tree/a/x\n/tree/b/y\n');
      await ok(['ls', '/tree/c'], '[]\n');
      const json = JSON.parse((await zk('ls', '--json', '/tree')).stdout) as { children: string[] };
      assert.deepEqual(json.children, ['a', 'b', 'c']);
      const rootKids = await zk('ls', '/');
      assert.match(rootKids.stdout, /^\[.*\btree, zookeeper\]\n$/);
    });

    it('create -s, -c, -t and -e (the ephemeral ends with the CLI\'s session)', async () => {
      await ok(['create', '/seq'], '', 'Created /seq\n');
      await ok(['create', '-s', '/seq/n-', 'one'], '', 'Created /seq/n-0000000000\n');
      await ok(['create', '-s', '/seq/n-'], '', 'Created /seq/n-0000000001\n');
      await ok(['create', '-c', '/container'], '', 'Created /container\n');
      await ok(['create', '-t', '600000', '/ttl', 'x'], '', 'Created /ttl\n');
      await ok(['create', '-e', '/eph'], '', 'Created /eph\n');
      await fails(['stat', '/eph'], 'Node does not exist: /eph\n');
      const json = await zk('create', '--json', '-s', '/seq/j-');
      assert.deepEqual(JSON.parse(json.stdout), { path: '/seq/j-0000000002' });
    });

    it('server errors print zkCli\'s CliWrapperException lines and exit 1', async () => {
      await ok(['create', '/err', 'x'], '', 'Created /err\n');
      await ok(['create', '/err/child'], '', 'Created /err/child\n');
      await fails(['get', '/missing'], 'Node does not exist: /missing\n');
      await fails(['ls', '/missing'], 'Node does not exist: /missing\n');
      await fails(['ls', '-R', '/missing'], 'Node does not exist: /missing\n');
      await fails(['stat', '/missing'], 'Node does not exist: /missing\n');
      await fails(['create', '/missing/child'], 'Node does not exist: /missing/child\n');
      await fails(['create', '/err'], 'Node already exists: /err\n');
      await fails(['set', '-v', '9', '/err', 'y'], 'version No is not valid : /err\n');
      await fails(['delete', '/err'], 'Node not empty: /err\n');
      await fails(['delete', '-v', '3', '/err/child'], 'version No is not valid : /err/child\n');
      await fails(['delete', '/'], 'Arguments are not valid : /\n');
      await ok(['delete', '-v', '0', '/err/child'], '');
      await ok(['delete', '/err'], '');
      await fails(['get', '/err'], 'Node does not exist: /err\n');
    });

    it('getAcl prints Id.toString and perms; setAcl takes zkCli\'s ACL syntax', async () => {
      await ok(['create', '/acl', 'x'], '', 'Created /acl\n');
      await ok(['getAcl', '/acl'], "'world,'anyone\n: cdrwa\n");
      await ok(['setAcl', '/acl', 'world:anyone:cdrwa,ip:127.0.0.1:rw'], '');
      await ok(['getAcl', '/acl'], "'world,'anyone\n: cdrwa\n'ip,'127.0.0.1\n: rw\n");
      const withStat = await zk('getAcl', '-s', '/acl');
      assert.equal(withStat.code, 0, withStat.stderr);
      assert.equal(parseStat(withStat.stdout.trimEnd().split('\n').slice(4)).aclVersion, '1');
      await fails(['setAcl', '-v', '7', '/acl', 'world:anyone:r'], 'version No is not valid : /acl\n');
      // AclParser skips what it cannot read, with its warnings, and sets the rest.
      await ok(['setAcl', '/acl', 'bogus,world:anyone:rz'], '', 'bogus does not have the form scheme:id:perm\nUnknown perm type: z\n');
      await ok(['getAcl', '/acl'], "'world,'anyone\n: r\n");
      await fails(['set', '/acl', 'y'], 'Insufficient permission : /acl\n');
      await fails(['setAcl', '/acl', 'bogus'], 'bogus does not have the form scheme:id:perm\nAcl is not valid : null\n');
      await fails(['create', '/badacl', 'x', 'foo:bar:r'], 'KeeperErrorCode = InvalidACL for /badacl\nAcl is not valid : /badacl\n');
      await fails(['create', '/badacl', 'x', 'world:anyone'],
        'world:anyone does not have the form scheme:id:perm\nKeeperErrorCode = InvalidACL\nAcl is not valid : null\n');
    });

    it('--auth adds a digest identity; auth::cdrwa then means that identity', async () => {
      await ok(['create', '--auth', 'bob:secret', '/private', 'secret-data', 'auth::cdrwa'], '', 'Created /private\n');
      // DigestAuthenticationProvider: base64(sha1("bob:secret")). getACL needs READ or ADMIN (3.8).
      await ok(['getAcl', '--auth', 'bob:secret', '/private'], "'digest,'bob:fyVmFCwVbTJYrznoSu1koqYEYF0=\n: cdrwa\n");
      await fails(['getAcl', '/private'], 'Insufficient permission : /private\n');
      await fails(['get', '/private'], 'Insufficient permission : /private\n');
      await ok(['get', '--auth', 'bob:secret', '/private'], 'secret-data\n');
      await fails(['get', '--auth', 'bob:wrong', '/private'], 'Insufficient permission : /private\n');
      // Readable without ADMIN: getACL answers with digest passwords masked as "x" (3.8).
      await ok(['create', '--auth', 'bob:secret', '/shared', 'y', 'auth::cdrwa,world:anyone:r'], '', 'Created /shared\n');
      await ok(['getAcl', '/shared'], "'digest,'bob:x\n: cdrwa\n'world,'anyone\n: r\n");
      await ok(['getAcl', '--auth', 'bob:secret', '/shared'], "'digest,'bob:fyVmFCwVbTJYrznoSu1koqYEYF0=\n: cdrwa\n'world,'anyone\n: r\n");
      await fails(['setAcl', '/private', 'world:anyone:r'], 'Insufficient permission : /private\n');
      // PrepRequestProcessor.fixupACL runs before the ADMIN check: auth:: with no identity is invalid.
      await fails(['setAcl', '/private', 'auth::cdrwa'], 'Acl is not valid : /private\n');
      await ok(['setAcl', '--auth', 'bob:secret', '/private', 'world:anyone:r'], '');
      await ok(['get', '/private'], 'secret-data\n');
    });

    it('setAcl -R changes a subtree; deleteall removes one', async () => {
      for (const p of ['/sub', '/sub/a', '/sub/a/b', '/sub/c']) await ok(['create', p], '', `Created ${p}\n`);
      await ok(['setAcl', '-R', '/sub', 'world:anyone:cdrwa,ip:127.0.0.1:r'], '');
      for (const p of ['/sub', '/sub/a/b', '/sub/c']) await ok(['getAcl', p], "'world,'anyone\n: cdrwa\n'ip,'127.0.0.1\n: r\n");
      await ok(['deleteall', '/sub'], '');
      await fails(['ls', '/sub'], 'Node does not exist: /sub\n');
      await fails(['deleteall', '/sub'], 'Node does not exist: /sub\n');
    });

    it('4lw sends the word and prints the answer verbatim', async () => {
      const srvr = await zk('4lw', 'srvr');
      assert.equal(srvr.code, 0, srvr.stderr);
      assert.match(srvr.stdout, /^Zookeeper version: 3\.8\.\d/);
      assert.match(srvr.stdout, /\nMode: standalone\n/);
      await ok(['4lw', 'ruok'], 'imok');
      await ok(['4lw', 'mntr'], 'mntr is not executed because it is not in the whitelist.\n');
    });
  });
}

describe('junction zk usage and client-side checks (no server needed)', () => {
  const zk = async (...args: string[]) => runCli(['zk', '--server', `127.0.0.1:${await closedPort()}`, ...args]);

  const malformed: [string[], string][] = [
    [['get', 'foo'], 'Path must start with / character\n'],
    [['ls', '/a/'], 'Path must not end with / character\n'],
    [['stat', '/a//b'], 'Invalid path string "/a//b" caused by empty node name specified @3\n'],
    [['get', '/a/../b'], 'Invalid path string "/a/../b" caused by relative paths not allowed @4\n'],
    [['create', '-c', '-e', '/q'], '-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.\n'],
    [['create', '-t', 'abc', '/q'], '-t argument must be a long value\n'],
    [['create', '-e', '-t', '100', '/q'], 'TTLs cannot be used with Ephemeral znodes\n'],
    [['create', '-t', '0', '/q'], 'ttl must be positive and cannot be larger than: 1099511627775\n'],
  ];
  for (const [args, message] of malformed) {
    it(`${args.join(' ')} → zkCli's message, exit 2, no connection`, async () => {
      const r = await zk(...args);
      assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 2, stdout: '', stderr: message });
    });
  }

  it('a sequential create may end with "/" (PathUtils checks path + "1")', async () => {
    const r = await zk('create', '-s', '/q/');
    assert.equal(r.code, 1); // valid path: it got as far as connecting, and nothing listens
    assert.match(r.stderr, /^junction: cannot connect to ZooKeeper at 127\.0\.0\.1:\d+: /);
  });

  it('bad command lines exit 2 with the zk usage text', async () => {
    for (const [args, message] of [[['frob'], /unknown zk command "frob"/], [['ls'], /missing path/],
      [['get', '-x', '/a'], /Unknown option '-x'/], [['ls', '/a', '/b'], /unexpected argument "\/b"/],
      [['4lw', 'status'], /not a four-letter word/]] as [string[], RegExp][]) {
      const r = await zk(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.match(r.stderr, /usage: junction zk/);
    }
    const badServer = await runCli(['zk', 'ls', '/', '--server', 'host:port:x']);
    assert.equal(badServer.code, 2);
    assert.match(badServer.stderr, /--server: expected host:port/);
  });

  it('help zk and zk --help print the usage', async () => {
    for (const args of [['help', 'zk'], ['zk', '--help'], ['zk', 'get', '--help']]) {
      const r = await runCli(args);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^usage: junction zk <command>/);
    }
    const main = await runCli(['help']);
    assert.match(main.stdout, /\n {2}zk ls\|get\|set\|create\|delete\|stat\|getAcl\|setAcl\|4lw +ZooKeeper tree/);
  });

  it('an unreachable server exits 1 (session and 4lw)', async () => {
    for (const args of [['ls', '/'], ['4lw', 'srvr']]) {
      const r = await zk(...args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, /^junction: cannot (connect to ZooKeeper at|send srvr to) 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    }
  });
});

describe('zkCli formats (units)', () => {
  it('javaDate is java.util.Date.toString (checked against java for these zones)', () => {
    assert.equal(javaDate(0, 'UTC'), 'Thu Jan 01 00:00:00 UTC 1970');
    assert.equal(javaDate(0, 'America/New_York'), 'Wed Dec 31 19:00:00 EST 1969');
    assert.equal(javaDate(1782648921844, 'America/Los_Angeles'), 'Sun Jun 28 05:15:21 PDT 2026');
    assert.equal(javaDate(1782648921844, 'Europe/Berlin'), 'Sun Jun 28 14:15:21 CEST 2026');
    assert.equal(javaDate(1795648921844, 'UTC'), 'Wed Nov 25 23:22:01 UTC 2026');
  });

  it('permString uses ZKUtil order c d r w a; parseAcl splits id between first and last colon', () => {
    assert.equal(permString(31), 'cdrwa');
    assert.equal(permString(1 | 16), 'ra');
    assert.deepEqual(parseAcl('digest:u:hash=:r,ip:127.0.0.1:cdrwa,auth::a'), {
      acl: [{ perms: 1, id: { scheme: 'digest', id: 'u:hash=' } }, { perms: 31, id: { scheme: 'ip', id: '127.0.0.1' } },
        { perms: 16, id: { scheme: 'auth', id: '' } }],
      warnings: [],
    });
  });
});

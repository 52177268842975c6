// Container and TTL znodes, null data and path validation, with the raw-socket client
// (kazoo 2.8 has no createContainer / createTTL). Observed on the real ZooKeeper 3.8.0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startZkTarget, type ZkTarget } from '../../helpers/zk-target.js';
import { runPy, type Stat } from './common.js';

const BadArguments = -8, NoNode = -101;
type Created = [number, { path: string; stat: Omit<Stat, 'ephemeralOwner'> & { ephemeralOwner: number } }];

describe(`containers, TTL nodes, raw paths (${process.env.JUNCTION_ZK_TARGET ?? 'junction'})`, () => {
  let zk: ZkTarget;
  let r: Record<string, unknown>;
  before(async () => {
    // znode.container.checkIntervalMs = 1000: ContainerManager runs every second.
    zk = await startZkTarget({ containerCheckMs: 1000, extendedTypes: true });
    r = await runPy('raw_extended.py', zk);
  });
  after(async () => { await zk?.stop(); });

  it('containers: removed after their last child goes, never-used ones stay', () => {
    const [err, created] = r.container as Created;
    assert.equal(err, 0);
    assert.equal(created.path, '/ct');
    // DataNode.copyStat reports ephemeralOwner 0 for container and TTL nodes (getClientEphemeralOwner).
    assert.equal(created.stat.ephemeralOwner, 0);
    assert.equal(created.stat.dataLength, 1);
    assert.equal((r.container_child_stat as Stat).numChildren, 1);
    // ContainerManager: an empty container with cversion > 0 is deleted at the next check.
    const secs = r.container_removed_after_s as number | null;
    assert.ok(secs !== null && secs <= 5, `container removed after ${secs} s`);
    // …one that never had a child is kept.
    assert.equal(r.unused_container_kept, 0);
  });

  it('TTL nodes: expire when childless, sequential TTL, TTL range', () => {
    const [err, created] = r.ttl as Created;
    assert.equal(err, 0);
    assert.equal(created.stat.ephemeralOwner, 0); // TTL is encoded in ephemeralOwner, hidden from clients
    assert.match(r.ttl_sequential as string, /^\/tts-\d{10}$/);
    const secs = r.ttl_removed_after_s as number | null;
    assert.ok(secs !== null && secs <= 5, `TTL node removed after ${secs} s`);
    // ContainerManager only removes TTL nodes without children…
    assert.equal(r.ttl_with_child_kept, 0);
    const later = r.ttl_parent_removed_after_s as number | null;
    assert.ok(later !== null && later <= 5, `TTL parent removed after ${later} s`);
    // EphemeralType.validateTTL: 0 < ttl ≤ 2^40 - 1 and only with a TTL create mode → BadArguments.
    assert.deepEqual(r.ttl_errors, { zero: BadArguments, too_big: BadArguments, not_ttl_mode: BadArguments,
      ttl_mode_without_ttl_op: BadArguments, max_ok: 0 });
  });

  it('null data is kept distinct from empty data', () => {
    // jute buffer length -1 is stored as null and returned as -1; Stat.dataLength is 0 for both.
    assert.deepEqual(r.null_data, { null: true, dataLength: 0, empty: true });
  });

  it('path validation order differs per request type', () => {
    // create: parent lookup (NoNode) before PathUtils.validatePath (BadArguments);
    // delete: parent lookup only (BadArguments just for a path without '/');
    // setData: validatePath first; getData: no validation, just a lookup.
    assert.deepEqual(r.paths, {
      '/bp//b': { create: NoNode, get: NoNode, delete: NoNode, set: BadArguments },
      '/bp/.': { create: BadArguments, get: NoNode, delete: NoNode, set: BadArguments },
      '/bp/': { create: BadArguments, get: NoNode, delete: NoNode, set: BadArguments },
      '/bp/x/': { create: NoNode, get: NoNode, delete: NoNode, set: BadArguments },
      '/nope//b': { create: NoNode, get: NoNode, delete: NoNode, set: BadArguments },
      rel: { create: BadArguments, get: NoNode, delete: BadArguments, set: BadArguments },
    });
    // A sequential create may end in '/': the suffix makes the name ("/bp/0000000000").
    assert.equal(r.sequential_trailing_slash, '/bp/0000000000');
    // DataTree keeps the root under both "" and "/": exists("") answers OK.
    assert.equal(r.exists_empty_path, 0);
  });
});

// `junction kafka console-consumer --group` as a group member, against the fake broker's one-member
// group (test/kafka/fake-cluster.ts): it joins (MEMBER_ID_REQUIRED then JoinGroup again), takes the
// range assignment it computes as leader, starts from the committed offsets, commits what it
// printed and leaves; a second run of the same group resumes after the first one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKey } from '../../src/kafka/protocol/api-keys.js';
import { FakeBroker } from '../kafka/fake-broker.js';
import { fakeClusterHandlers } from '../kafka/fake-cluster.js';
import { runCli } from './run-cli.js';

describe('junction kafka console-consumer --group (fake broker)', () => {
  let broker: FakeBroker;
  let bootstrap: string;
  const produce = (input: string) => runCli(['kafka', 'console-producer', '--bootstrap-server', bootstrap, '--topic', 'events'], { input });
  const consume = (...args: string[]) => runCli(['kafka', 'console-consumer', '--bootstrap-server', bootstrap, '--topic', 'events', ...args]);

  before(async () => {
    broker = await new FakeBroker(fakeClusterHandlers({ events: 1 })).start();
    bootstrap = `127.0.0.1:${broker.port}`;
  });
  after(async () => { await broker?.close(); });

  it('reads from the beginning as a new group, then commits: the next run of the group resumes after it', async () => {
    assert.equal((await produce('e1\ne2\ne3\n')).code, 0);
    const first = await consume('--group', 'g', '--from-beginning', '--max-messages', '2');
    assert.deepEqual([first.code, first.stdout, first.stderr], [0, 'e1\ne2\n', 'Processed a total of 2 messages\n']);
    // Only the printed records count as consumed: the committed offset is 2, not 3.
    const second = await consume('--consumer-property', 'group.id=g', '--timeout-ms', '1500');
    assert.equal(second.stdout, 'e3\n');
    assert.equal((await produce('e4\n')).code, 0);
    const third = await consume('--group', 'g', '--max-messages', '1');
    assert.equal(third.stdout, 'e4\n');
    assert.deepEqual(broker.errors, [], 'every request decoded and every answer encoded');
    const seen = broker.versionsSeen();
    for (const key of [ApiKey.FindCoordinator, ApiKey.JoinGroup, ApiKey.SyncGroup, ApiKey.OffsetFetch, ApiKey.OffsetCommit, ApiKey.LeaveGroup]) {
      assert.ok(seen.has(key), `API ${key} used`);
    }
  });

  it('--group and a different group.id are refused (ConsoleConsumerOptions.checkConsumerGroup)', async () => {
    const r = await consume('--group', 'a', '--consumer-property', 'group.id=b');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /The group ids provided in different places \(directly using '--group', via '--consumer-property', or via '--consumer.config'\) do not match\. Detected group ids: 'a', 'b'/);
  });
});

// The topic metadata state machine: results of each command, and snapshot/restore giving back the
// same state (what replay after a restart relies on).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topicsMachine, type TopicCommand } from '../../src/kafka/model/topics.js';

describe('kafka topics model', () => {
  it('creates, refuses duplicates, deletes, and keeps the first cluster id', () => {
    const state = topicsMachine.initial();
    const run = (c: TopicCommand) => topicsMachine.apply(state, c);
    assert.deepEqual(run({ type: 'setClusterId', clusterId: 'AAAAAAAAAAAAAAAAAAAAAA' }), { ok: true });
    run({ type: 'setClusterId', clusterId: 'BBBBBBBBBBBBBBBBBBBBBB' });
    assert.equal(state.clusterId, 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.deepEqual(run({ type: 'createTopic', name: 't', topicId: 'id1', partitions: 3, configs: { 'retention.ms': '1000' } }), { ok: true });
    assert.deepEqual(run({ type: 'createTopic', name: 't', topicId: 'id2', partitions: 1, configs: {} }), { ok: false, error: 'TOPIC_ALREADY_EXISTS' });
    assert.deepEqual(state.topics.get('t'), { id: 'id1', partitions: 3, configs: { 'retention.ms': '1000' } });
    assert.deepEqual(run({ type: 'deleteTopic', name: 't' }), { ok: true });
    assert.deepEqual(run({ type: 'deleteTopic', name: 't' }), { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('snapshot → JSON → restore rebuilds the same state', () => {
    const state = topicsMachine.initial();
    topicsMachine.apply(state, { type: 'setClusterId', clusterId: 'CCCCCCCCCCCCCCCCCCCCCC' });
    for (let i = 0; i < 5; i++) topicsMachine.apply(state, { type: 'createTopic', name: `t${i}`, topicId: `id${i}`, partitions: i + 1, configs: {} });
    topicsMachine.apply(state, { type: 'deleteTopic', name: 't2' });
    const restored = topicsMachine.restore(JSON.parse(JSON.stringify(topicsMachine.snapshot(state))));
    assert.deepEqual(restored, state);
    assert.deepEqual([...restored.topics.keys()], ['t0', 't1', 't3', 't4']);
  });

  it('config changes replace the overrides, partitions only grow, producer-id blocks only move forward', () => {
    const state = topicsMachine.initial();
    const run = (c: TopicCommand) => topicsMachine.apply(state, c);
    run({ type: 'createTopic', name: 't', topicId: 'id1', partitions: 2, configs: { 'retention.ms': '1000' } });
    assert.deepEqual(run({ type: 'setTopicConfigs', name: 't', configs: { 'segment.bytes': '4096' } }), { ok: true });
    assert.deepEqual(state.topics.get('t')!.configs, { 'segment.bytes': '4096' });
    assert.deepEqual(run({ type: 'createPartitions', name: 't', partitions: 5 }), { ok: true });
    run({ type: 'createPartitions', name: 't', partitions: 3 });
    assert.equal(state.topics.get('t')!.partitions, 5);
    assert.deepEqual(run({ type: 'setTopicConfigs', name: 'gone', configs: {} }), { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' });
    assert.deepEqual(run({ type: 'createPartitions', name: 'gone', partitions: 2 }), { ok: false, error: 'UNKNOWN_TOPIC_OR_PARTITION' });
    run({ type: 'allocateProducerIds', start: 0, end: 1000 });
    run({ type: 'allocateProducerIds', start: 0, end: 500 });
    assert.equal(state.producerIdsAllocatedUpTo, 1000);
    const restored = topicsMachine.restore(JSON.parse(JSON.stringify(topicsMachine.snapshot(state))));
    assert.deepEqual(restored, state);
  });

  it('an image written before producer ids existed restores with none allocated', () => {
    const restored = topicsMachine.restore({ clusterId: 'DDDDDDDDDDDDDDDDDDDDDD', topics: [['t', { id: 'x', partitions: 1, configs: {} }]] });
    assert.equal(restored.producerIdsAllocatedUpTo, 0);
    assert.equal(restored.topics.get('t')!.partitions, 1);
  });
});

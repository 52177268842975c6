/**
 * OffsetForLeaderEpoch (key 23), v0–v4, from apache/kafka OffsetForLeaderEpochRequest.json /
 * Response.json (KIP-320 truncation detection). On a single node with epoch 0 the end offset of
 * epoch 0 is the log end offset.
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const OffsetForLeaderEpochRequest = defineMessage({
  name: 'OffsetForLeaderEpochRequest', apiKey: 23, type: 'request', validVersions: '0-4', flexibleVersions: '4+',
  fields: [
    // -1 for consumers, -2 (the default) when an older client did not say (v0–v2).
    { name: 'replicaId', type: 'int32', versions: '3+', default: -2, ignorable: true },
    { name: 'topics', type: '[]OffsetForLeaderTopic', versions: '0+', fields: [
      { name: 'topic', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]OffsetForLeaderPartition', versions: '0+', fields: [
        { name: 'partition', type: 'int32', versions: '0+' },
        { name: 'currentLeaderEpoch', type: 'int32', versions: '2+', default: -1, ignorable: true },
        { name: 'leaderEpoch', type: 'int32', versions: '0+' },
      ] },
    ] },
  ],
});

export const OffsetForLeaderEpochResponse = defineMessage({
  name: 'OffsetForLeaderEpochResponse', apiKey: 23, type: 'response', validVersions: '0-4', flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+', ignorable: true },
    { name: 'topics', type: '[]OffsetForLeaderTopicResult', versions: '0+', fields: [
      { name: 'topic', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]EpochEndOffset', versions: '0+', fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'partition', type: 'int32', versions: '0+' },
        { name: 'leaderEpoch', type: 'int32', versions: '1+', default: -1, ignorable: true },
        { name: 'endOffset', type: 'int64', versions: '0+', default: -1 },
      ] },
    ] },
  ],
});

export type OffsetForLeaderEpochRequestData = MessageValue<typeof OffsetForLeaderEpochRequest>;
export type OffsetForLeaderEpochResponseInput = MessageInput<typeof OffsetForLeaderEpochResponse>;

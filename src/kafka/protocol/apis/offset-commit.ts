/**
 * OffsetCommit (key 8), v2–v9, from apache/kafka OffsetCommitRequest.json / Response.json. The
 * range must overlap 1..2 for librdkafka 2.0.2's balanced consumer (kafka.md Decision B). The CLI's
 * --reset-offsets commits with generation -1 and member "" (allowed only while the group is Empty).
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const OffsetCommitRequest = defineMessage({
  name: 'OffsetCommitRequest', apiKey: 8, type: 'request', validVersions: '2-9', flexibleVersions: '8+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationIdOrMemberEpoch', type: 'int32', versions: '1+', default: -1, ignorable: true },
    { name: 'memberId', type: 'string', versions: '1+', ignorable: true },
    { name: 'groupInstanceId', type: 'string', versions: '7+', nullableVersions: '7+', default: null },
    // v2–v4: -1 means the broker's offsets.retention.minutes.
    { name: 'retentionTimeMs', type: 'int64', versions: '2-4', default: -1, ignorable: true },
    { name: 'topics', type: '[]OffsetCommitRequestTopic', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]OffsetCommitRequestPartition', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'committedOffset', type: 'int64', versions: '0+' },
        { name: 'committedLeaderEpoch', type: 'int32', versions: '6+', default: -1, ignorable: true },
        { name: 'commitTimestamp', type: 'int64', versions: '1', default: -1 },
        { name: 'committedMetadata', type: 'string', versions: '0+', nullableVersions: '0+' },
      ] },
    ] },
  ],
});

export const OffsetCommitResponse = defineMessage({
  name: 'OffsetCommitResponse', apiKey: 8, type: 'response', validVersions: '2-9', flexibleVersions: '8+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+', ignorable: true },
    { name: 'topics', type: '[]OffsetCommitResponseTopic', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]OffsetCommitResponsePartition', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
      ] },
    ] },
  ],
});

export type OffsetCommitRequestData = MessageValue<typeof OffsetCommitRequest>;
export type OffsetCommitResponseInput = MessageInput<typeof OffsetCommitResponse>;

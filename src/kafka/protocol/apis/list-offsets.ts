/**
 * ListOffsets (key 2), v0–v9, from apache/kafka ListOffsetsRequest.json / ListOffsetsResponse.json.
 * Timestamp -1 asks for the latest offset, -2 for the earliest. v0 (still sent by librdkafka 1.7
 * for watermarks) answers a list of old-style offsets instead of one timestamp/offset pair.
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const ListOffsetsRequest = defineMessage({
  name: 'ListOffsetsRequest', apiKey: 2, type: 'request', validVersions: '0-9', flexibleVersions: '6+',
  fields: [
    { name: 'replicaId', type: 'int32', versions: '0+' },
    { name: 'isolationLevel', type: 'int8', versions: '2+' },
    { name: 'topics', type: '[]ListOffsetsTopic', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]ListOffsetsPartition', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'currentLeaderEpoch', type: 'int32', versions: '4+', default: -1, ignorable: true },
        { name: 'timestamp', type: 'int64', versions: '0+' },
        { name: 'maxNumOffsets', type: 'int32', versions: '0', default: 1 },
      ] },
    ] },
  ],
});

export const ListOffsetsResponse = defineMessage({
  name: 'ListOffsetsResponse', apiKey: 2, type: 'response', validVersions: '0-9', flexibleVersions: '6+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+', ignorable: true },
    { name: 'topics', type: '[]ListOffsetsTopicResponse', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]ListOffsetsPartitionResponse', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'oldStyleOffsets', type: '[]int64', versions: '0' },
        { name: 'timestamp', type: 'int64', versions: '1+', default: -1 },
        { name: 'offset', type: 'int64', versions: '1+', default: -1 },
        { name: 'leaderEpoch', type: 'int32', versions: '4+', default: -1 },
      ] },
    ] },
  ],
});

export type ListOffsetsRequestData = MessageValue<typeof ListOffsetsRequest>;
export type ListOffsetsResponseInput = MessageInput<typeof ListOffsetsResponse>;

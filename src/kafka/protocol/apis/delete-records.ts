/**
 * DeleteRecords (key 21), v0–v2, from apache/kafka DeleteRecordsRequest.json / Response.json: moves a
 * partition's log start offset forward; offset -1 means "up to the high watermark".
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const DeleteRecordsRequest = defineMessage({
  name: 'DeleteRecordsRequest', apiKey: 21, type: 'request', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'topics', type: '[]DeleteRecordsTopic', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]DeleteRecordsPartition', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'offset', type: 'int64', versions: '0+' },
      ] },
    ] },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
});

export const DeleteRecordsResponse = defineMessage({
  name: 'DeleteRecordsResponse', apiKey: 21, type: 'response', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'topics', type: '[]DeleteRecordsTopicResult', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]DeleteRecordsPartitionResult', versions: '0+', fields: [
        { name: 'partitionIndex', type: 'int32', versions: '0+' },
        { name: 'lowWatermark', type: 'int64', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
      ] },
    ] },
  ],
});

export type DeleteRecordsRequestData = MessageValue<typeof DeleteRecordsRequest>;
export type DeleteRecordsResponseInput = MessageInput<typeof DeleteRecordsResponse>;

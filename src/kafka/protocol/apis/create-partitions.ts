/**
 * CreatePartitions (key 37), v0–v3, from apache/kafka CreatePartitionsRequest.json / Response.json
 * (`kafka-topics --alter --partitions`): `count` is the new total; a count ≤ the current one is
 * INVALID_PARTITIONS.
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const CreatePartitionsRequest = defineMessage({
  name: 'CreatePartitionsRequest', apiKey: 37, type: 'request', validVersions: '0-3', flexibleVersions: '2+',
  fields: [
    { name: 'topics', type: '[]CreatePartitionsTopic', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'count', type: 'int32', versions: '0+' },
      { name: 'assignments', type: '[]CreatePartitionsAssignment', versions: '0+', nullableVersions: '0+', fields: [
        { name: 'brokerIds', type: '[]int32', versions: '0+' },
      ] },
    ] },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
});

export const CreatePartitionsResponse = defineMessage({
  name: 'CreatePartitionsResponse', apiKey: 37, type: 'response', validVersions: '0-3', flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'results', type: '[]CreatePartitionsTopicResult', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    ] },
  ],
});

export type CreatePartitionsRequestData = MessageValue<typeof CreatePartitionsRequest>;
export type CreatePartitionsResponseInput = MessageInput<typeof CreatePartitionsResponse>;

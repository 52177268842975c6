/** DeleteTopics (key 20), v0–v6, from apache/kafka DeleteTopicsRequest.json / Response.json. */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const DeleteTopicsRequest = defineMessage({
  name: 'DeleteTopicsRequest', apiKey: 20, type: 'request', validVersions: '0-6', flexibleVersions: '4+',
  fields: [
    { name: 'topics', type: '[]DeleteTopicState', versions: '6+', fields: [
      { name: 'name', type: 'string', versions: '6+', nullableVersions: '6+', default: null },
      { name: 'topicId', type: 'uuid', versions: '6+' },
    ] },
    { name: 'topicNames', type: '[]string', versions: '0-5', ignorable: true },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
});

export const DeleteTopicsResponse = defineMessage({
  name: 'DeleteTopicsResponse', apiKey: 20, type: 'response', validVersions: '0-6', flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'responses', type: '[]DeletableTopicResult', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+', nullableVersions: '6+' },
      { name: 'topicId', type: 'uuid', versions: '6+', ignorable: true },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    ] },
  ],
});

export type DeleteTopicsRequestData = MessageValue<typeof DeleteTopicsRequest>;
export type DeleteTopicsResponseInput = MessageInput<typeof DeleteTopicsResponse>;

/** DeleteTopics (key 20), v0–v3, from apache/kafka DeleteTopicsRequest.json / Response.json. */
import { defineMessage } from '../schema.js';

export const DeleteTopicsRequest = defineMessage({
  name: 'DeleteTopicsRequest', apiKey: 20, type: 'request', validVersions: '0-3', flexibleVersions: '4+',
  fields: [
    { name: 'topicNames', type: '[]string', versions: '0-5', ignorable: true },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
});

export const DeleteTopicsResponse = defineMessage({
  name: 'DeleteTopicsResponse', apiKey: 20, type: 'response', validVersions: '0-3', flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'responses', type: '[]DeletableTopicResult', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
    ] },
  ],
});

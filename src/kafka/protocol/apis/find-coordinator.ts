/**
 * FindCoordinator (key 10), v0–v6, from apache/kafka FindCoordinatorRequest.json / Response.json.
 * Min 0 keeps librdkafka 2.0.2's balanced consumer groups on (kafka.md Decision B); v3 is flexible
 * and v4 batches keys (KIP-699), which @platformatic/kafka (4–6) requires.
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const FindCoordinatorRequest = defineMessage({
  name: 'FindCoordinatorRequest', apiKey: 10, type: 'request', validVersions: '0-6', flexibleVersions: '3+',
  fields: [
    { name: 'key', type: 'string', versions: '0-3' },
    // 0 = group, 1 = transaction (v1+).
    { name: 'keyType', type: 'int8', versions: '1+', default: 0 },
    { name: 'coordinatorKeys', type: '[]string', versions: '4+' },
  ],
});

export const FindCoordinatorResponse = defineMessage({
  name: 'FindCoordinatorResponse', apiKey: 10, type: 'response', validVersions: '0-6', flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0-3' },
    { name: 'errorMessage', type: 'string', versions: '1-3', nullableVersions: '1-3', ignorable: true },
    { name: 'nodeId', type: 'int32', versions: '0-3' },
    { name: 'host', type: 'string', versions: '0-3' },
    { name: 'port', type: 'int32', versions: '0-3' },
    { name: 'coordinators', type: '[]Coordinator', versions: '4+', fields: [
      { name: 'key', type: 'string', versions: '4+' },
      { name: 'nodeId', type: 'int32', versions: '4+' },
      { name: 'host', type: 'string', versions: '4+' },
      { name: 'port', type: 'int32', versions: '4+' },
      { name: 'errorCode', type: 'int16', versions: '4+' },
      { name: 'errorMessage', type: 'string', versions: '4+', nullableVersions: '4+', ignorable: true },
    ] },
  ],
});

export type FindCoordinatorRequestData = MessageValue<typeof FindCoordinatorRequest>;
export type FindCoordinatorResponseInput = MessageInput<typeof FindCoordinatorResponse>;

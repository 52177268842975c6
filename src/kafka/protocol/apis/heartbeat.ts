/** Heartbeat (key 12), v0–v4, from apache/kafka HeartbeatRequest.json / HeartbeatResponse.json. */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const HeartbeatRequest = defineMessage({
  name: 'HeartbeatRequest', apiKey: 12, type: 'request', validVersions: '0-4', flexibleVersions: '4+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
  ],
});

export const HeartbeatResponse = defineMessage({
  name: 'HeartbeatResponse', apiKey: 12, type: 'response', validVersions: '0-4', flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
});

export type HeartbeatRequestData = MessageValue<typeof HeartbeatRequest>;
export type HeartbeatResponseInput = MessageInput<typeof HeartbeatResponse>;

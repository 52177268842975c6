/**
 * SyncGroup (key 14), v0–v5, from apache/kafka SyncGroupRequest.json / Response.json. The leader
 * sends every member's assignment; each member gets its own back, bytes verbatim (the CLI decodes
 * them as ConsumerProtocolAssignment).
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const SyncGroupRequest = defineMessage({
  name: 'SyncGroupRequest', apiKey: 14, type: 'request', validVersions: '0-5', flexibleVersions: '4+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
    { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    { name: 'assignments', type: '[]SyncGroupRequestAssignment', versions: '0+', fields: [
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'assignment', type: 'bytes', versions: '0+' },
    ] },
  ],
});

export const SyncGroupResponse = defineMessage({
  name: 'SyncGroupResponse', apiKey: 14, type: 'response', validVersions: '0-5', flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    { name: 'assignment', type: 'bytes', versions: '0+' },
  ],
});

export type SyncGroupRequestData = MessageValue<typeof SyncGroupRequest>;
export type SyncGroupResponseInput = MessageInput<typeof SyncGroupResponse>;

/**
 * JoinGroup (key 11), v0–v9, from apache/kafka JoinGroupRequest.json / Response.json. Min 0 keeps
 * librdkafka 2.0.2's balanced consumer groups on (kafka.md Decision B). v4+ answers an empty member
 * id with MEMBER_ID_REQUIRED (KIP-394); v5 adds static membership (groupInstanceId, KIP-345).
 * Protocol metadata is opaque bytes the broker hands back verbatim to the leader.
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const JoinGroupRequest = defineMessage({
  name: 'JoinGroupRequest', apiKey: 11, type: 'request', validVersions: '0-9', flexibleVersions: '6+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'sessionTimeoutMs', type: 'int32', versions: '0+' },
    // v0 has no rebalance timeout; Kafka then uses the session timeout (JoinGroupRequest.java).
    { name: 'rebalanceTimeoutMs', type: 'int32', versions: '1+', default: -1, ignorable: true },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
    { name: 'protocolType', type: 'string', versions: '0+' },
    { name: 'protocols', type: '[]JoinGroupRequestProtocol', versions: '0+', fields: [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'metadata', type: 'bytes', versions: '0+' },
    ] },
    { name: 'reason', type: 'string', versions: '8+', nullableVersions: '8+', default: null, ignorable: true },
  ],
});

export const JoinGroupResponse = defineMessage({
  name: 'JoinGroupResponse', apiKey: 11, type: 'response', validVersions: '0-9', flexibleVersions: '6+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+', default: -1 },
    { name: 'protocolType', type: 'string', versions: '7+', nullableVersions: '7+', default: null, ignorable: true },
    { name: 'protocolName', type: 'string', versions: '0+', nullableVersions: '7+' },
    { name: 'leader', type: 'string', versions: '0+' },
    { name: 'skipAssignment', type: 'bool', versions: '9+', default: false },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'members', type: '[]JoinGroupResponseMember', versions: '0+', fields: [
      { name: 'memberId', type: 'string', versions: '0+' },
      { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
      { name: 'metadata', type: 'bytes', versions: '0+' },
    ] },
  ],
});

export type JoinGroupRequestData = MessageValue<typeof JoinGroupRequest>;
export type JoinGroupResponseInput = MessageInput<typeof JoinGroupResponse>;

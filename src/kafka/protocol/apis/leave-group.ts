/**
 * LeaveGroup (key 13), v0–v5, from apache/kafka LeaveGroupRequest.json / Response.json. v3
 * (KIP-345) replaces the single member id with a batch of members and answers per member.
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const LeaveGroupRequest = defineMessage({
  name: 'LeaveGroupRequest', apiKey: 13, type: 'request', validVersions: '0-5', flexibleVersions: '4+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0-2' },
    { name: 'members', type: '[]MemberIdentity', versions: '3+', fields: [
      { name: 'memberId', type: 'string', versions: '3+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
      { name: 'reason', type: 'string', versions: '5+', nullableVersions: '5+', default: null, ignorable: true },
    ] },
  ],
});

export const LeaveGroupResponse = defineMessage({
  name: 'LeaveGroupResponse', apiKey: 13, type: 'response', validVersions: '0-5', flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'members', type: '[]MemberResponse', versions: '3+', fields: [
      { name: 'memberId', type: 'string', versions: '3+' },
      { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+' },
      { name: 'errorCode', type: 'int16', versions: '3+' },
    ] },
  ],
});

export type LeaveGroupRequestData = MessageValue<typeof LeaveGroupRequest>;
export type LeaveGroupResponseInput = MessageInput<typeof LeaveGroupResponse>;

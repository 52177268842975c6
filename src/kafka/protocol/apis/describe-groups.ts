/**
 * DescribeGroups (key 15), v0–v5, from apache/kafka DescribeGroupsRequest.json / Response.json.
 * Member metadata and assignment are the bytes the members sent; the CLI's consumer-groups
 * --describe decodes the assignment to map members to partitions.
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const DescribeGroupsRequest = defineMessage({
  name: 'DescribeGroupsRequest', apiKey: 15, type: 'request', validVersions: '0-5', flexibleVersions: '5+',
  fields: [
    { name: 'groups', type: '[]string', versions: '0+' },
    { name: 'includeAuthorizedOperations', type: 'bool', versions: '3+' },
  ],
});

export const DescribeGroupsResponse = defineMessage({
  name: 'DescribeGroupsResponse', apiKey: 15, type: 'response', validVersions: '0-5', flexibleVersions: '5+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'groups', type: '[]DescribedGroup', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'groupState', type: 'string', versions: '0+' },
      { name: 'protocolType', type: 'string', versions: '0+' },
      { name: 'protocolData', type: 'string', versions: '0+' },
      { name: 'members', type: '[]DescribedGroupMember', versions: '0+', fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'groupInstanceId', type: 'string', versions: '4+', nullableVersions: '4+', default: null, ignorable: true },
        { name: 'clientId', type: 'string', versions: '0+' },
        { name: 'clientHost', type: 'string', versions: '0+' },
        { name: 'memberMetadata', type: 'bytes', versions: '0+' },
        { name: 'memberAssignment', type: 'bytes', versions: '0+' },
      ] },
      { name: 'authorizedOperations', type: 'int32', versions: '3+', default: -2147483648 },
    ] },
  ],
});

export type DescribeGroupsRequestData = MessageValue<typeof DescribeGroupsRequest>;
export type DescribeGroupsResponseInput = MessageInput<typeof DescribeGroupsResponse>;

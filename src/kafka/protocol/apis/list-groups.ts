/**
 * ListGroups (key 16), v0–v5, from apache/kafka ListGroupsRequest.json / Response.json; the request
 * body is empty up to v3; v4 adds a state filter (KIP-518), v5 a type filter (KIP-848).
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const ListGroupsRequest = defineMessage({
  name: 'ListGroupsRequest', apiKey: 16, type: 'request', validVersions: '0-5', flexibleVersions: '3+',
  fields: [
    { name: 'statesFilter', type: '[]string', versions: '4+' },
    { name: 'typesFilter', type: '[]string', versions: '5+' },
  ],
});

export const ListGroupsResponse = defineMessage({
  name: 'ListGroupsResponse', apiKey: 16, type: 'response', validVersions: '0-5', flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'groups', type: '[]ListedGroup', versions: '0+', fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'protocolType', type: 'string', versions: '0+' },
      { name: 'groupState', type: 'string', versions: '4+', ignorable: true },
      { name: 'groupType', type: 'string', versions: '5+', ignorable: true },
    ] },
  ],
});

export type ListGroupsRequestData = MessageValue<typeof ListGroupsRequest>;
export type ListGroupsResponseInput = MessageInput<typeof ListGroupsResponse>;

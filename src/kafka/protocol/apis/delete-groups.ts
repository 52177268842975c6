/** DeleteGroups (key 42), v0–v2, from apache/kafka DeleteGroupsRequest.json / Response.json. */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const DeleteGroupsRequest = defineMessage({
  name: 'DeleteGroupsRequest', apiKey: 42, type: 'request', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'groupsNames', type: '[]string', versions: '0+' },
  ],
});

export const DeleteGroupsResponse = defineMessage({
  name: 'DeleteGroupsResponse', apiKey: 42, type: 'response', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'results', type: '[]DeletableGroupResult', versions: '0+', fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
    ] },
  ],
});

export type DeleteGroupsRequestData = MessageValue<typeof DeleteGroupsRequest>;
export type DeleteGroupsResponseInput = MessageInput<typeof DeleteGroupsResponse>;

/**
 * AlterConfigs (key 33), v0–v2, from apache/kafka AlterConfigsRequest.json / Response.json (v1 is
 * v0 with throttling after the response; v2 is flexible). The legacy, non-incremental form: the
 * configs given replace every override of the resource.
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const AlterConfigsRequest = defineMessage({
  name: 'AlterConfigsRequest', apiKey: 33, type: 'request', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'resources', type: '[]AlterConfigsResource', versions: '0+', fields: [
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
      { name: 'configs', type: '[]AlterableConfig', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
      ] },
    ] },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
});

export const AlterConfigsResponse = defineMessage({
  name: 'AlterConfigsResponse', apiKey: 33, type: 'response', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'responses', type: '[]AlterConfigsResourceResponse', versions: '0+', fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
    ] },
  ],
});

export type AlterConfigsRequestData = MessageValue<typeof AlterConfigsRequest>;
export type AlterConfigsResponseInput = MessageInput<typeof AlterConfigsResponse>;

/**
 * IncrementalAlterConfigs (key 44), v0–v1, from apache/kafka IncrementalAlterConfigsRequest.json /
 * Response.json (KIP-339; v1 is flexible). Each config carries its operation: 0 SET, 1 DELETE,
 * 2 APPEND, 3 SUBTRACT (AlterConfigOp.OpType).
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const IncrementalAlterConfigsRequest = defineMessage({
  name: 'IncrementalAlterConfigsRequest', apiKey: 44, type: 'request', validVersions: '0-1', flexibleVersions: '1+',
  fields: [
    { name: 'resources', type: '[]AlterConfigsResource', versions: '0+', fields: [
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
      { name: 'configs', type: '[]AlterableConfig', versions: '0+', fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'configOperation', type: 'int8', versions: '0+' },
        { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
      ] },
    ] },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
});

export const IncrementalAlterConfigsResponse = defineMessage({
  name: 'IncrementalAlterConfigsResponse', apiKey: 44, type: 'response', validVersions: '0-1', flexibleVersions: '1+',
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

export type IncrementalAlterConfigsRequestData = MessageValue<typeof IncrementalAlterConfigsRequest>;
export type IncrementalAlterConfigsResponseInput = MessageInput<typeof IncrementalAlterConfigsResponse>;

/**
 * DescribeCluster (key 60), v0–v1, from apache/kafka DescribeClusterRequest.json / Response.json
 * (KIP-700): the cluster id, the controller and the brokers, which Admin.describeCluster asks for
 * instead of Metadata. Every version is flexible. v1 adds endpointType (1 = brokers, 2 = controllers;
 * a broker refuses 2 with UNSUPPORTED_ENDPOINT_TYPE, as KafkaApis.handleDescribeCluster does).
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const DescribeClusterRequest = defineMessage({
  name: 'DescribeClusterRequest', apiKey: 60, type: 'request', validVersions: '0-1', flexibleVersions: '0+',
  fields: [
    { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '0+' },
    { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
  ],
});

export const DescribeClusterResponse = defineMessage({
  name: 'DescribeClusterResponse', apiKey: 60, type: 'response', validVersions: '0-1', flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
    { name: 'clusterId', type: 'string', versions: '0+' },
    { name: 'controllerId', type: 'int32', versions: '0+', default: -1 },
    { name: 'brokers', type: '[]DescribeClusterBroker', versions: '0+', fields: [
      { name: 'brokerId', type: 'int32', versions: '0+' },
      { name: 'host', type: 'string', versions: '0+' },
      { name: 'port', type: 'int32', versions: '0+' },
      { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    ] },
    { name: 'clusterAuthorizedOperations', type: 'int32', versions: '0+', default: -2147483648 },
  ],
});

export type DescribeClusterRequestData = MessageValue<typeof DescribeClusterRequest>;
export type DescribeClusterResponseInput = MessageInput<typeof DescribeClusterResponse>;

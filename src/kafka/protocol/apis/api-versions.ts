/**
 * ApiVersions (key 18), v0–v4, from apache/kafka ApiVersionsRequest.json / ApiVersionsResponse.json.
 * v1 adds throttleTimeMs; v3 is the first flexible version and adds the client software name and
 * version; v4 has v3's layout (KAFKA-17011 changed only feature semantics). The response always
 * goes out with header v0 (headers.ts), and a request of an unknown version is answered with a v0
 * body carrying UNSUPPORTED_VERSION (KIP-511, RequestContext.parseRequest).
 */
import { defineMessage } from '../schema.js';

export const ApiVersionsRequest = defineMessage({
  name: 'ApiVersionsRequest', apiKey: 18, type: 'request', validVersions: '0-4', flexibleVersions: '3+',
  fields: [
    { name: 'clientSoftwareName', type: 'string', versions: '3+' },
    { name: 'clientSoftwareVersion', type: 'string', versions: '3+' },
  ],
});

export const ApiVersionsResponse = defineMessage({
  name: 'ApiVersionsResponse', apiKey: 18, type: 'response', validVersions: '0-4', flexibleVersions: '3+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'apiKeys', type: '[]ApiVersion', versions: '0+', fields: [
        { name: 'apiKey', type: 'int16', versions: '0+' },
        { name: 'minVersion', type: 'int16', versions: '0+' },
        { name: 'maxVersion', type: 'int16', versions: '0+' },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    {
      name: 'supportedFeatures', type: '[]SupportedFeatureKey', versions: '3+', tag: 0, taggedVersions: '3+', ignorable: true,
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'minVersion', type: 'int16', versions: '3+' },
        { name: 'maxVersion', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', tag: 1, taggedVersions: '3+', default: -1, ignorable: true },
    {
      name: 'finalizedFeatures', type: '[]FinalizedFeatureKey', versions: '3+', tag: 2, taggedVersions: '3+', ignorable: true,
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
        { name: 'minVersionLevel', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'zkMigrationReady', type: 'bool', versions: '3+', tag: 3, taggedVersions: '3+', default: false, ignorable: true },
  ],
});

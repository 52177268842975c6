/**
 * SaslAuthenticate (key 36), v0–v2, from apache/kafka SaslAuthenticateRequest.json / Response.json.
 * SaslHandshake v1 with SaslAuthenticate v0 turns on librdkafka's SASL_AUTH_REQ feature; v1 adds the
 * session lifetime (KIP-368; 0 = no re-authentication required).
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const SaslAuthenticateRequest = defineMessage({
  name: 'SaslAuthenticateRequest', apiKey: 36, type: 'request', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'authBytes', type: 'bytes', versions: '0+' },
  ],
});

export const SaslAuthenticateResponse = defineMessage({
  name: 'SaslAuthenticateResponse', apiKey: 36, type: 'response', validVersions: '0-2', flexibleVersions: '2+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'authBytes', type: 'bytes', versions: '0+' },
    { name: 'sessionLifetimeMs', type: 'int64', versions: '1+', default: 0, ignorable: true },
  ],
});

export type SaslAuthenticateRequestData = MessageValue<typeof SaslAuthenticateRequest>;
export type SaslAuthenticateResponseInput = MessageInput<typeof SaslAuthenticateResponse>;

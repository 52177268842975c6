/**
 * SaslHandshake (key 17), v0–v1, from apache/kafka SaslHandshakeRequest.json / Response.json; never
 * flexible. After v0 (kafka-python) the SASL tokens follow as raw size-prefixed frames, without a
 * Kafka header; after v1 they travel in SaslAuthenticate requests (SaslServerAuthenticator).
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const SaslHandshakeRequest = defineMessage({
  name: 'SaslHandshakeRequest', apiKey: 17, type: 'request', validVersions: '0-1', flexibleVersions: 'none',
  fields: [{ name: 'mechanism', type: 'string', versions: '0+' }],
});

export const SaslHandshakeResponse = defineMessage({
  name: 'SaslHandshakeResponse', apiKey: 17, type: 'response', validVersions: '0-1', flexibleVersions: 'none',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    // The mechanisms the broker enables, listed also on UNSUPPORTED_SASL_MECHANISM.
    { name: 'mechanisms', type: '[]string', versions: '0+' },
  ],
});

export type SaslHandshakeRequestData = MessageValue<typeof SaslHandshakeRequest>;
export type SaslHandshakeResponseInput = MessageInput<typeof SaslHandshakeResponse>;

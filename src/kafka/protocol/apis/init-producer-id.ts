/**
 * InitProducerId (key 22), v0–v5, from apache/kafka InitProducerIdRequest.json / Response.json.
 * Idempotent producers send it with a null transactional id (Java clients ≥3.0 by default).
 */
import { defineMessage, type MessageInput, type MessageValue } from '../schema.js';

export const InitProducerIdRequest = defineMessage({
  name: 'InitProducerIdRequest', apiKey: 22, type: 'request', validVersions: '0-5', flexibleVersions: '2+',
  fields: [
    { name: 'transactionalId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '3+', default: -1 },
    { name: 'producerEpoch', type: 'int16', versions: '3+', default: -1 },
  ],
});

export const InitProducerIdResponse = defineMessage({
  name: 'InitProducerIdResponse', apiKey: 22, type: 'response', validVersions: '0-5', flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+', default: -1 },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
  ],
});

export type InitProducerIdRequestData = MessageValue<typeof InitProducerIdRequest>;
export type InitProducerIdResponseInput = MessageInput<typeof InitProducerIdResponse>;

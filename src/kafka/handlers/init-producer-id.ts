import { KafkaErrors } from '../errors.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../protocol/apis/init-producer-id.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof InitProducerIdRequest>;
type Response = MessageInput<typeof InitProducerIdResponse>;

/**
 * InitProducerId (key 22), v0–v1, for idempotent producers (transactional_id null): a new producer
 * id from the logged blocks (ProducerIdManager) with epoch 0, as Kafka's TransactionCoordinator
 * answers a non-transactional InitProducerId. Transactions are not supported: a transactional id is
 * refused with UNSUPPORTED_VERSION ("The version of API is not supported."), which every client
 * treats as fatal for the producer — Java's TransactionManager raises "Unexpected error in
 * InitProducerIdResponse; The version of API is not supported.", kafkajs a KafkaJSProtocolError with
 * that text — rather than an authorization error that would send the user looking at ACLs. The
 * broker logs why. The transaction APIs themselves (AddPartitionsToTxn, EndTxn …) are not
 * advertised, so no client sends them.
 */
export async function handleInitProducerId(req: Request, ctx: RequestContext): Promise<Response> {
  if (req.transactionalId !== null) {
    ctx.broker.logger.info({ conn: ctx.connectionId, clientId: ctx.clientId, transactionalId: req.transactionalId },
      'kafka transactions are not supported: InitProducerId with a transactional id refused (UNSUPPORTED_VERSION)');
    return { throttleTimeMs: 0, errorCode: KafkaErrors.UNSUPPORTED_VERSION.code, producerId: -1n, producerEpoch: -1 };
  }
  const producerId = await ctx.broker.topics.producerIds.nextId();
  return { throttleTimeMs: 0, errorCode: KafkaErrors.NONE.code, producerId: BigInt(producerId), producerEpoch: 0 };
}

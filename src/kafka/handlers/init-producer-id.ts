import { KafkaErrors } from '../errors.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../protocol/apis/init-producer-id.js';
import type { MessageInput, MessageValue } from '../protocol/schema.js';
import type { RequestContext } from './context.js';

type Request = MessageValue<typeof InitProducerIdRequest>;
type Response = MessageInput<typeof InitProducerIdResponse>;

/**
 * InitProducerId (key 22), v0–v5, for idempotent producers (transactional_id null): a new producer
 * id from the logged blocks (ProducerIdManager) with epoch 0, as Kafka's TransactionCoordinator
 * answers a non-transactional InitProducerId. The producer id and epoch that v3+ (KIP-360) lets a
 * producer send are ignored for it, as there: "if the transactional id is null, then always blindly
 * accept the request and return a new producerId" (TransactionCoordinator.handleInitProducerId);
 * an idempotent Java producer bumps its epoch itself and asks again only for a fresh id.
 *
 * Transactions are not supported. A transactional id is refused with
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED, the one code every client treats as fatal at once:
 * librdkafka (rdkafka_idempotence.c, rd_kafka_idemp_check_error) raises "Failed to acquire
 * transactional PID from broker …: Broker: Transactional Id authorization failed" where it would
 * retry UNSUPPORTED_VERSION or INVALID_REQUEST every 500 ms until init_transactions times out; Java's
 * TransactionManager raises TransactionalIdAuthorizationException, kafkajs a non-retriable
 * KafkaJSProtocolError. The code's text speaks of authorization, so the broker logs the real reason
 * (and docs/compat/kafka.md says it). The transaction APIs (AddPartitionsToTxn, EndTxn …) are not
 * advertised, so no client gets further.
 *
 * Without a transactional id it needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic
 * (KIP-679), else CLUSTER_AUTHORIZATION_FAILED (KafkaApis.handleInitProducerIdRequest).
 */
export async function handleInitProducerId(req: Request, ctx: RequestContext): Promise<Response> {
  if (req.transactionalId !== null) {
    ctx.broker.logger.info({ conn: ctx.connectionId, clientId: ctx.clientId, transactionalId: req.transactionalId },
      'kafka transactions are not supported: InitProducerId with a transactional id refused (TRANSACTIONAL_ID_AUTHORIZATION_FAILED)');
    return { throttleTimeMs: 0, errorCode: KafkaErrors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code, producerId: -1n, producerEpoch: -1 };
  }
  if (!ctx.authorize('IDEMPOTENT_WRITE', 'cluster') && !ctx.authorizeByResourceType('WRITE', 'topic')) {
    return { throttleTimeMs: 0, errorCode: KafkaErrors.CLUSTER_AUTHORIZATION_FAILED.code, producerId: -1n, producerEpoch: -1 };
  }
  const producerId = await ctx.broker.topics.producerIds.nextId();
  return { throttleTimeMs: 0, errorCode: KafkaErrors.NONE.code, producerId: BigInt(producerId), producerEpoch: 0 };
}

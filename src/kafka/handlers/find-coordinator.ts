import { KafkaErrors } from '../errors.js';
import type { FindCoordinatorRequestData, FindCoordinatorResponseInput } from '../protocol/apis/find-coordinator.js';
import type { RequestContext } from './context.js';

/** FindCoordinatorRequest.CoordinatorType */
const GROUP = 0;
const TRANSACTION = 1;

interface CoordinatorAnswer { errorCode: number; errorMessage: string | null; nodeId: number; host: string; port: number }

/**
 * FindCoordinator (key 10), v0–v6: this single broker coordinates every group, so the answer is
 * its own node id and advertised address (KafkaApis.handleFindCoordinatorRequest). It names itself
 * for key type 1 (transactions) too: transactions are refused by InitProducerId with a
 * transactional id, an error every client treats as fatal at once, where an error here would be
 * retried until the client's own timeout (librdkafka, kafkajs). Another key type is
 * INVALID_REQUEST, as Kafka answers an unknown coordinator type. A group key needs DESCRIBE on the
 * group, else GROUP_AUTHORIZATION_FAILED with no node (KafkaApis.getCoordinator,
 * FindCoordinatorResponse.prepareOldResponse); a transaction key is not checked: there are no
 * transactional-id permissions, and InitProducerId refuses every transactional id. v4+ (KIP-699)
 * asks for a batch of keys and gets one coordinator entry per key.
 */
export function handleFindCoordinator(req: FindCoordinatorRequestData, ctx: RequestContext): FindCoordinatorResponseInput {
  if (ctx.apiVersion >= 4) {
    return { throttleTimeMs: 0, coordinators: req.coordinatorKeys.map((key) => ({ key, ...coordinatorFor(req.keyType, key, ctx) })) };
  }
  return { throttleTimeMs: 0, ...coordinatorFor(req.keyType, req.key, ctx) };
}

function coordinatorFor(keyType: number, key: string, ctx: RequestContext): CoordinatorAnswer {
  if (keyType !== GROUP && keyType !== TRANSACTION) {
    return { errorCode: KafkaErrors.INVALID_REQUEST.code, errorMessage: `Unknown coordinator type ${keyType} in FindCoordinator request`,
      nodeId: -1, host: '', port: -1 };
  }
  if (keyType === GROUP && !ctx.authorize('DESCRIBE', 'group', key)) {
    const denied = KafkaErrors.GROUP_AUTHORIZATION_FAILED;
    return { errorCode: denied.code, errorMessage: denied.message, nodeId: -1, host: '', port: -1 };
  }
  const { host, port } = ctx.broker.advertised();
  return { errorCode: KafkaErrors.NONE.code, errorMessage: null, nodeId: ctx.broker.settings.nodeId, host, port };
}

import { KafkaErrors } from '../errors.js';
import type { FindCoordinatorRequestData, FindCoordinatorResponseInput } from '../protocol/apis/find-coordinator.js';
import type { RequestContext } from './context.js';

/** FindCoordinatorRequest.CoordinatorType */
const GROUP = 0;
const TRANSACTION = 1;

/**
 * FindCoordinator (key 10), v0–v2: this single broker coordinates every group, so the answer is
 * its own node id and advertised address (KafkaApis.handleFindCoordinatorRequest). It names itself
 * for key type 1 (transactions) too: transactions are refused by InitProducerId with a
 * transactional id, an error every client treats as fatal at once, where an error here would be
 * retried until the client's own timeout (librdkafka, kafkajs). Another key type is
 * INVALID_REQUEST, as Kafka answers an unknown coordinator type. A group key needs DESCRIBE on the
 * group, else GROUP_AUTHORIZATION_FAILED with no node (KafkaApis.getCoordinator,
 * FindCoordinatorResponse.prepareOldResponse); a transaction key is not checked: there are no
 * transactional-id permissions, and InitProducerId refuses every transactional id.
 */
export function handleFindCoordinator(req: FindCoordinatorRequestData, ctx: RequestContext): FindCoordinatorResponseInput {
  if (req.keyType !== GROUP && req.keyType !== TRANSACTION) {
    return { throttleTimeMs: 0, errorCode: KafkaErrors.INVALID_REQUEST.code, errorMessage: `Unknown coordinator type ${req.keyType} in FindCoordinator request`,
      nodeId: -1, host: '', port: -1 };
  }
  if (req.keyType === GROUP && !ctx.authorize('DESCRIBE', 'group', req.key)) {
    const denied = KafkaErrors.GROUP_AUTHORIZATION_FAILED;
    return { throttleTimeMs: 0, errorCode: denied.code, errorMessage: denied.message, nodeId: -1, host: '', port: -1 };
  }
  const { host, port } = ctx.broker.advertised();
  return { throttleTimeMs: 0, errorCode: KafkaErrors.NONE.code, errorMessage: null, nodeId: ctx.broker.settings.nodeId, host, port };
}

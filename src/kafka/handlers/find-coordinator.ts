import { KafkaErrors } from '../errors.js';
import type { FindCoordinatorRequestData, FindCoordinatorResponseInput } from '../protocol/apis/find-coordinator.js';
import type { RequestContext } from './context.js';

/** FindCoordinatorRequest.CoordinatorType */
const GROUP = 0;
const TRANSACTION = 1;

/**
 * FindCoordinator (key 10), v0–v2: this single broker coordinates every group, so the answer is
 * its own node id and advertised address (KafkaApis.handleFindCoordinatorRequest). Transactions are
 * not served: key type 1 gets COORDINATOR_NOT_AVAILABLE with a message saying why; another key type
 * is INVALID_REQUEST, as Kafka answers an unknown coordinator type.
 */
export function handleFindCoordinator(req: FindCoordinatorRequestData, ctx: RequestContext): FindCoordinatorResponseInput {
  const refuse = (errorCode: number, errorMessage: string): FindCoordinatorResponseInput =>
    ({ throttleTimeMs: 0, errorCode, errorMessage, nodeId: -1, host: '', port: -1 });
  if (req.keyType === TRANSACTION) {
    return refuse(KafkaErrors.COORDINATOR_NOT_AVAILABLE.code, 'Transactions are not supported by this broker (Junction).');
  }
  if (req.keyType !== GROUP) return refuse(KafkaErrors.INVALID_REQUEST.code, `Unknown coordinator type ${req.keyType} in FindCoordinator request`);
  const { host, port } = ctx.broker.advertised();
  return { throttleTimeMs: 0, errorCode: KafkaErrors.NONE.code, errorMessage: null, nodeId: ctx.broker.settings.nodeId, host, port };
}

import { KafkaErrors } from '../errors.js';
import type { HeartbeatRequestData, HeartbeatResponseInput } from '../protocol/apis/heartbeat.js';
import type { RequestContext } from './context.js';

/** Heartbeat (key 12), v0–v4: keeps the member's session; REBALANCE_IN_PROGRESS tells it to rejoin.
 *  Needs READ on the group (KafkaApis.handleHeartbeatRequest). */
export function handleHeartbeat(req: HeartbeatRequestData, ctx: RequestContext): HeartbeatResponseInput {
  if (!ctx.authorize('READ', 'group', req.groupId)) return { throttleTimeMs: 0, errorCode: KafkaErrors.GROUP_AUTHORIZATION_FAILED.code };
  const errorCode = ctx.broker.groups.coordinator.heartbeat({
    groupId: req.groupId, memberId: req.memberId, generationId: req.generationId,
    groupInstanceId: ctx.apiVersion >= 3 ? req.groupInstanceId ?? null : null,
  });
  return { throttleTimeMs: 0, errorCode };
}

import { KafkaErrors } from '../errors.js';
import type { LeaveGroupRequestData, LeaveGroupResponseInput } from '../protocol/apis/leave-group.js';
import type { RequestContext } from './context.js';

/**
 * LeaveGroup (key 13), v0–v5: the members leave at once and the group rebalances. v3 (KIP-345)
 * leaves a batch and answers per member; before v3 the one member's error is the response's
 * (LeaveGroupResponse.getError). v5 (KIP-800) gives each member's reason, logged at debug. Needs
 * READ on the group, else GROUP_AUTHORIZATION_FAILED at the top level and no members, at every
 * version (KafkaApis.handleLeaveGroupRequest, LeaveGroupRequest.getErrorResponse).
 */
export function handleLeaveGroup(req: LeaveGroupRequestData, ctx: RequestContext): LeaveGroupResponseInput {
  if (!ctx.authorize('READ', 'group', req.groupId)) return { throttleTimeMs: 0, errorCode: KafkaErrors.GROUP_AUTHORIZATION_FAILED.code, members: [] };
  const batch = ctx.apiVersion >= 3;
  const leaving = batch
    ? req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId ?? null }))
    : [{ memberId: req.memberId, groupInstanceId: null }];
  const errors = ctx.broker.groups.coordinator.leave(req.groupId, leaving);
  for (const m of req.members) {
    if (m.reason !== null) ctx.broker.logger.debug({ group: req.groupId, memberId: m.memberId, reason: m.reason }, 'kafka leave group');
  }
  if (!batch) return { throttleTimeMs: 0, errorCode: errors[0]!, members: [] };
  return {
    throttleTimeMs: 0, errorCode: 0,
    members: leaving.map((m, i) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: errors[i]! })),
  };
}

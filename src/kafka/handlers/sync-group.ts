import { KafkaErrors } from '../errors.js';
import type { SyncGroupRequestData, SyncGroupResponseInput } from '../protocol/apis/sync-group.js';
import type { RequestContext } from './context.js';

/** SyncGroup (key 14), v0–v5: a follower waits for the leader's assignments; each member gets its
 *  own bytes, as the leader sent them. v5 (KIP-559) answers the group's protocol type and name, which
 *  the client checks against its own (GroupCoordinator.handleSyncGroup). Needs READ on the group
 *  (KafkaApis.handleSyncGroupRequest). */
export async function handleSyncGroup(req: SyncGroupRequestData, ctx: RequestContext): Promise<SyncGroupResponseInput> {
  if (!ctx.authorize('READ', 'group', req.groupId)) {
    return { throttleTimeMs: 0, errorCode: KafkaErrors.GROUP_AUTHORIZATION_FAILED.code, assignment: Buffer.alloc(0) };
  }
  const result = await ctx.broker.groups.coordinator.sync(
    { groupId: req.groupId, memberId: req.memberId, generationId: req.generationId, groupInstanceId: ctx.apiVersion >= 3 ? req.groupInstanceId ?? null : null },
    req.assignments.map((a) => ({ memberId: a.memberId, assignment: Buffer.from(a.assignment) })),
  );
  const group = ctx.broker.groups.coordinator.group(req.groupId);
  return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment,
    protocolType: group?.protocolType ?? null, protocolName: group?.protocolName ?? null };
}

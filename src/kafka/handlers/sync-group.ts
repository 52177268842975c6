import type { SyncGroupRequestData, SyncGroupResponseInput } from '../protocol/apis/sync-group.js';
import type { RequestContext } from './context.js';

/** SyncGroup (key 14), v0–v3: a follower waits for the leader's assignments; each member gets its
 *  own bytes, as the leader sent them. */
export async function handleSyncGroup(req: SyncGroupRequestData, ctx: RequestContext): Promise<SyncGroupResponseInput> {
  const result = await ctx.broker.groups.coordinator.sync(
    { groupId: req.groupId, memberId: req.memberId, generationId: req.generationId, groupInstanceId: ctx.apiVersion >= 3 ? req.groupInstanceId ?? null : null },
    req.assignments.map((a) => ({ memberId: a.memberId, assignment: Buffer.from(a.assignment) })),
  );
  return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment };
}

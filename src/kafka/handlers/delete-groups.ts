import type { DeleteGroupsRequestData, DeleteGroupsResponseInput } from '../protocol/apis/delete-groups.js';
import type { RequestContext } from './context.js';

/** DeleteGroups (key 42), v0–v2 (GroupCoordinator.handleDeleteGroups): an Empty group and its
 *  committed offsets go; NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND if unknown. */
export async function handleDeleteGroups(req: DeleteGroupsRequestData, ctx: RequestContext): Promise<DeleteGroupsResponseInput> {
  const results: NonNullable<DeleteGroupsResponseInput['results']>[number][] = [];
  for (const groupId of req.groupsNames) results.push({ groupId, errorCode: await ctx.broker.groups.delete(groupId) });
  return { throttleTimeMs: 0, results };
}

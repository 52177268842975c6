import { KafkaErrors } from '../errors.js';
import type { DeleteGroupsRequestData, DeleteGroupsResponseInput } from '../protocol/apis/delete-groups.js';
import type { RequestContext } from './context.js';

/** DeleteGroups (key 42), v0–v2 (GroupCoordinator.handleDeleteGroups): an Empty group and its
 *  committed offsets go; NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND if unknown.
 *  Each group needs DELETE, else GROUP_AUTHORIZATION_FAILED, listed after the others
 *  (KafkaApis.handleDeleteGroupsRequest). */
export async function handleDeleteGroups(req: DeleteGroupsRequestData, ctx: RequestContext): Promise<DeleteGroupsResponseInput> {
  const results: NonNullable<DeleteGroupsResponseInput['results']>[number][] = [];
  const refused: string[] = [];
  for (const groupId of req.groupsNames) {
    if (!ctx.authorize('DELETE', 'group', groupId)) refused.push(groupId);
    else results.push({ groupId, errorCode: await ctx.broker.groups.delete(groupId) });
  }
  for (const groupId of refused) results.push({ groupId, errorCode: KafkaErrors.GROUP_AUTHORIZATION_FAILED.code });
  return { throttleTimeMs: 0, results };
}

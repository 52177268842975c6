import type { ListGroupsRequestData, ListGroupsResponseInput } from '../protocol/apis/list-groups.js';
import type { RequestContext } from './context.js';

/** ListGroups (key 16), v0–v2: every group of this coordinator, active or only holding offsets. */
export function handleListGroups(_req: ListGroupsRequestData, ctx: RequestContext): ListGroupsResponseInput {
  return {
    throttleTimeMs: 0, errorCode: 0,
    groups: ctx.broker.groups.list().map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
  };
}

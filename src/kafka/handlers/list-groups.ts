import type { ListGroupsRequestData, ListGroupsResponseInput } from '../protocol/apis/list-groups.js';
import type { RequestContext } from './context.js';

/** ListGroups (key 16), v0–v2: every group of this coordinator, active or only holding offsets —
 *  with DESCRIBE on the cluster; otherwise only the groups the principal may DESCRIBE
 *  (KafkaApis.handleListGroupsRequest). */
export function handleListGroups(_req: ListGroupsRequestData, ctx: RequestContext): ListGroupsResponseInput {
  const all = ctx.authorize('DESCRIBE', 'cluster');
  return {
    throttleTimeMs: 0, errorCode: 0,
    groups: ctx.broker.groups.list().filter((g) => all || ctx.authorize('DESCRIBE', 'group', g.groupId))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
  };
}

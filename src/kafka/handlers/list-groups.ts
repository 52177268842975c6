import type { ListGroupsRequestData, ListGroupsResponseInput } from '../protocol/apis/list-groups.js';
import type { RequestContext } from './context.js';

/** Every group here is a classic group (GroupType.CLASSIC's name in ListGroups v5). */
const CLASSIC = 'classic';

/**
 * ListGroups (key 16), v0–v5: every group of this coordinator, active or only holding offsets —
 * with DESCRIBE on the cluster; otherwise only the groups the principal may DESCRIBE
 * (KafkaApis.handleListGroupsRequest). v4 (KIP-518) filters by state and answers each group's
 * state, v5 (KIP-848) by type; the filters compare case-insensitively and an empty one keeps every
 * group (GroupCoordinatorService.listGroups).
 */
export function handleListGroups(req: ListGroupsRequestData, ctx: RequestContext): ListGroupsResponseInput {
  const all = ctx.authorize('DESCRIBE', 'cluster');
  const states = new Set(req.statesFilter.map((s) => s.toLowerCase()));
  const types = new Set(req.typesFilter.map((t) => t.toLowerCase()));
  const groups = ctx.broker.groups.list()
    .filter((g) => all || ctx.authorize('DESCRIBE', 'group', g.groupId))
    .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
    .filter(() => types.size === 0 || types.has(CLASSIC));
  return {
    throttleTimeMs: 0, errorCode: 0,
    groups: groups.map((g) => ({
      groupId: g.groupId, protocolType: g.protocolType,
      ...(ctx.apiVersion >= 4 ? { groupState: g.state } : {}), ...(ctx.apiVersion >= 5 ? { groupType: CLASSIC } : {}),
    })),
  };
}

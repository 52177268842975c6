import type { DescribeGroupsRequestData, DescribeGroupsResponseInput } from '../protocol/apis/describe-groups.js';
import type { RequestContext } from './context.js';

/**
 * The operations a group allows (AclOperation READ, DELETE, DESCRIBE as a bit field), which Kafka
 * reports for includeAuthorizedOperations when no authorizer limits them.
 */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);
/** DescribeGroupsResponse's default: operations not asked for. */
const NOT_REQUESTED = -2147483648;

/**
 * DescribeGroups (key 15), v0–v5 (GroupCoordinator.handleDescribeGroup): state as Kafka names it,
 * protocol type and protocol, members with their client id, host, and — while Stable — metadata
 * and assignment bytes as the members sent them. An unknown group is "Dead" with no error.
 */
export function handleDescribeGroups(req: DescribeGroupsRequestData, ctx: RequestContext): DescribeGroupsResponseInput {
  return {
    throttleTimeMs: 0,
    groups: req.groups.map((id) => {
      const g = ctx.broker.groups.describe(id);
      return {
        errorCode: 0, groupId: g.groupId, groupState: g.state, protocolType: g.protocolType, protocolData: g.protocol,
        members: g.members.map((m) => ({
          memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
          memberMetadata: m.metadata, memberAssignment: m.assignment,
        })),
        authorizedOperations: req.includeAuthorizedOperations ? GROUP_OPERATIONS : NOT_REQUESTED,
      };
    }),
  };
}

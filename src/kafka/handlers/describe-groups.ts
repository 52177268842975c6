import { KafkaErrors } from '../errors.js';
import type { DescribeGroupsRequestData, DescribeGroupsResponseInput } from '../protocol/apis/describe-groups.js';
import type { RequestContext } from './context.js';

type DescribedGroup = NonNullable<DescribeGroupsResponseInput['groups']>[number];

/** AclOperation codes of the operations a group supports (AclEntry.supportedOperations(GROUP)). */
const GROUP_OPERATIONS = [['READ', 3], ['DELETE', 6], ['DESCRIBE', 8]] as const;
/** DescribeGroupsResponse's default: operations not asked for (AUTHORIZED_OPERATIONS_OMITTED). */
const NOT_REQUESTED = -2147483648;

/**
 * DescribeGroups (key 15), v0–v5 (GroupCoordinator.handleDescribeGroup): state as Kafka names it,
 * protocol type and protocol, members with their client id, host, and — while Stable — metadata
 * and assignment bytes as the members sent them. An unknown group is "Dead" with no error.
 * Each group needs DESCRIBE, else it is GROUP_AUTHORIZATION_FAILED with empty fields, listed first
 * (KafkaApis.handleDescribeGroupsRequest, DescribeGroupsResponse.groupError). include_authorized_operations
 * (v3+) answers the bit field of the group operations the principal may perform (AuthHelper.authorizedOperations):
 * all three, 328, with --auth off.
 */
export function handleDescribeGroups(req: DescribeGroupsRequestData, ctx: RequestContext): DescribeGroupsResponseInput {
  const allowed = req.groups.filter((id) => ctx.authorize('DESCRIBE', 'group', id));
  const refused = req.groups.filter((id) => !allowed.includes(id)).map((groupId): DescribedGroup => ({
    errorCode: KafkaErrors.GROUP_AUTHORIZATION_FAILED.code, groupId, groupState: '', protocolType: '', protocolData: '', members: [],
    authorizedOperations: NOT_REQUESTED,
  }));
  const described = allowed.map((id): DescribedGroup => {
    const g = ctx.broker.groups.describe(id);
    return {
      errorCode: 0, groupId: g.groupId, groupState: g.state, protocolType: g.protocolType, protocolData: g.protocol,
      members: g.members.map((m) => ({
        memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
        memberMetadata: m.metadata, memberAssignment: m.assignment,
      })),
      authorizedOperations: req.includeAuthorizedOperations ? authorizedOperations(ctx, id) : NOT_REQUESTED,
    };
  });
  return { throttleTimeMs: 0, groups: refused.concat(described) };
}

function authorizedOperations(ctx: RequestContext, groupId: string): number {
  let bits = 0;
  for (const [operation, code] of GROUP_OPERATIONS) if (ctx.authorize(operation, 'group', groupId)) bits |= 1 << code;
  return bits;
}

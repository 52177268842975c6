import { KafkaErrors } from '../errors.js';
import type { JoinGroupRequestData, JoinGroupResponseInput } from '../protocol/apis/join-group.js';
import type { RequestContext } from './context.js';

/**
 * JoinGroup (key 11), v0–v9: the answer is held until the group's rebalance completes (or comes at
 * once: MEMBER_ID_REQUIRED on v4+ for a new dynamic member, KIP-394, and the errors). v0 has no
 * rebalance timeout: the session timeout serves as one (JoinGroupRequest v0 semantics). v7+ also
 * answers the protocol type (KIP-559), v8+ may give a reason (KIP-800), logged at debug; v9's
 * skip_assignment is for the new coordinator's server-side assignors and stays false.
 * Needs READ on the group, else GROUP_AUTHORIZATION_FAILED with Kafka's empty answer
 * (KafkaApis.handleJoinGroupRequest, JoinGroupRequest.getErrorResponse).
 */
export async function handleJoinGroup(req: JoinGroupRequestData, ctx: RequestContext): Promise<JoinGroupResponseInput> {
  if (!ctx.authorize('READ', 'group', req.groupId)) {
    return { throttleTimeMs: 0, errorCode: KafkaErrors.GROUP_AUTHORIZATION_FAILED.code, generationId: -1, protocolName: '', leader: '', memberId: '', members: [] };
  }
  const groupInstanceId = ctx.apiVersion >= 5 ? req.groupInstanceId ?? null : null;
  const result = await ctx.broker.groups.coordinator.join({
    groupId: req.groupId, memberId: req.memberId, groupInstanceId,
    clientId: ctx.clientId ?? '', clientHost: ctx.clientHost,
    sessionTimeoutMs: req.sessionTimeoutMs,
    rebalanceTimeoutMs: ctx.apiVersion >= 1 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs,
    protocolType: req.protocolType,
    // Copied: the request's frame buffer is not kept, the group keeps these bytes for the leader.
    protocols: req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
    requireKnownMemberId: ctx.apiVersion >= 4 && groupInstanceId === null,
  });
  if (req.reason !== null) ctx.broker.logger.debug({ group: req.groupId, memberId: result.memberId, reason: req.reason }, 'kafka join group');
  return { throttleTimeMs: 0, protocolType: req.protocolType, ...result };
}

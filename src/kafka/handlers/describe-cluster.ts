import type { KafkaOperation } from '../auth/authorizer.js';
import { KafkaErrors } from '../errors.js';
import type { DescribeClusterRequestData, DescribeClusterResponseInput } from '../protocol/apis/describe-cluster.js';
import type { RequestContext } from './context.js';

/** DescribeClusterRequest endpoint_type: 1 = brokers; 2 (controllers) only a KRaft controller answers. */
const BROKERS = 1;
/** DescribeClusterResponse's default: operations not asked for. */
const NOT_REQUESTED = -2147483648;

/** AclOperation codes of the cluster's operations that Junction checks (AclEntry.supportedOperations(CLUSTER)). */
const CLUSTER_OPERATIONS: ReadonlyArray<[KafkaOperation, number]> = [
  ['CREATE', 5], ['ALTER', 7], ['DESCRIBE', 8], ['DESCRIBE_CONFIGS', 10], ['ALTER_CONFIGS', 11], ['IDEMPOTENT_WRITE', 12],
];

/**
 * DescribeCluster (key 60), v0–v1 (KafkaApis.handleDescribeCluster): the cluster id, this node as
 * the controller and the only broker, at the address Metadata gives. Asked for, the cluster's
 * authorized operations are the bits of those the principal may do, or 0 without DESCRIBE on the
 * cluster. endpoint_type 2 (controllers) is UNSUPPORTED_ENDPOINT_TYPE, as a broker answers it.
 */
export function handleDescribeCluster(req: DescribeClusterRequestData, ctx: RequestContext): DescribeClusterResponseInput {
  const { broker } = ctx;
  const nodeId = broker.settings.nodeId;
  const base = { throttleTimeMs: 0, clusterId: broker.topics.clusterId, ...(ctx.apiVersion >= 1 ? { endpointType: req.endpointType } : {}) };
  if (req.endpointType !== BROKERS) {
    return { ...base, errorCode: KafkaErrors.UNSUPPORTED_ENDPOINT_TYPE.code, errorMessage: `Unsupported endpoint type ${req.endpointType}`,
      controllerId: -1, brokers: [] };
  }
  const { host, port } = broker.advertised();
  return {
    ...base, errorCode: KafkaErrors.NONE.code, errorMessage: null, controllerId: nodeId,
    brokers: [{ brokerId: nodeId, host, port, rack: null }],
    clusterAuthorizedOperations: req.includeClusterAuthorizedOperations ? authorizedOperations(ctx) : NOT_REQUESTED,
  };
}

function authorizedOperations(ctx: RequestContext): number {
  if (!ctx.authorize('DESCRIBE', 'cluster')) return 0;
  return CLUSTER_OPERATIONS.reduce((bits, [operation, code]) => (ctx.authorize(operation, 'cluster') ? bits | (1 << code) : bits), 0);
}

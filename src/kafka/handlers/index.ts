/**
 * The APIs this broker implements, by key: grammar and handler. ApiVersions advertises exactly
 * these keys (with the ranges of api-keys.ts); any other key closes the connection, as Kafka does
 * for a request it cannot parse. The transaction APIs are not here (see init-producer-id.ts).
 */
import {
  ApiVersionsRequest, ApiVersionsResponse, CreateTopicsRequest, CreateTopicsResponse, DeleteTopicsRequest, DeleteTopicsResponse,
  FetchRequest, FetchResponse, ListOffsetsRequest, ListOffsetsResponse, MetadataRequest, MetadataResponse, ProduceRequest,
  ProduceResponse, SaslAuthenticateRequest, SaslAuthenticateResponse, SaslHandshakeRequest, SaslHandshakeResponse,
} from '../protocol/apis/index.js';
import { DeleteGroupsRequest, DeleteGroupsResponse } from '../protocol/apis/delete-groups.js';
import { DescribeGroupsRequest, DescribeGroupsResponse } from '../protocol/apis/describe-groups.js';
import { FindCoordinatorRequest, FindCoordinatorResponse } from '../protocol/apis/find-coordinator.js';
import { HeartbeatRequest, HeartbeatResponse } from '../protocol/apis/heartbeat.js';
import { JoinGroupRequest, JoinGroupResponse } from '../protocol/apis/join-group.js';
import { LeaveGroupRequest, LeaveGroupResponse } from '../protocol/apis/leave-group.js';
import { ListGroupsRequest, ListGroupsResponse } from '../protocol/apis/list-groups.js';
import { OffsetCommitRequest, OffsetCommitResponse } from '../protocol/apis/offset-commit.js';
import { OffsetFetchRequest, OffsetFetchResponse } from '../protocol/apis/offset-fetch.js';
import { SyncGroupRequest, SyncGroupResponse } from '../protocol/apis/sync-group.js';
import { DescribeClusterRequest, DescribeClusterResponse } from '../protocol/apis/describe-cluster.js';
// Idempotent producer and admin APIs (issue 9 §1–2).
import {
  AlterConfigsRequest, AlterConfigsResponse, CreatePartitionsRequest, CreatePartitionsResponse, DeleteRecordsRequest,
  DeleteRecordsResponse, DescribeConfigsRequest, DescribeConfigsResponse, IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse, InitProducerIdRequest, InitProducerIdResponse, OffsetForLeaderEpochRequest,
  OffsetForLeaderEpochResponse,
} from '../protocol/apis/index.js';
import type { MessageInput, MessageSpec, MessageValue } from '../protocol/schema.js';
import { handleAlterConfigs } from './alter-configs.js';
import { apiVersionsBody } from './api-versions.js';
import type { NO_RESPONSE, RequestContext } from './context.js';
import { handleCreatePartitions } from './create-partitions.js';
import { handleCreateTopics } from './create-topics.js';
import { handleDeleteGroups } from './delete-groups.js';
import { handleDeleteRecords } from './delete-records.js';
import { handleDeleteTopics } from './delete-topics.js';
import { handleDescribeCluster } from './describe-cluster.js';
import { handleDescribeConfigs } from './describe-configs.js';
import { handleDescribeGroups } from './describe-groups.js';
import { fetchResponseSize, handleFetch } from './fetch.js';
import { handleFindCoordinator } from './find-coordinator.js';
import { handleHeartbeat } from './heartbeat.js';
import { handleIncrementalAlterConfigs } from './incremental-alter-configs.js';
import { handleInitProducerId } from './init-producer-id.js';
import { handleJoinGroup } from './join-group.js';
import { handleLeaveGroup } from './leave-group.js';
import { handleListGroups } from './list-groups.js';
import { handleListOffsets } from './list-offsets.js';
import { handleMetadata } from './metadata.js';
import { handleOffsetCommit } from './offset-commit.js';
import { handleOffsetFetch } from './offset-fetch.js';
import { handleOffsetForLeaderEpoch } from './offset-for-leader-epoch.js';
import { handleProduce } from './produce.js';
import { handleSaslAuthenticate, handleSaslHandshake } from './sasl.js';
import { handleSyncGroup } from './sync-group.js';

export type HandlerResult = object | Promise<object> | typeof NO_RESPONSE;

export interface ApiHandler {
  readonly name: string;
  /** Later requests of the connection wait until this one is answered: it may create or delete
   *  topics, and a Produce pipelined behind a Metadata that auto-creates its topic must find it
   *  (Kafka handles one request per connection at a time, SocketServer muting the channel). */
  readonly barrier: boolean;
  readonly request: MessageSpec;
  readonly response: MessageSpec;
  handle(request: object, ctx: RequestContext): HandlerResult;
  /** Bytes the encoded response will about take, so it is written into one buffer of that size
   *  rather than one that grows by copying (Fetch: the records it carries). */
  sizeHint?(response: object): number;
}

function api<Q extends MessageSpec, R extends MessageSpec>(name: string, request: Q, response: R,
  handle: (request: MessageValue<Q>, ctx: RequestContext) => MessageInput<R> | Promise<MessageInput<R>> | typeof NO_RESPONSE,
  barrier = false, sizeHint?: (response: MessageInput<R>) => number): [number, ApiHandler] {
  return [request.apiKey!, { name, request, response, barrier, handle: handle as ApiHandler['handle'],
    ...(sizeHint ? { sizeHint: sizeHint as (response: object) => number } : {}) }];
}

const TABLE: Array<[number, ApiHandler]> = [
  api('Produce', ProduceRequest, ProduceResponse, handleProduce),
  api('Fetch', FetchRequest, FetchResponse, handleFetch, false, fetchResponseSize),
  api('ListOffsets', ListOffsetsRequest, ListOffsetsResponse, handleListOffsets),
  api('Metadata', MetadataRequest, MetadataResponse, handleMetadata, true),
  api('ApiVersions', ApiVersionsRequest, ApiVersionsResponse, () => apiVersionsBody(IMPLEMENTED)),
  api('CreateTopics', CreateTopicsRequest, CreateTopicsResponse, handleCreateTopics, true),
  api('DeleteTopics', DeleteTopicsRequest, DeleteTopicsResponse, handleDeleteTopics, true),
  api('SaslHandshake', SaslHandshakeRequest, SaslHandshakeResponse, handleSaslHandshake),
  // A barrier: nothing after a token is read until it is evaluated (the next may be a raw one).
  api('SaslAuthenticate', SaslAuthenticateRequest, SaslAuthenticateResponse, handleSaslAuthenticate, true),
  // Consumer groups (src/kafka/groups/).
  api('OffsetCommit', OffsetCommitRequest, OffsetCommitResponse, handleOffsetCommit),
  api('OffsetFetch', OffsetFetchRequest, OffsetFetchResponse, handleOffsetFetch),
  api('FindCoordinator', FindCoordinatorRequest, FindCoordinatorResponse, handleFindCoordinator),
  api('JoinGroup', JoinGroupRequest, JoinGroupResponse, handleJoinGroup),
  api('Heartbeat', HeartbeatRequest, HeartbeatResponse, handleHeartbeat),
  api('LeaveGroup', LeaveGroupRequest, LeaveGroupResponse, handleLeaveGroup),
  api('SyncGroup', SyncGroupRequest, SyncGroupResponse, handleSyncGroup),
  api('DescribeGroups', DescribeGroupsRequest, DescribeGroupsResponse, handleDescribeGroups),
  api('ListGroups', ListGroupsRequest, ListGroupsResponse, handleListGroups),
  api('DeleteGroups', DeleteGroupsRequest, DeleteGroupsResponse, handleDeleteGroups),
  // Idempotent producer and admin APIs.
  api('InitProducerId', InitProducerIdRequest, InitProducerIdResponse, handleInitProducerId),
  api('DescribeConfigs', DescribeConfigsRequest, DescribeConfigsResponse, handleDescribeConfigs),
  api('AlterConfigs', AlterConfigsRequest, AlterConfigsResponse, handleAlterConfigs, true),
  api('IncrementalAlterConfigs', IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse, handleIncrementalAlterConfigs, true),
  api('CreatePartitions', CreatePartitionsRequest, CreatePartitionsResponse, handleCreatePartitions, true),
  api('DeleteRecords', DeleteRecordsRequest, DeleteRecordsResponse, handleDeleteRecords),
  api('OffsetForLeaderEpoch', OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse, handleOffsetForLeaderEpoch),
  // KIP-700, for @platformatic/kafka's and Java's Admin.describeCluster.
  api('DescribeCluster', DescribeClusterRequest, DescribeClusterResponse, handleDescribeCluster),
];

export const HANDLERS: ReadonlyMap<number, ApiHandler> = new Map(TABLE);
export const IMPLEMENTED: ReadonlySet<number> = new Set(HANDLERS.keys());

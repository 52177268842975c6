/**
 * The request and response grammar of every API Junction declares, by API key: every API of
 * api-keys.ts (kafka.md §2.1). An ApiVersions answer should still list only the APIs that have a
 * handler.
 */
import type { MessageSpec } from '../schema.js';
import { AlterConfigsRequest, AlterConfigsResponse } from './alter-configs.js';
import { ApiVersionsRequest, ApiVersionsResponse } from './api-versions.js';
import { IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse } from './incremental-alter-configs.js';
import { CreateTopicsRequest, CreateTopicsResponse } from './create-topics.js';
import { CreatePartitionsRequest, CreatePartitionsResponse } from './create-partitions.js';
import { DeleteGroupsRequest, DeleteGroupsResponse } from './delete-groups.js';
import { DescribeClusterRequest, DescribeClusterResponse } from './describe-cluster.js';
import { DeleteRecordsRequest, DeleteRecordsResponse } from './delete-records.js';
import { DescribeConfigsRequest, DescribeConfigsResponse } from './describe-configs.js';
import { InitProducerIdRequest, InitProducerIdResponse } from './init-producer-id.js';
import { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from './offset-for-leader-epoch.js';
import { SaslAuthenticateRequest, SaslAuthenticateResponse } from './sasl-authenticate.js';
import { SaslHandshakeRequest, SaslHandshakeResponse } from './sasl-handshake.js';
import { DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics.js';
import { DescribeGroupsRequest, DescribeGroupsResponse } from './describe-groups.js';
import { FetchRequest, FetchResponse } from './fetch.js';
import { FindCoordinatorRequest, FindCoordinatorResponse } from './find-coordinator.js';
import { HeartbeatRequest, HeartbeatResponse } from './heartbeat.js';
import { JoinGroupRequest, JoinGroupResponse } from './join-group.js';
import { LeaveGroupRequest, LeaveGroupResponse } from './leave-group.js';
import { ListGroupsRequest, ListGroupsResponse } from './list-groups.js';
import { ListOffsetsRequest, ListOffsetsResponse } from './list-offsets.js';
import { MetadataRequest, MetadataResponse } from './metadata.js';
import { OffsetCommitRequest, OffsetCommitResponse } from './offset-commit.js';
import { OffsetFetchRequest, OffsetFetchResponse } from './offset-fetch.js';
import { ProduceRequest, ProduceResponse } from './produce.js';
import { SyncGroupRequest, SyncGroupResponse } from './sync-group.js';

export interface ApiGrammar {
  readonly request: MessageSpec;
  readonly response: MessageSpec;
}

function grammar(request: MessageSpec, response: MessageSpec): [number, ApiGrammar] {
  return [request.apiKey!, { request, response }];
}

export const API_GRAMMARS: ReadonlyMap<number, ApiGrammar> = new Map([
  grammar(ProduceRequest, ProduceResponse),
  grammar(FetchRequest, FetchResponse),
  grammar(ListOffsetsRequest, ListOffsetsResponse),
  grammar(MetadataRequest, MetadataResponse),
  grammar(OffsetCommitRequest, OffsetCommitResponse),
  grammar(OffsetFetchRequest, OffsetFetchResponse),
  grammar(FindCoordinatorRequest, FindCoordinatorResponse),
  grammar(JoinGroupRequest, JoinGroupResponse),
  grammar(HeartbeatRequest, HeartbeatResponse),
  grammar(LeaveGroupRequest, LeaveGroupResponse),
  grammar(SyncGroupRequest, SyncGroupResponse),
  grammar(DescribeGroupsRequest, DescribeGroupsResponse),
  grammar(ListGroupsRequest, ListGroupsResponse),
  grammar(ApiVersionsRequest, ApiVersionsResponse),
  grammar(CreateTopicsRequest, CreateTopicsResponse),
  grammar(DeleteTopicsRequest, DeleteTopicsResponse),
  grammar(SaslHandshakeRequest, SaslHandshakeResponse),
  grammar(DeleteRecordsRequest, DeleteRecordsResponse),
  grammar(InitProducerIdRequest, InitProducerIdResponse),
  grammar(OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse),
  grammar(DescribeConfigsRequest, DescribeConfigsResponse),
  grammar(SaslAuthenticateRequest, SaslAuthenticateResponse),
  grammar(CreatePartitionsRequest, CreatePartitionsResponse),
  grammar(DeleteGroupsRequest, DeleteGroupsResponse),
  grammar(AlterConfigsRequest, AlterConfigsResponse),
  grammar(IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse),
  grammar(DescribeClusterRequest, DescribeClusterResponse),
]);

export {
  AlterConfigsRequest, AlterConfigsResponse, IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse,
  ApiVersionsRequest, ApiVersionsResponse, CreatePartitionsRequest, CreatePartitionsResponse, DeleteGroupsRequest,
  DeleteGroupsResponse, DeleteRecordsRequest, DeleteRecordsResponse, DescribeConfigsRequest, DescribeConfigsResponse,
  InitProducerIdRequest, InitProducerIdResponse, OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse,
  SaslAuthenticateRequest, SaslAuthenticateResponse, SaslHandshakeRequest, SaslHandshakeResponse, CreateTopicsRequest, CreateTopicsResponse, DeleteTopicsRequest,
  DeleteTopicsResponse, DescribeGroupsRequest, DescribeGroupsResponse, FetchRequest, FetchResponse,
  FindCoordinatorRequest, FindCoordinatorResponse, HeartbeatRequest, HeartbeatResponse, JoinGroupRequest,
  JoinGroupResponse, LeaveGroupRequest, LeaveGroupResponse, ListGroupsRequest, ListGroupsResponse,
  ListOffsetsRequest, ListOffsetsResponse, MetadataRequest, MetadataResponse, OffsetCommitRequest,
  OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, ProduceRequest, ProduceResponse,
  SyncGroupRequest, SyncGroupResponse, DescribeClusterRequest, DescribeClusterResponse,
};

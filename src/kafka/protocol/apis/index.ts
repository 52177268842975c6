/**
 * The request and response grammar of every API Junction declares, by API key. An API whose key is
 * in api-keys.ts but not here has no grammar yet and must not be advertised.
 */
import type { MessageSpec } from '../schema.js';
import { ApiVersionsRequest, ApiVersionsResponse } from './api-versions.js';
import { CreateTopicsRequest, CreateTopicsResponse } from './create-topics.js';
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
]);

export {
  ApiVersionsRequest, ApiVersionsResponse, CreateTopicsRequest, CreateTopicsResponse, DeleteTopicsRequest,
  DeleteTopicsResponse, DescribeGroupsRequest, DescribeGroupsResponse, FetchRequest, FetchResponse,
  FindCoordinatorRequest, FindCoordinatorResponse, HeartbeatRequest, HeartbeatResponse, JoinGroupRequest,
  JoinGroupResponse, LeaveGroupRequest, LeaveGroupResponse, ListGroupsRequest, ListGroupsResponse,
  ListOffsetsRequest, ListOffsetsResponse, MetadataRequest, MetadataResponse, OffsetCommitRequest,
  OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, ProduceRequest, ProduceResponse,
  SyncGroupRequest, SyncGroupResponse,
};

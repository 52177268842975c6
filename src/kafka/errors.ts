/**
 * Kafka's error codes: number, name and default message as in org.apache.kafka.common.protocol.Errors
 * (apache/kafka 1eb7644, the 3.9-era trunk), and whether a client retries them — true exactly when
 * the Java exception of the code extends RetriableException. test/kafka/errors.test.ts checks every
 * entry against the captured Errors.java and exception hierarchy (test/fixtures/kafka/).
 */
import { JunctionError } from '../core/errors.js';

export interface KafkaErrorCode {
  readonly code: number;
  /** The client retries the request on this error (the Java exception is a RetriableException). */
  readonly retriable: boolean;
  /** Errors.java's default message; null only for NONE. */
  readonly message: string | null;
}

function entry(code: number, retriable: boolean, message: string | null): KafkaErrorCode {
  return { code, retriable, message };
}

/** Every code of Errors.java, by its enum name, in its declaration order. */
export const KafkaErrors = {
  UNKNOWN_SERVER_ERROR: entry(-1, false, 'The server experienced an unexpected error when processing the request.'),
  NONE: entry(0, false, null),
  OFFSET_OUT_OF_RANGE: entry(1, false, 'The requested offset is not within the range of offsets maintained by the server.'),
  CORRUPT_MESSAGE: entry(2, true, 'This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.'),
  UNKNOWN_TOPIC_OR_PARTITION: entry(3, true, 'This server does not host this topic-partition.'),
  INVALID_FETCH_SIZE: entry(4, false, 'The requested fetch size is invalid.'),
  LEADER_NOT_AVAILABLE: entry(5, true, 'There is no leader for this topic-partition as we are in the middle of a leadership election.'),
  NOT_LEADER_OR_FOLLOWER: entry(6, true, 'For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.'),
  REQUEST_TIMED_OUT: entry(7, true, 'The request timed out.'),
  BROKER_NOT_AVAILABLE: entry(8, false, 'The broker is not available.'),
  REPLICA_NOT_AVAILABLE: entry(9, true, 'The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition.'),
  MESSAGE_TOO_LARGE: entry(10, false, 'The request included a message larger than the max message size the server will accept.'),
  STALE_CONTROLLER_EPOCH: entry(11, false, 'The controller moved to another broker.'),
  OFFSET_METADATA_TOO_LARGE: entry(12, false, 'The metadata field of the offset request was too large.'),
  NETWORK_EXCEPTION: entry(13, true, 'The server disconnected before a response was received.'),
  COORDINATOR_LOAD_IN_PROGRESS: entry(14, true, 'The coordinator is loading and hence can\'t process requests.'),
  COORDINATOR_NOT_AVAILABLE: entry(15, true, 'The coordinator is not available.'),
  NOT_COORDINATOR: entry(16, true, 'This is not the correct coordinator.'),
  INVALID_TOPIC_EXCEPTION: entry(17, false, 'The request attempted to perform an operation on an invalid topic.'),
  RECORD_LIST_TOO_LARGE: entry(18, false, 'The request included message batch larger than the configured segment size on the server.'),
  NOT_ENOUGH_REPLICAS: entry(19, true, 'Messages are rejected since there are fewer in-sync replicas than required.'),
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: entry(20, true, 'Messages are written to the log, but to fewer in-sync replicas than required.'),
  INVALID_REQUIRED_ACKS: entry(21, false, 'Produce request specified an invalid value for required acks.'),
  ILLEGAL_GENERATION: entry(22, false, 'Specified group generation id is not valid.'),
  INCONSISTENT_GROUP_PROTOCOL: entry(23, false, 'The group member\'s supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.'),
  INVALID_GROUP_ID: entry(24, false, 'The configured groupId is invalid.'),
  UNKNOWN_MEMBER_ID: entry(25, false, 'The coordinator is not aware of this member.'),
  INVALID_SESSION_TIMEOUT: entry(26, false, 'The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).'),
  REBALANCE_IN_PROGRESS: entry(27, false, 'The group is rebalancing, so a rejoin is needed.'),
  INVALID_COMMIT_OFFSET_SIZE: entry(28, false, 'The committing offset data size is not valid.'),
  TOPIC_AUTHORIZATION_FAILED: entry(29, false, 'Topic authorization failed.'),
  GROUP_AUTHORIZATION_FAILED: entry(30, false, 'Group authorization failed.'),
  CLUSTER_AUTHORIZATION_FAILED: entry(31, false, 'Cluster authorization failed.'),
  INVALID_TIMESTAMP: entry(32, false, 'The timestamp of the message is out of acceptable range.'),
  UNSUPPORTED_SASL_MECHANISM: entry(33, false, 'The broker does not support the requested SASL mechanism.'),
  ILLEGAL_SASL_STATE: entry(34, false, 'Request is not valid given the current SASL state.'),
  UNSUPPORTED_VERSION: entry(35, false, 'The version of API is not supported.'),
  TOPIC_ALREADY_EXISTS: entry(36, false, 'Topic with this name already exists.'),
  INVALID_PARTITIONS: entry(37, false, 'Number of partitions is below 1.'),
  INVALID_REPLICATION_FACTOR: entry(38, false, 'Replication factor is below 1 or larger than the number of available brokers.'),
  INVALID_REPLICA_ASSIGNMENT: entry(39, false, 'Replica assignment is invalid.'),
  INVALID_CONFIG: entry(40, false, 'Configuration is invalid.'),
  NOT_CONTROLLER: entry(41, true, 'This is not the correct controller for this cluster.'),
  INVALID_REQUEST: entry(42, false, 'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.'),
  UNSUPPORTED_FOR_MESSAGE_FORMAT: entry(43, false, 'The message format version on the broker does not support the request.'),
  POLICY_VIOLATION: entry(44, false, 'Request parameters do not satisfy the configured policy.'),
  OUT_OF_ORDER_SEQUENCE_NUMBER: entry(45, false, 'The broker received an out of order sequence number.'),
  DUPLICATE_SEQUENCE_NUMBER: entry(46, false, 'The broker received a duplicate sequence number.'),
  INVALID_PRODUCER_EPOCH: entry(47, false, 'Producer attempted to produce with an old epoch.'),
  INVALID_TXN_STATE: entry(48, false, 'The producer attempted a transactional operation in an invalid state.'),
  INVALID_PRODUCER_ID_MAPPING: entry(49, false, 'The producer attempted to use a producer id which is not currently assigned to its transactional id.'),
  INVALID_TRANSACTION_TIMEOUT: entry(50, false, 'The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms).'),
  CONCURRENT_TRANSACTIONS: entry(51, true, 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing.'),
  TRANSACTION_COORDINATOR_FENCED: entry(52, false, 'Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer.'),
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: entry(53, false, 'Transactional Id authorization failed.'),
  SECURITY_DISABLED: entry(54, false, 'Security features are disabled.'),
  OPERATION_NOT_ATTEMPTED: entry(55, false, 'The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest.'),
  KAFKA_STORAGE_ERROR: entry(56, true, 'Disk error when trying to access log file on the disk.'),
  LOG_DIR_NOT_FOUND: entry(57, false, 'The user-specified log directory is not found in the broker config.'),
  SASL_AUTHENTICATION_FAILED: entry(58, false, 'SASL Authentication failed.'),
  UNKNOWN_PRODUCER_ID: entry(59, false, 'This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer\'s records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer\'s metadata is removed from the broker, and future appends by the producer will return this exception.'),
  REASSIGNMENT_IN_PROGRESS: entry(60, false, 'A partition reassignment is in progress.'),
  DELEGATION_TOKEN_AUTH_DISABLED: entry(61, false, 'Delegation Token feature is not enabled.'),
  DELEGATION_TOKEN_NOT_FOUND: entry(62, false, 'Delegation Token is not found on server.'),
  DELEGATION_TOKEN_OWNER_MISMATCH: entry(63, false, 'Specified Principal is not valid Owner/Renewer.'),
  DELEGATION_TOKEN_REQUEST_NOT_ALLOWED: entry(64, false, 'Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels.'),
  DELEGATION_TOKEN_AUTHORIZATION_FAILED: entry(65, false, 'Delegation Token authorization failed.'),
  DELEGATION_TOKEN_EXPIRED: entry(66, false, 'Delegation Token is expired.'),
  INVALID_PRINCIPAL_TYPE: entry(67, false, 'Supplied principalType is not supported.'),
  NON_EMPTY_GROUP: entry(68, false, 'The group is not empty.'),
  GROUP_ID_NOT_FOUND: entry(69, false, 'The group id does not exist.'),
  FETCH_SESSION_ID_NOT_FOUND: entry(70, true, 'The fetch session ID was not found.'),
  INVALID_FETCH_SESSION_EPOCH: entry(71, true, 'The fetch session epoch is invalid.'),
  LISTENER_NOT_FOUND: entry(72, true, 'There is no listener on the leader broker that matches the listener on which metadata request was processed.'),
  TOPIC_DELETION_DISABLED: entry(73, false, 'Topic deletion is disabled.'),
  FENCED_LEADER_EPOCH: entry(74, true, 'The leader epoch in the request is older than the epoch on the broker.'),
  UNKNOWN_LEADER_EPOCH: entry(75, true, 'The leader epoch in the request is newer than the epoch on the broker.'),
  UNSUPPORTED_COMPRESSION_TYPE: entry(76, false, 'The requesting client does not support the compression type of given partition.'),
  STALE_BROKER_EPOCH: entry(77, false, 'Broker epoch has changed.'),
  OFFSET_NOT_AVAILABLE: entry(78, true, 'The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing.'),
  MEMBER_ID_REQUIRED: entry(79, false, 'The group member needs to have a valid member id before actually entering a consumer group.'),
  PREFERRED_LEADER_NOT_AVAILABLE: entry(80, true, 'The preferred leader was not available.'),
  GROUP_MAX_SIZE_REACHED: entry(81, false, 'The consumer group has reached its max size.'),
  FENCED_INSTANCE_ID: entry(82, false, 'The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id.'),
  ELIGIBLE_LEADERS_NOT_AVAILABLE: entry(83, true, 'Eligible topic partition leaders are not available.'),
  ELECTION_NOT_NEEDED: entry(84, true, 'Leader election not needed for topic partition.'),
  NO_REASSIGNMENT_IN_PROGRESS: entry(85, false, 'No partition reassignment is in progress.'),
  GROUP_SUBSCRIBED_TO_TOPIC: entry(86, false, 'Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.'),
  INVALID_RECORD: entry(87, false, 'This record has failed the validation on broker and hence will be rejected.'),
  UNSTABLE_OFFSET_COMMIT: entry(88, true, 'There are unstable offsets that need to be cleared.'),
  THROTTLING_QUOTA_EXCEEDED: entry(89, true, 'The throttling quota has been exceeded.'),
  PRODUCER_FENCED: entry(90, false, 'There is a newer producer with the same transactionalId which fences the current one.'),
  RESOURCE_NOT_FOUND: entry(91, false, 'A request illegally referred to a resource that does not exist.'),
  DUPLICATE_RESOURCE: entry(92, false, 'A request illegally referred to the same resource twice.'),
  UNACCEPTABLE_CREDENTIAL: entry(93, false, 'Requested credential would not meet criteria for acceptability.'),
  INCONSISTENT_VOTER_SET: entry(94, false, 'Indicates that the either the sender or recipient of a voter-only request is not one of the expected voters.'),
  INVALID_UPDATE_VERSION: entry(95, false, 'The given update version was invalid.'),
  FEATURE_UPDATE_FAILED: entry(96, false, 'Unable to update finalized features due to an unexpected server error.'),
  PRINCIPAL_DESERIALIZATION_FAILURE: entry(97, false, 'Request principal deserialization failed during forwarding. This indicates an internal error on the broker cluster security setup.'),
  SNAPSHOT_NOT_FOUND: entry(98, false, 'Requested snapshot was not found.'),
  POSITION_OUT_OF_RANGE: entry(99, false, 'Requested position is not greater than or equal to zero, and less than the size of the snapshot.'),
  UNKNOWN_TOPIC_ID: entry(100, true, 'This server does not host this topic ID.'),
  DUPLICATE_BROKER_REGISTRATION: entry(101, false, 'This broker ID is already in use.'),
  BROKER_ID_NOT_REGISTERED: entry(102, false, 'The given broker ID was not registered.'),
  INCONSISTENT_TOPIC_ID: entry(103, true, 'The log\'s topic ID did not match the topic ID in the request.'),
  INCONSISTENT_CLUSTER_ID: entry(104, false, 'The clusterId in the request does not match that found on the server.'),
  TRANSACTIONAL_ID_NOT_FOUND: entry(105, false, 'The transactionalId could not be found.'),
  FETCH_SESSION_TOPIC_ID_ERROR: entry(106, true, 'The fetch session encountered inconsistent topic ID usage.'),
  INELIGIBLE_REPLICA: entry(107, false, 'The new ISR contains at least one ineligible replica.'),
  NEW_LEADER_ELECTED: entry(108, false, 'The AlterPartition request successfully updated the partition state but the leader has changed.'),
  OFFSET_MOVED_TO_TIERED_STORAGE: entry(109, false, 'The requested offset is moved to tiered storage.'),
  FENCED_MEMBER_EPOCH: entry(110, false, 'The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin.'),
  UNRELEASED_INSTANCE_ID: entry(111, false, 'The instance ID is still used by another member in the consumer group. That member must leave first.'),
  UNSUPPORTED_ASSIGNOR: entry(112, false, 'The assignor or its version range is not supported by the consumer group.'),
  STALE_MEMBER_EPOCH: entry(113, false, 'The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API.'),
  MISMATCHED_ENDPOINT_TYPE: entry(114, false, 'The request was sent to an endpoint of the wrong type.'),
  UNSUPPORTED_ENDPOINT_TYPE: entry(115, false, 'This endpoint type is not supported yet.'),
  UNKNOWN_CONTROLLER_ID: entry(116, false, 'This controller ID is not known.'),
  UNKNOWN_SUBSCRIPTION_ID: entry(117, false, 'Client sent a push telemetry request with an invalid or outdated subscription ID.'),
  TELEMETRY_TOO_LARGE: entry(118, false, 'Client sent a push telemetry request larger than the maximum size the broker will accept.'),
  INVALID_REGISTRATION: entry(119, false, 'The controller has considered the broker registration to be invalid.'),
  TRANSACTION_ABORTABLE: entry(120, false, 'The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID.'),
  INVALID_RECORD_STATE: entry(121, false, 'The record state is invalid. The acknowledgement of delivery could not be completed.'),
  SHARE_SESSION_NOT_FOUND: entry(122, true, 'The share session was not found.'),
  INVALID_SHARE_SESSION_EPOCH: entry(123, true, 'The share session epoch is invalid.'),
  FENCED_STATE_EPOCH: entry(124, false, 'The share coordinator rejected the request because the share-group state epoch did not match.'),
  INVALID_VOTER_KEY: entry(125, false, 'The voter key doesn\'t match the receiving replica\'s key.'),
  DUPLICATE_VOTER: entry(126, false, 'The voter is already part of the set of voters.'),
  VOTER_NOT_FOUND: entry(127, false, 'The voter is not part of the set of voters.'),
  INVALID_REGULAR_EXPRESSION: entry(128, false, 'The regular expression is not valid.'),
} as const satisfies Record<string, KafkaErrorCode>;

export type KafkaErrorName = keyof typeof KafkaErrors;

const BY_CODE = new Map<number, KafkaErrorName>(
  (Object.keys(KafkaErrors) as KafkaErrorName[]).map((name) => [KafkaErrors[name].code, name]),
);

/** The Errors name of a code, or undefined for a code Kafka does not define. */
export function kafkaErrorName(code: number): KafkaErrorName | undefined { return BY_CODE.get(code); }

/**
 * A request failed with a Kafka error code that goes back to the client in the response (e.g.
 * TOPIC_ALREADY_EXISTS in CreateTopics); `message` is for the response's errorMessage field where the
 * version has one, and for the log.
 */
export class KafkaApiError extends JunctionError {
  readonly errorCode: number;

  constructor(readonly kafkaError: KafkaErrorName, message?: string) {
    super(`KAFKA_${kafkaError}`, message ?? KafkaErrors[kafkaError].message ?? kafkaError);
    this.errorCode = KafkaErrors[kafkaError].code;
  }
}

/**
 * The Nacos gRPC catalogue as data: every payload type Junction reads or writes, by the simple
 * Java class name that travels in `Metadata.type` (GrpcUtils.convert uses
 * `request.getClass().getSimpleName()`; PayloadRegistry maps it back). Kinds:
 * - `request`:  a client request answered on the unary `Request.request` call (or the setup message
 *               on the bi-stream), with the response type its handler answers with;
 * - `ack`:      a client's response to a server push, read on the bi-stream (RpcAckCallbackSynchronizer);
 * - `server`:   a request Junction pushes on the bi-stream (ServerRequest subclasses).
 * Sources: alibaba/nacos api/…/remote/request|response, naming/remote/request|response,
 * config/remote/request|response.
 */
export type PayloadKind = 'request' | 'ack' | 'server';

export interface PayloadEntry {
  readonly kind: PayloadKind;
  /** For requests: the response class its handler answers (AbstractRequestFilter.getDefaultResponseInstance
   *  builds this class, with errorCode 403, for a refused request). */
  readonly response?: string;
  /** Request.getModule(): 'internal', 'naming', 'config'. */
  readonly module: 'internal' | 'naming' | 'config';
}

export const PAYLOADS: Readonly<Record<string, PayloadEntry>> = {
  // api/remote/request — connection management (InternalRequest.getModule() = "internal")
  ServerCheckRequest: { kind: 'request', module: 'internal', response: 'ServerCheckResponse' },
  ConnectionSetupRequest: { kind: 'request', module: 'internal' },
  HealthCheckRequest: { kind: 'request', module: 'internal', response: 'HealthCheckResponse' },
  ServerLoaderInfoRequest: { kind: 'request', module: 'internal', response: 'ServerLoaderInfoResponse' },
  ClientDetectionRequest: { kind: 'server', module: 'internal' },
  ConnectResetRequest: { kind: 'server', module: 'internal' },
  SetupAckRequest: { kind: 'server', module: 'internal' },
  ClientDetectionResponse: { kind: 'ack', module: 'internal' },
  ConnectResetResponse: { kind: 'ack', module: 'internal' },
  SetupAckResponse: { kind: 'ack', module: 'internal' },
  // naming/remote/request (AbstractNamingRequest.getModule() = "naming")
  InstanceRequest: { kind: 'request', module: 'naming', response: 'InstanceResponse' },
  PersistentInstanceRequest: { kind: 'request', module: 'naming', response: 'InstanceResponse' },
  BatchInstanceRequest: { kind: 'request', module: 'naming', response: 'BatchInstanceResponse' },
  ServiceQueryRequest: { kind: 'request', module: 'naming', response: 'QueryServiceResponse' },
  ServiceListRequest: { kind: 'request', module: 'naming', response: 'ServiceListResponse' },
  SubscribeServiceRequest: { kind: 'request', module: 'naming', response: 'SubscribeServiceResponse' },
  NotifySubscriberRequest: { kind: 'server', module: 'naming' },
  NotifySubscriberResponse: { kind: 'ack', module: 'naming' },
  // config/remote/request (AbstractConfigRequest.getModule() = "config")
  ConfigQueryRequest: { kind: 'request', module: 'config', response: 'ConfigQueryResponse' },
  ConfigPublishRequest: { kind: 'request', module: 'config', response: 'ConfigPublishResponse' },
  ConfigRemoveRequest: { kind: 'request', module: 'config', response: 'ConfigRemoveResponse' },
  ConfigBatchListenRequest: { kind: 'request', module: 'config', response: 'ConfigChangeBatchListenResponse' },
  ConfigChangeNotifyRequest: { kind: 'server', module: 'config' },
  ConfigChangeNotifyResponse: { kind: 'ack', module: 'config' },
};

/** api/remote/response/ResponseCode: Response.resultCode. */
export const ResultCode = { SUCCESS: 200, FAIL: 500 } as const;

/** api/exception/NacosException codes the gRPC layer answers in Response.errorCode. */
export const RpcErrorCode = {
  INVALID_PARAM: 400,
  NO_RIGHT: 403,
  SERVER_ERROR: 500,
  SERVER_NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  INVALID_SERVER_STATUS: 300,
  UN_REGISTER: 301,
  NO_HANDLER: 302,
} as const;

/** ConfigQueryResponse.CONFIG_NOT_FOUND: the errorCode of a missing config. */
export const CONFIG_NOT_FOUND = 300;

export function payloadEntry(type: string): PayloadEntry | undefined {
  return Object.hasOwn(PAYLOADS, type) ? PAYLOADS[type] : undefined;
}

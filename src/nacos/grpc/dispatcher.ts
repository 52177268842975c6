import { loadavg } from 'node:os';
import { AuthDenied } from '../../core/auth/auth-service.js';
import { grants, resourceNames } from '../auth/resource.js';
import { NacosError } from '../errors.js';
import type { NacosServices } from '../services.js';
import { payloadEntry, RpcErrorCode } from './catalogue.js';
import { decodePayload, encodePayload, errorResponse, failBody, okBody, PayloadDecodeError, type DecodedPayload, type Payload, type RpcResponse } from './codec.js';
import { CONFIG_HANDLERS } from './config-handlers.js';
import type { GrpcConnection } from './connection.js';
import type { ConnectionRegistry } from './connections.js';
import { RpcFailure, type HandlerContext, type RpcHandler } from './handler.js';
import { NAMING_HANDLERS } from './naming-handlers.js';
import type { GrpcSubscriptions } from './subscriptions.js';

/** HealthCheckRequestHandler: an empty HealthCheckResponse (the client's keep-alive, every 5 s idle). */
const healthCheck: RpcHandler = { handle: async () => ({}) };

/** ServerLoaderInfoRequestHandler: loaderMetrics conCount, sdkConCount, load (as strings; Nacos's cpu is left out). */
function serverLoaderInfo(connections: ConnectionRegistry): RpcHandler {
  return {
    handle: async () => {
      const n = String(connections.registered().length);
      return { loaderMetrics: { conCount: n, sdkConCount: n, load: String(loadavg()[0] ?? 0) } };
    },
  };
}

/**
 * The unary side of Nacos's GrpcRequestAcceptor, in its order: ServerCheckRequest answers the
 * connection id; an unknown type is ErrorResponse(NO_HANDLER 302, "RequestHandler Not Found"); a
 * connection without ConnectionSetupRequest is ErrorResponse(UN_REGISTER 301); a body that does not
 * parse is ErrorResponse(BAD_GATEWAY 502); then RemoteRequestAuthFilter (errorCode NO_RIGHT 403 in
 * the handler's own response type), then the handler.
 */
export class RpcDispatcher {
  private readonly handlers: Readonly<Record<string, RpcHandler>>;
  private readonly requests;

  constructor(
    private readonly services: NacosServices,
    private readonly connections: ConnectionRegistry,
    private readonly subscriptions: GrpcSubscriptions,
  ) {
    this.handlers = {
      HealthCheckRequest: healthCheck, ServerLoaderInfoRequest: serverLoaderInfo(connections),
      ...NAMING_HANDLERS, ...CONFIG_HANDLERS,
    };
    this.requests = services.ctx.metrics.counter('grpc_requests_total', 'Nacos gRPC requests by type and outcome', ['type', 'result']);
  }

  async unary(peer: string, payload: Payload): Promise<Payload> {
    const response = await this.answer(peer, payload);
    this.requests.inc({ type: payloadEntry(payload.metadata?.type ?? '') ? payload.metadata!.type! : 'unknown',
      result: response.body.success ? 'ok' : String(response.body.errorCode) });
    return encodePayload(response.type, response.body);
  }

  private async answer(peer: string, payload: Payload): Promise<RpcResponse> {
    const type = payload.metadata?.type ?? '';
    if (type === 'ServerCheckRequest') {
      const conn = this.connections.forPeer(peer);
      return { type: 'ServerCheckResponse', body: okBody(undefined, { connectionId: conn.id, supportAbilityNegotiation: true }) };
    }
    const handler = Object.hasOwn(this.handlers, type) ? this.handlers[type] : undefined;
    const responseType = payloadEntry(type)?.response;
    if (!handler || !responseType) return errorResponse(RpcErrorCode.NO_HANDLER, 'RequestHandler Not Found');
    const conn = this.connections.registeredFor(peer);
    if (!conn) return errorResponse(RpcErrorCode.UN_REGISTER, 'Connection is unregistered.');
    let req: DecodedPayload;
    try {
      req = decodePayload(payload);
    } catch (err) {
      if (err instanceof PayloadDecodeError) return errorResponse(RpcErrorCode.BAD_GATEWAY, err.message);
      throw err;
    }
    conn.touch();
    const requestId = typeof req.body.requestId === 'string' ? req.body.requestId : undefined;
    try {
      await this.authorize(handler, req);
      const fields = await handler.handle(this.context(conn, req));
      return { type: responseType, body: okBody(requestId, fields) };
    } catch (err) {
      const failure = this.failureOf(err, type);
      return { type: responseType, body: failBody(requestId, failure.errorCode, failure.message) };
    }
  }

  private context(conn: GrpcConnection, req: DecodedPayload): HandlerContext {
    return { services: this.services, connections: this.connections, subscriptions: this.subscriptions, conn, req };
  }

  /** RemoteRequestAuthFilter with Junction's users: the accessToken header (what the Java client's
   *  SecurityProxy sets), else username/password headers; global admins pass, others need a grant. */
  private async authorize(handler: RpcHandler, req: DecodedPayload): Promise<void> {
    const { ctx } = this.services;
    if (!ctx.authEnabled || !handler.secured) return;
    const { resource, action } = handler.secured(req.body);
    let username: string;
    try {
      const token = req.headers.accesstoken;
      username = token ? await ctx.auth.verifyToken(token) : await ctx.auth.authenticate(req.headers.username, req.headers.password);
    } catch (err) {
      if (err instanceof AuthDenied) throw new RpcFailure(RpcErrorCode.NO_RIGHT, err.reason);
      throw err;
    }
    if (ctx.auth.isGlobalAdmin(username)) return;
    const names = resourceNames(resource);
    if (!ctx.auth.permissionsOf(username).some((p) => grants(p, names, action))) {
      throw new RpcFailure(RpcErrorCode.NO_RIGHT, 'authorization failed!');
    }
  }

  private failureOf(err: unknown, type: string): RpcFailure {
    if (err instanceof RpcFailure) return err;
    // The shared naming/config code throws the HTTP API's errors: Nacos's handlers answer the
    // NacosException's errCode (the HTTP status of the same refusal) and its message.
    if (err instanceof NacosError) return new RpcFailure(err.status, err.detail);
    this.services.ctx.logger.error({ err, type }, 'nacos grpc request failed');
    return new RpcFailure(RpcErrorCode.SERVER_ERROR, (err as Error).message ?? 'server error');
  }
}

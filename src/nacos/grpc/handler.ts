import type { NacosAction, NacosResource } from '../context.js';
import type { NacosServices } from '../services.js';
import type { DecodedPayload } from './codec.js';
import type { GrpcConnection } from './connection.js';
import type { ConnectionRegistry } from './connections.js';
import type { GrpcSubscriptions } from './subscriptions.js';

/** What a request handler gets: the Nacos services the HTTP API uses, the connection and the request. */
export interface HandlerContext {
  services: NacosServices;
  connections: ConnectionRegistry;
  subscriptions: GrpcSubscriptions;
  conn: GrpcConnection;
  req: DecodedPayload;
}

/** A refused or failed request, answered as the handler's own response type with setErrorInfo. */
export class RpcFailure extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
    this.name = 'RpcFailure';
  }
}

/**
 * One entry of the handler table (Nacos's RequestHandlerRegistry): the resource and action of
 * its @Secured annotation, checked by RemoteRequestAuthFilter before `handle`, and the handler,
 * which answers the response's own fields (okBody adds Response's).
 */
export interface RpcHandler {
  secured?: (body: Record<string, unknown>) => { resource: NacosResource; action: NacosAction };
  handle(hc: HandlerContext): Promise<Record<string, unknown>>;
}

/** A body field as a string ('' for absent or null, like an unset Java String checked with isBlank). */
export function str(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  return v === undefined || v === null ? '' : String(v);
}

export function num(body: Record<string, unknown>, key: string, fallback: number): number {
  const v = body[key];
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) ? n : fallback;
}

export function bool(body: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = body[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fallback;
}

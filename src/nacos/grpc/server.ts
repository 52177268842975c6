import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '../../core/logger.js';
import type { NacosServices } from '../services.js';
import { payloadEntry } from './catalogue.js';
import { decodePayload, type Payload } from './codec.js';
import type { BiStream, GrpcConnection } from './connection.js';
import { ConnectionRegistry } from './connections.js';
import { RpcDispatcher } from './dispatcher.js';
import { GrpcSubscriptions } from './subscriptions.js';
import { BI_STREAM_SERVICE, REQUEST_SERVICE } from './wire.js';

/** How often the owned instances' beats are refreshed (below Nacos's 15 s beat timeout). */
const OWNED_REFRESH_MS = 5_000;
/** How often idle connections are probed (NacosRuntimeConnectionEjector runs every 3 s). */
const EJECT_INTERVAL_MS = 3_000;

export interface NacosGrpcOptions {
  host: string;
  port: number;
  /** Idle time after which a connection is sent ClientDetectionRequest (Nacos KEEP_ALIVE_TIME 20 s). */
  keepAliveMs: number;
}

export interface RunningNacosGrpc {
  readonly port: number;
  readonly connections: ConnectionRegistry;
  readonly subscriptions: GrpcSubscriptions;
  /** ConnectResetRequest to every client, then stop the server. */
  close(): Promise<void>;
}

/**
 * Nacos 2.x's gRPC server (GrpcSdkServer on the HTTP port + 1000): `Request.request` answered by
 * the dispatcher, `BiRequestStream.requestBiStream` carrying ConnectionSetupRequest and the acks of
 * server pushes (GrpcBiStreamRequestAcceptor).
 */
export async function startNacosGrpc(services: NacosServices, opts: NacosGrpcOptions): Promise<RunningNacosGrpc> {
  const { ctx } = services;
  const connections = new ConnectionRegistry(ctx.clock, ctx.logger);
  const subscriptions = new GrpcSubscriptions(services, connections);
  const dispatcher = new RpcDispatcher(services, connections, subscriptions);
  registerGrpcMetrics(services, connections, subscriptions);

  // nacos.remote.server.grpc.sdk.max-inbound-message-size: 10 MiB; a config may be that large, escaped in JSON.
  const maxMessage = ctx.settings.maxContentBytes * 2 + 1024 * 1024;
  const server = new Server({ 'grpc.max_receive_message_length': maxMessage, 'grpc.max_send_message_length': maxMessage });
  server.addService(REQUEST_SERVICE, {
    request(call: ServerUnaryCall<Payload, Payload>, callback: sendUnaryData<Payload>) {
      dispatcher.unary(call.getPeer(), call.request).then((p) => callback(null, p), (err: Error) => {
        ctx.logger.error({ err }, 'nacos grpc unary call failed');
        callback(err);
      });
    },
  });
  server.addService(BI_STREAM_SERVICE, {
    requestBiStream: (call: BiStream) => acceptBiStream(call, connections, ctx.logger),
  });

  const port = await new Promise<number>((resolve, reject) => {
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    server.bindAsync(`${host}:${opts.port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  const probeTimeout = Math.min(3_000, opts.keepAliveMs);
  const eject = ctx.clock.setInterval(() => {
    connections.detect(opts.keepAliveMs, probeTimeout).catch((err: unknown) => ctx.logger.warn({ err }, 'nacos grpc detection failed'));
  }, Math.min(EJECT_INTERVAL_MS, opts.keepAliveMs));
  const refresh = ctx.clock.setInterval(() => {
    subscriptions.keepOwnedAlive().catch((err: unknown) => ctx.logger.warn({ err }, 'nacos grpc instance refresh failed'));
  }, OWNED_REFRESH_MS);

  return {
    port, connections, subscriptions,
    async close() {
      eject.cancel();
      refresh.cancel();
      connections.closeAll();
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => { server.forceShutdown(); resolve(); }, 1_000);
        server.tryShutdown(() => { clearTimeout(force); resolve(); });
      });
    },
  };
}

/**
 * GrpcBiStreamRequestAcceptor.onNext: ConnectionSetupRequest registers the connection (and, when
 * the client sent an ability table, SetupAckRequest answers it without waiting for an ack); a
 * Response settles a push; anything else — unparsable payloads included — is logged and ignored,
 * as Nacos does. The stream's end, cancellation or error unregisters the connection.
 */
function acceptBiStream(call: BiStream, connections: ConnectionRegistry, logger: Logger): void {
  const conn = connections.forPeer(call.getPeer());
  const gone = () => connections.remove(conn, 'stream-closed');
  call.on('data', (payload: Payload) => {
    let decoded;
    try {
      decoded = decodePayload(payload);
    } catch (err) {
      logger.debug({ err, connectionId: conn.id }, 'nacos grpc bi-stream payload ignored');
      return;
    }
    if (decoded.type === 'ConnectionSetupRequest') setup(conn, call, decoded.body, decoded.clientIp, logger);
    else if (payloadEntry(decoded.type)?.kind === 'ack') conn.ack(decoded);
    else logger.debug({ connectionId: conn.id, type: decoded.type }, 'nacos grpc bi-stream payload ignored');
  });
  call.on('end', () => { gone(); try { call.end(); } catch { /* already closed */ } });
  call.on('cancelled', gone);
  call.on('error', gone);
}

function setup(conn: GrpcConnection, call: BiStream, body: Record<string, unknown>, clientIp: string, logger: Logger): void {
  const labels = (body.labels && typeof body.labels === 'object' ? body.labels : {}) as Record<string, string>;
  const abilities = body.abilityTable && typeof body.abilityTable === 'object' ? body.abilityTable as Record<string, boolean> : null;
  conn.stream = call;
  conn.meta = {
    clientVersion: String(body.clientVersion ?? ''), tenant: String(body.tenant ?? ''), labels,
    appName: typeof labels.AppName === 'string' ? labels.AppName : '-', abilities, clientIp,
  };
  conn.touch();
  logger.debug({ connectionId: conn.id, clientVersion: conn.meta.clientVersion, appName: conn.meta.appName }, 'nacos grpc connection registered');
  // AbilityKey names of the server abilities a 2.x client checks before using a gRPC feature.
  if (abilities !== null) conn.send('SetupAckRequest', { abilityTable: { supportPersistentInstanceByGrpc: true }, module: 'internal' });
}

function registerGrpcMetrics(services: NacosServices, connections: ConnectionRegistry, subs: GrpcSubscriptions): void {
  const m = services.ctx.metrics;
  m.gauge('grpc_connections', 'Registered Nacos gRPC connections', [], (g) => g.set(connections.registered().length));
  m.gauge('grpc_subscribers', 'Naming subscriptions held by gRPC connections', [], (g) => g.set(subs.counts().subscribers));
  m.gauge('grpc_config_listeners', 'Config listeners held by gRPC connections', [], (g) => g.set(subs.counts().listeners));
  m.gauge('grpc_owned_instances', 'Ephemeral instances owned by gRPC connections', [], (g) => g.set(subs.counts().ownedInstances));
  m.counter('grpc_pushes_total', 'Server pushes by outcome', ['result'], function collect() {
    this.reset();
    this.inc({ result: 'acked' }, subs.pushStats.acked);
    this.inc({ result: 'failed' }, subs.pushStats.failed);
  });
}

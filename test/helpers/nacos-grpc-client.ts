import { credentials, loadPackageDefinition, type Client, type ClientDuplexStream } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

/** The published proto (test/fixtures/nacos-grpc), loaded the way an SDK generated from it would be. */
const PROTO = fileURLToPath(new URL('../../../test/fixtures/nacos-grpc/nacos_grpc_service.proto', import.meta.url));

export interface RpcMessage { type: string; body: Record<string, any> }
interface WirePayload { metadata: { type: string; clientIp: string; headers: Record<string, string> }; body: { type_url: string; value: Buffer } }

type Ctor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: object) => Client & Record<string, any>;
let loaded: { Request: Ctor; BiRequestStream: Ctor } | undefined;
function proto() {
  loaded ??= loadPackageDefinition(loadSync(PROTO, { keepCase: true, defaults: true })) as unknown as { Request: Ctor; BiRequestStream: Ctor };
  return loaded;
}

/** The ack a Java client sends for each server push (RpcClient's ServerRequestHandlers). */
const ACKS: Record<string, string> = {
  NotifySubscriberRequest: 'NotifySubscriberResponse', ConfigChangeNotifyRequest: 'ConfigChangeNotifyResponse',
  ClientDetectionRequest: 'ClientDetectionResponse', ConnectResetRequest: 'ConnectResetResponse',
};

export function wire(type: string, body: object | string, headers: Record<string, string> = {}): WirePayload {
  const value = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { metadata: { type, clientIp: '10.0.0.7', headers }, body: { type_url: '', value } };
}

function unwire(p: WirePayload): RpcMessage {
  return { type: p.metadata.type, body: JSON.parse(Buffer.from(p.body.value).toString('utf8')) as Record<string, any> };
}

export interface ClientOptions { ack?: boolean; headers?: Record<string, string>; labels?: Record<string, string>; abilities?: boolean }

/**
 * A Nacos 2.x client over @grpc/grpc-js following RpcClient/GrpcClient's sequence: ServerCheckRequest
 * on the unary service, the bi-stream opened with ConnectionSetupRequest, then requests. Each
 * client gets its own TCP connection (a local subchannel pool), as each Java client does.
 */
export class NacosGrpcTestClient {
  readonly pushes: RpcMessage[] = [];
  connectionId = '';
  ack: boolean;
  private waiters: Array<() => void> = [];
  private readonly unary: Client & Record<string, any>;
  private readonly bi: Client & Record<string, any>;
  private stream?: ClientDuplexStream<WirePayload, WirePayload>;

  constructor(readonly port: number, private readonly opts: ClientOptions = {}) {
    const { Request, BiRequestStream } = proto();
    const options = { 'grpc.use_local_subchannel_pool': 1 };
    this.unary = new Request(`127.0.0.1:${port}`, credentials.createInsecure(), options);
    // The same channel carries both services, as in GrpcClient (one ManagedChannel per connection).
    this.bi = new BiRequestStream(`127.0.0.1:${port}`, credentials.createInsecure(), { ...options, channelOverride: this.unary.getChannel() });
    this.ack = opts.ack ?? true;
  }

  static async connect(port: number, opts: ClientOptions = {}): Promise<NacosGrpcTestClient> {
    const c = new NacosGrpcTestClient(port, opts);
    const check = await c.request('ServerCheckRequest', {});
    c.connectionId = check.body.connectionId as string;
    c.openStream();
    c.send('ConnectionSetupRequest', { clientVersion: 'Nacos-Java-Client:v2.3.2', tenant: '', labels: { source: 'sdk', module: 'naming', ...opts.labels },
      abilityTable: opts.abilities ? {} : null });
    // RpcClient waits for the setup before its first request; poll until the connection is registered.
    for (let i = 0; i < 100; i++) {
      const r = await c.request('HealthCheckRequest', {});
      if (r.body.success) return c;
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error('connection never registered');
  }

  request(type: string, body: object | string, headers: Record<string, string> = {}): Promise<RpcMessage> {
    return new Promise((resolve, reject) => {
      this.unary.request(wire(type, body, { ...this.opts.headers, ...headers }), (err: Error | null, p: WirePayload) =>
        (err ? reject(err) : resolve(unwire(p))));
    });
  }

  private openStream(): void {
    this.stream = this.bi.requestBiStream() as ClientDuplexStream<WirePayload, WirePayload>;
    this.stream.on('data', (p: WirePayload) => {
      const msg = unwire(p);
      this.pushes.push(msg);
      const ackType = ACKS[msg.type];
      if (ackType && this.ack) this.send(ackType, { resultCode: 200, errorCode: 0, requestId: msg.body.requestId, success: true });
      for (const w of this.waiters.splice(0)) w();
    });
    this.stream.on('error', () => {});
  }

  send(type: string, body: object | string): void { this.stream?.write(wire(type, body)); }

  /** The first push (from `from` on) of a type that satisfies `pred`. */
  async waitForPush(type: string, pred: (body: Record<string, any>) => boolean = () => true, timeoutMs = 5000, from = 0): Promise<RpcMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.pushes.slice(from).find((m) => m.type === type && pred(m.body));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} push within ${timeoutMs} ms (got ${this.pushes.map((p) => p.type).join(',')})`);
      await new Promise<void>((res) => { const t = setTimeout(res, left); this.waiters.push(() => { clearTimeout(t); res(); }); });
    }
  }

  close(): void {
    this.stream?.cancel();
    this.bi.close();
    this.unary.close();
  }
}

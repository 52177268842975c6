import type { Socket } from 'node:net';
import { Connection, type ConnectionOptions, type PrefaceOutcome } from '../../core/net/connection.js';
import type { FrameError } from '../../core/errors.js';
import type { AuthService } from '../../core/auth/auth-service.js';
import type { RabbitAccess } from '../../core/auth/vhost-access.js';
import type { Logger } from '../../core/logger.js';
import type { Broker } from '../broker/broker.js';
import type { AmqpMessage } from '../broker/message.js';
import { DurableWaits } from '../broker/durable-waits.js';
import type { QueueFlow } from '../broker/queue-flow.js';
import type { VirtualHost } from '../broker/vhost.js';
import { Channel, type ChannelHost } from '../channel/channel.js';
import { contentSize, deliverArgsLength, encodeDelivery, encodeDeliveryInto } from '../channel/delivery.js';
import { AmqpCodecError } from '../protocol/errors.js';
import type { FieldTable } from '../protocol/field-table.js';
import { encodeMethodFrame, FrameType, HEARTBEAT_FRAME, PROTOCOL_HEADER } from '../protocol/frames.js';
import { type DecodedMethod, decodeMethodPayload, methodSpec } from '../protocol/methods.js';
import { ReplyCodes } from '../protocol/reply-codes.js';
import type { AlarmResource } from '../ops/alarms.js';
import type { AmqpConfig } from '../settings.js';
import { ConnectionFlow } from './connection-flow.js';
import { AmqpError } from './errors.js';
import { AmqpFrameError, AmqpFramer } from './framer.js';
import { startFrame, type TuneLimits } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import { Opening } from './opening.js';

/** What every connection of one listener shares. */
export interface AmqpServerContext {
  readonly settings: AmqpConfig;
  readonly broker: Broker;
  readonly logger: Logger;
  readonly users: AuthService;
  readonly authRequired: boolean;
  /** The node's resource alarms (memory, disk): while any is on, publishing connections are blocked. */
  readonly alarms: { readonly active: ReadonlySet<AlarmResource>; reason(): string };
}

/** "AMQP" 1 1 0 9: RabbitMQ's old 0-9 header, served as 0-9-1 (rabbit_reader version_negotiation). */
const LEGACY_0_9_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 1, 1, 0, 9]);
/** How long a connection we closed waits for close-ok before the socket is dropped. */
const CLOSE_OK_TIMEOUT_MS = 10_000;
/** What a hold sends when it is released (holdOutputUntil), or a writeLater whose answer was
 *  dropped: nothing; the slot only keeps what follows in order. */
const NOTHING: readonly Buffer[] = [];
/** rabbit_reader's connection states: the opening handshake (opening.ts), running, closing. */
type State = 'handshake' | 'open' | 'closing';

/**
 * One AMQP 0-9-1 connection (rabbit_reader) on core/net's Connection: the protocol header as the
 * preface, then frames (AmqpFramer). Channel 0 carries the handshake and connection.close; other
 * channels are Channel objects. A soft error closes its channel, a hard one the connection
 * (connection.close with the failing class and method, then only close-ok is accepted).
 */
export class AmqpConnection extends Connection implements ChannelHost {
  private state: State = 'handshake';
  private readonly frames: AmqpFramer;
  private readonly channels = new Map<number, Channel>();
  private readonly heartbeat: Heartbeat;
  private readonly opening: Opening;
  private closeTimer: NodeJS.Timeout | null = null;
  private tornDown = false;
  vhost!: VirtualHost;
  /** rabbit_reader's `blocked` state: it published during an alarm and is not read until the alarms clear. */
  private publishBlocked = false;
  /** connection.blocked went out and connection.unblocked is owed. */
  private blockedSent = false;
  /** Epoch ms of connection.open-ok; 0 before (management connected_at). */
  connectedAt = 0;
  /** Durable writes this connection's methods caused: its replies wait for them (channel.ts). */
  readonly waits = new DurableWaits();
  /** Credit flow: the queues whose lagging consumers hold this publisher back (queue-flow.ts). */
  private readonly flow = new ConnectionFlow(() => {
    this.pauseReading('flow');
    this.heartbeat.pauseMonitor();
  }, () => {
    if (!this.publishBlocked) this.heartbeat.resumeMonitor();
    this.resumeReading('flow');
  });

  constructor(socket: Socket, readonly server: AmqpServerContext, options: ConnectionOptions) {
    const frames = new AmqpFramer();
    super(socket, frames, options);
    this.frames = frames;
    const connection = this;
    this.opening = new Opening({
      id: this.id, remoteAddress: this.remoteAddress, server,
      get closed() { return connection.closed; },
      write: (bytes) => this.write(bytes),
      pauseReading: (reason) => this.pauseReading(reason),
      resumeReading: (reason) => this.resumeReading(reason),
      closeNow: () => this.closeNow(),
      closeAfterFlush: () => this.closeAfterFlush(),
      tuned: (limits) => {
        this.frames.frameMax = limits.frameMax;
        this.heartbeat.start(limits.heartbeat);
      },
      opened: (vhost) => this.opened(vhost),
    });
    this.heartbeat = new Heartbeat(() => this.write(HEARTBEAT_FRAME), () => {
      server.logger.warn({ conn: this.id, remote: this.remoteAddress, timeout: this.limits.heartbeat },
        `missed heartbeats from client, timeout: ${this.limits.heartbeat}s`);
      this.closeNow();
    });
  }

  /** The negotiated limits (the server's proposal until tune-ok). */
  private get limits(): TuneLimits { return this.opening.limits; }
  get user(): string { return this.opening.client?.username ?? ''; }

  get broker(): Broker { return this.server.broker; }
  get access(): RabbitAccess | null { return this.server.authRequired ? this.server.users.rabbit : null; }
  get frameMax(): number { return this.limits.frameMax; }
  get maxMessageSize(): number { return this.server.settings.maxMessageSize; }
  get consumerTimeoutMs(): number { return this.server.settings.consumerTimeoutMs; }
  get channelCount(): number { return this.channels.size; }

  hasCapability(name: string): boolean { return this.opening.client?.capabilities.has(name) ?? false; }

  get clientProperties(): FieldTable { return this.opening.client?.clientProperties ?? []; }

  /** Send, or queue behind output still held (core's ReplyQueue keeps the order). */
  write(bytes: Buffer): void {
    this.heartbeat.noteSent();
    if (this.replies.length === 0) this.send(bytes);
    else this.replies.read(() => bytes);
  }

  /** basic.deliver with its content, built in the turn's shared output buffer unless output is
   *  held (then in a buffer of its own, queued behind what holds it). */
  writeDelivery(channel: number, consumerTag: Buffer, deliveryTag: number, redelivered: boolean, message: AmqpMessage): void {
    const argsLength = deliverArgsLength(consumerTag, message);
    const size = contentSize(argsLength, message, this.frameMax);
    const out = this.replies.length === 0 ? this.reserveSend(size) : null;
    if (out === null) {
      this.write(encodeDelivery(channel, consumerTag, deliveryTag, redelivered, message, this.frameMax));
      return;
    }
    this.heartbeat.noteSent();
    encodeDeliveryInto(out, this.sendAt, argsLength, channel, consumerTag, deliveryTag, redelivered, message, this.frameMax);
    this.sendReserved(size);
  }

  /**
   * Hold everything this connection writes until `until` settles (a definitions command, acks or a
   * committed transaction's messages on disk): the declare-ok, and whatever follows it, reaches the
   * client only once the declare survives a crash. A failed write — `what` names it — closes the
   * connection (541) rather than answer for a change that is not durable.
   */
  holdOutputUntil(until: Promise<unknown>, what: string): void {
    const release = this.replies.write();
    until.then(() => release(NOTHING), (err: Error) => this.heldWriteFailed(what, err));
  }

  /** Output known only once `bytes` resolves (basic.get waiting for a paging queue's read-ahead). */
  writeLater(bytes: Promise<Buffer | null>): void {
    const fill = this.replies.write();
    bytes.then((b) => fill(b ?? NOTHING), () => fill(NOTHING));
  }

  /** A held write failed: what waited for it answered for a change that is not durable, so it is
   *  dropped, and the connection closes with 541. */
  private heldWriteFailed(what: string, err: Error): void {
    this.server.logger.error({ conn: this.id, err: err.message }, `amqp ${what} failed, closing connection`);
    this.replies.clear();
    this.closeWithError(AmqpError.of(ReplyCodes.INTERNAL_ERROR, `${what} failed`));
  }

  /** Room to deliver more: the socket is not backed up (consumers stop taking until 'drain'). */
  writable(): boolean { return this.unsentBytes < this.net.maxUnsentBytes; }

  whenWritable(fn: () => void): void { this.socket.once('drain', fn); }

  channelClosed(id: number): void {
    if (this.channels.delete(id)) this.broker.stats.channelClosed++;
  }

  /** The open channels, for the management API's channel and consumer lists. */
  channelList(): IterableIterator<Channel> { return this.channels.values(); }

  /** Negotiated limits and what the client said of itself (management connection fields). */
  get tune(): Readonly<TuneLimits> { return this.limits; }
  get authMechanism(): string { return this.opening.client?.mechanism ?? ''; }
  get isOpen(): boolean { return this.state === 'open'; }

  /** Not read because it published while a resource alarm was on (rabbit_reader `blocked`). */
  get blocked(): boolean { return this.publishBlocked; }

  /** Held back by credit flow now or in the last 5 s: the management API's state "flow". */
  get inFlow(): boolean { return this.flow.showsFlow; }

  /**
   * A queue it published to is pressed (QueueFlow): stop reading — the client sees only TCP
   * backpressure, no connection.blocked (rabbit_reader's credit flow is invisible to clients). A
   * connection that consumes with acks is never held: its reads carry the acks that drain queues,
   * and blocking it could deadlock (it consumes what it publishes, or two connections each
   * consume what the other publishes).
   */
  flowBlock(gate: QueueFlow): boolean {
    if (this.closed || this.readsCarryAcks()) return false;
    this.flow.block(gate);
    return true;
  }

  flowRelease(gate: QueueFlow): void { this.flow.release(gate); }

  private readsCarryAcks(): boolean {
    for (const ch of this.channels.values()) {
      if (ch.unacked.size > 0) return true;
      for (const c of ch.consumers.values()) if (!c.noAck) return true;
    }
    return false;
  }

  /**
   * rabbit_reader publish_received / maybe_block: a content frame received while an alarm is on
   * blocks the connection after that frame — reading stops (consumers on it still get deliveries,
   * connections that do not publish are untouched), the heartbeat monitor pauses, and clients with
   * the connection.blocked capability get connection.blocked with the reason ("low on memory").
   */
  private publishReceived(): void {
    const alarms = this.server.alarms;
    if (this.publishBlocked || alarms.active.size === 0) return;
    this.publishBlocked = true;
    this.pauseReading('resource-alarm');
    this.heartbeat.pauseMonitor();
    if (this.hasCapability('connection.blocked')) {
      this.write(encodeMethodFrame(0, 'connection.blocked', { reason: alarms.reason() }));
      this.blockedSent = true;
    }
  }

  /** The alarms changed (rabbit_reader control_throttle): once none is left a blocked connection
   *  reads again and gets connection.unblocked if it was told it was blocked. */
  alarmsChanged(): void {
    if (!this.publishBlocked || this.server.alarms.active.size > 0) return;
    this.publishBlocked = false;
    if (!this.flow.blocked) this.heartbeat.resumeMonitor();
    if (this.blockedSent) {
      this.blockedSent = false;
      this.write(encodeMethodFrame(0, 'connection.unblocked', {}));
    }
    this.resumeReading('resource-alarm');
  }

  /** The broker closes this connection (shutdown, rabbitmqctl close_connection): 320 CONNECTION_FORCED. */
  forceClose(reason: string): void {
    this.closeWithError(AmqpError.of(ReplyCodes.CONNECTION_FORCED, reason));
  }

  protected override inspectPreface(head: Buffer): PrefaceOutcome {
    if (!head.equals(PROTOCOL_HEADER) && !head.equals(LEGACY_0_9_HEADER)) {
      this.server.logger.info({ conn: this.id, remote: this.remoteAddress, header: head.toString('hex') }, 'amqp unsupported protocol header, closing');
      this.closeAfterSending(PROTOCOL_HEADER);
      return 'taken-over';
    }
    this.write(startFrame());
    return head.length;
  }

  /** `payload`: the frame's payload; its type and channel are the framer's (AmqpFramer.next). */
  protected override onFrame(payload: Buffer): void {
    this.heartbeat.noteReceived();
    const { type, channel } = this.frames;
    if (type === FrameType.METHOD && payload.length >= 4 && methodSpec(payload.readUInt16BE(0), payload.readUInt16BE(2)) === undefined) {
      // RabbitMQ 3.10.8's reader fails on an unknown class or method id and the socket closes
      // without connection.close (observed with the reference); so does this one.
      this.server.logger.info({ conn: this.id, remote: this.remoteAddress, classId: payload.readUInt16BE(0), methodId: payload.readUInt16BE(2) },
        'amqp unknown method, closing');
      this.closeNow();
      return;
    }
    try {
      this.handleFrame(type, channel, payload);
    } catch (err) {
      this.handleError(err, channel);
    }
    if ((type === FrameType.HEADER || type === FrameType.BODY) && this.state === 'open') this.publishReceived();
  }

  protected override onFrameError(err: FrameError): void {
    const detail = err instanceof AmqpFrameError ? err.detail : err.message;
    this.closeWithError(AmqpError.of(ReplyCodes.FRAME_ERROR, detail));
  }

  protected override onClosed(): void {
    this.heartbeat.stop();
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.teardown();
  }

  protected override logContext(): Record<string, unknown> { return { user: this.user }; }

  private handleError(err: unknown, channel: number): void {
    let error: AmqpError;
    if (err instanceof AmqpError) error = err;
    else if (err instanceof AmqpCodecError) error = new AmqpError(err.replyCode, err.replyText, err.classId, err.methodId);
    else throw err;
    const ch = this.channels.get(channel);
    if (!error.hard && channel !== 0 && ch) ch.closeWithError(error);
    else this.closeWithError(error);
  }

  private handleFrame(type: number, channel: number, payload: Buffer): void {
    if (this.state === 'closing') {
      this.whileClosing(type, channel, payload);
      return;
    }
    if (type === FrameType.HEARTBEAT) {
      if (channel !== 0) throw AmqpError.of(ReplyCodes.UNEXPECTED_FRAME, `heartbeat frame on channel ${channel}`);
      return;
    }
    if (type !== FrameType.METHOD && type !== FrameType.HEADER && type !== FrameType.BODY) {
      throw AmqpError.of(ReplyCodes.FRAME_ERROR, `unknown frame type ${type}`);
    }
    if (channel === 0) {
      if (type !== FrameType.METHOD) throw AmqpError.of(ReplyCodes.UNEXPECTED_FRAME, `non-method frame on channel 0 (type ${type})`);
      this.connectionMethod(decodeMethodPayload(payload));
      return;
    }
    if (this.state !== 'open') throw AmqpError.of(ReplyCodes.UNEXPECTED_FRAME, `frame on channel ${channel} before connection.open`);
    const ch = this.channels.get(channel);
    if (ch) {
      ch.handleFrame(type, payload);
      return;
    }
    const method = type === FrameType.METHOD ? decodeMethodPayload(payload) : null;
    if (method?.spec.className !== 'channel' || method.spec.name !== 'open') {
      throw AmqpError.of(ReplyCodes.CHANNEL_ERROR, "expected 'channel.open'");
    }
    this.openChannel(channel);
  }

  private openChannel(id: number): void {
    if (this.limits.channelMax !== 0 && this.channels.size >= this.limits.channelMax) {
      throw AmqpError.of(ReplyCodes.NOT_ALLOWED,
        `number of channels opened (${this.channels.size}) has reached the negotiated channel_max (${this.limits.channelMax})`).withMethod(20, 10);
    }
    this.channels.set(id, new Channel(id, this));
    this.broker.stats.channelCreated++;
    this.write(encodeMethodFrame(id, 'channel.open-ok', { channelId: Buffer.alloc(0) }));
  }

  /** After we sent connection.close only close-ok (or the peer's own close) counts (§4.2.2). */
  private whileClosing(type: number, channel: number, payload: Buffer): void {
    if (type !== FrameType.METHOD || channel !== 0 || payload.length < 4) return;
    const classId = payload.readUInt16BE(0);
    const methodId = payload.readUInt16BE(2);
    if (classId !== 10) return;
    if (methodId === 50) this.write(encodeMethodFrame(0, 'connection.close-ok', {}));
    if (methodId === 50 || methodId === 51) this.closeAfterFlush();
  }

  private connectionMethod(method: DecodedMethod): void {
    const name = `${method.spec.className}.${method.spec.name}`;
    if (name === 'connection.close' && this.opening.step !== 'authenticating') {
      this.clientClose();
      return;
    }
    if (this.state === 'handshake') {
      this.opening.take(method);
      return;
    }
    if (name === 'connection.close-ok') return;
    throw AmqpError.of(ReplyCodes.COMMAND_INVALID, `unexpected method ${name} in connection state ${this.state}`)
      .withMethod(method.spec.classId, method.spec.methodId);
  }

  /** connection.open accepted (opening.ts): the connection runs in `vhost`. */
  private opened(vhost: VirtualHost): void {
    this.vhost = vhost;
    this.connectedAt = Date.now();
    this.broker.stats.connectionCreated++;
    this.state = 'open';
    this.handshakeCompleted();
  }

  private clientClose(): void {
    this.teardown();
    // close-ok waits behind output held for a durable write; the socket ends once it is sent.
    this.write(encodeMethodFrame(0, 'connection.close-ok', {}));
    this.closeAfterFlush();
  }

  /** Hard error: connection.close with the code, text and failing method; wait for close-ok. */
  closeWithError(error: AmqpError): void {
    if (this.closed || this.state === 'closing') return;
    this.server.logger.info({ conn: this.id, remote: this.remoteAddress, code: error.replyCode, text: error.text }, 'amqp closing connection on error');
    this.state = 'closing';
    this.teardown();
    this.write(encodeMethodFrame(0, 'connection.close', {
      replyCode: error.replyCode, replyText: error.text, classId: error.classId, methodId: error.methodId,
    }));
    this.closeTimer = setTimeout(() => this.closeNow(), CLOSE_OK_TIMEOUT_MS);
    this.closeTimer.unref();
  }

  private closeNow(): void {
    this.teardown();
    this.close();
  }

  /** Channels go (unacked requeued, consumers cancelled), then the exclusive queues. */
  private teardown(): void {
    if (this.tornDown) return;
    this.tornDown = true;
    this.flow.detach(this);
    if (this.connectedAt !== 0) this.broker.stats.connectionClosed++;
    for (const ch of this.channels.values()) ch.teardown();
    this.broker.stats.channelClosed += this.channels.size;
    this.channels.clear();
    this.broker.connectionClosed(this.id);
  }
}


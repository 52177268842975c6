import type { Socket } from 'node:net';
import { FrameError } from '../errors.js';
import type { Logger } from '../logger.js';
import { CorkedWriter } from './corked-writer.js';
import type { Framer } from './framer.js';
import type { OutstandingRequests, PauseReason, Throttleable } from './outstanding.js';
import { normalizeIp } from './per-ip-limit.js';
import { ReplyQueue, type ReplyFrame } from './reply-queue.js';

/**
 * handshake: accepted, the protocol's opening exchange not finished (the handshake timeout runs);
 * open: requests flow; closing: no more requests are read, the replies still owed are sent, then
 * the socket ends; closed: nothing more is sent.
 */
export type ConnectionPhase = 'handshake' | 'open' | 'closing' | 'closed';

/** What a preface inspection decided: bytes it consumed before framing starts, or that the
 *  protocol took the socket over (answered and is closing, as a ZooKeeper four-letter word). */
export type PrefaceOutcome = number | 'taken-over';

/** Settings shared by the connections of one listener. */
export interface ConnectionOptions {
  /** Label in log lines ('zk', 'kafka'). */
  readonly protocol: string;
  readonly logger: Logger;
  /** Stop reading and processing frames while more bytes than this wait to be sent; resume once
   *  they are drained. Values below the socket's high-water mark (16 KiB) act as that mark. */
  readonly maxUnsentBytes: number;
  /** Drop a connection whose unsent bytes exceed this (0 or undefined = never): the bound for what
   *  pausing cannot stop — replies that were waiting behind a write and all run when it is applied,
   *  notifications — when the client does not read (Redis's client-output-buffer-limit). */
  readonly closeAboveUnsentBytes?: number;
  /** Close a connection whose handshake is not complete this long after accept (0 = never). */
  readonly handshakeTimeoutMs: number;
  /** Close a connection without traffic in either direction for this long (0 = never). */
  readonly idleTimeoutMs: number;
  /** Bytes inspected (inspectPreface) before the first frame is read; 0 = none. */
  readonly prefaceBytes?: number;
  /** The listener's outstanding-request count and limit, shared by its connections. */
  readonly outstanding?: OutstandingRequests;
  /** After closeAfterFlush ended the socket, drop it if the peer has not closed within this long. */
  readonly closeLingerMs?: number;
}

const DEFAULT_CLOSE_LINGER_MS = 10_000;
let nextConnectionId = 1;

/**
 * A client connection on a TCP listener (LavinMQ's client base, ZooKeeper's ServerCnxn): frames in
 * through a Framer, one frame at a time; replies out through send() (corked per event-loop turn)
 * or, for in-order protocols, through `replies`. It stops reading — and stops processing frames
 * already received — while its unsent bytes exceed the cap or the listener is over its
 * outstanding-request limit, so a client that does not read its replies cannot make the server
 * buffer them without bound. A protocol implements onFrame (and optionally inspectPreface,
 * onClosed, logContext) and calls handshakeCompleted() when its opening exchange is done.
 */
export abstract class Connection implements Throttleable {
  readonly id = nextConnectionId++;
  readonly remoteAddress: string;
  readonly replies: ReplyQueue;
  private currentPhase: ConnectionPhase = 'handshake';
  private readonly writer: CorkedWriter;
  private readonly pauses = new Set<PauseReason>();
  /** Bytes gathered until prefaceBytes are there; null once the preface was inspected. */
  private preface: Buffer | null;
  private processing = false;
  private processingScheduled = false;
  private handshakeTimer: NodeJS.Timeout | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  private idleTimeoutMs = 0;
  /** net.closeAboveUnsentBytes, 0 = never (read once: send() runs for every reply). */
  private readonly closeLimit: number;

  constructor(readonly socket: Socket, private readonly framer: Framer, protected readonly net: ConnectionOptions) {
    this.remoteAddress = normalizeIp(socket.remoteAddress ?? '');
    this.writer = new CorkedWriter(socket);
    this.closeLimit = net.closeAboveUnsentBytes ?? 0;
    const outstanding = net.outstanding;
    this.replies = new ReplyQueue((frame) => this.send(frame), outstanding ? {
      added: () => outstanding.added(this),
      settled: (ownLeft, count) => outstanding.settled(this, ownLeft, count),
    } : undefined);
    this.preface = (net.prefaceBytes ?? 0) > 0 ? Buffer.alloc(0) : null;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.socketClosed());
    socket.on('error', (err) => net.logger.debug({ conn: this.id, remote: this.remoteAddress, err: err.message }, `${net.protocol} socket error`));
    if (net.handshakeTimeoutMs > 0) {
      this.handshakeTimer = setTimeout(() => this.handshakeExpired(), net.handshakeTimeoutMs);
      this.handshakeTimer.unref();
    }
    socket.on('timeout', () => this.idleExpired());
    this.setIdleTimeout(net.idleTimeoutMs);
  }

  get phase(): ConnectionPhase { return this.currentPhase; }

  /** Closing or closed: no more requests are processed. */
  get closed(): boolean { return this.currentPhase === 'closing' || this.currentPhase === 'closed'; }

  /** Bytes accepted by send() and not yet handed to the kernel. */
  get unsentBytes(): number { return this.socket.writableLength + this.writer.pending; }

  /** Bytes received and not yet processed as frames (bounded: reading stops while paused). */
  get unprocessedBytes(): number { return this.framer.buffered + (this.preface?.length ?? 0); }

  /** Why reading is paused right now (empty when it is not). */
  get pausedFor(): readonly PauseReason[] { return [...this.pauses]; }

  /** One frame, in arrival order; not called while reading is paused or the connection is closing. */
  protected abstract onFrame(frame: Buffer): void;

  /** The first prefaceBytes bytes, before any frame: return how many to consume, or 'taken-over'. */
  protected inspectPreface(head: Buffer): PrefaceOutcome { void head; return 0; }

  /** The framer refused the stream: by default log and drop the connection; a protocol that
   *  answers bad framing first (AMQP's connection.close 501 FRAME_ERROR) overrides it. */
  protected onFrameError(err: FrameError): void {
    this.net.logger.warn({ conn: this.id, remote: this.remoteAddress, ...this.logContext(), err: err.message },
      `${this.net.protocol} frame rejected, closing`);
    this.close();
  }

  /** The socket is gone (after close(), closeAfterFlush() or the peer leaving). */
  protected onClosed(): void { /* for subclasses */ }

  /** Fields added to this connection's log lines (e.g. a session id). */
  protected logContext(): Record<string, unknown> { return {}; }

  /** The protocol's opening exchange is done: the handshake timeout stops. */
  protected handshakeCompleted(): void {
    if (this.currentPhase === 'handshake') this.currentPhase = 'open';
    this.clearHandshakeTimer();
  }

  /** Close after this long without traffic either way (0 = never); protocols may change it once open. */
  setIdleTimeout(ms: number): void {
    this.idleTimeoutMs = ms > 0 ? ms : 0;
    this.socket.setTimeout(this.idleTimeoutMs);
  }

  /** Queue bytes for the peer; bytes sent in one event-loop turn leave in one write. */
  send(bytes: ReplyFrame): void {
    if (this.currentPhase === 'closed') return;
    if (Buffer.isBuffer(bytes)) this.writer.write(bytes);
    else for (const piece of bytes) this.writer.write(piece);
    this.checkUnsent();
  }

  private checkUnsent(): void {
    if (this.closeLimit > 0 && this.unsentBytes > this.closeLimit) {
      this.net.logger.warn({ conn: this.id, remote: this.remoteAddress, ...this.logContext(), unsent: this.unsentBytes,
        limit: this.closeLimit }, `${this.net.protocol} client does not read its replies, closing`);
      this.close();
    }
  }

  /**
   * send() for bytes built in place: a buffer with room for `bytes` from `sendAt`, carved from one
   * that every connection shares (CorkedWriter.reserve). Fill them, then sendReserved(bytes), before
   * anything else is sent. Null once closed.
   */
  reserveSend(bytes: number): Buffer | null {
    return this.currentPhase === 'closed' ? null : this.writer.reserve(bytes);
  }

  /** Where reserveSend's bytes go in its buffer. */
  get sendAt(): number { return this.writer.at; }

  sendReserved(bytes: number): void {
    this.writer.commit(bytes);
    this.checkUnsent();
  }

  /** Stop reading and processing frames until resumeReading(reason) (reasons add up). */
  pauseReading(reason: PauseReason): void {
    if (this.pauses.has(reason)) return;
    this.pauses.add(reason);
    if (this.pauses.size === 1) this.socket.pause();
  }

  /** Lift one pause; once none is left, read again and process the frames kept meanwhile. */
  resumeReading(reason: PauseReason): void {
    if (!this.pauses.delete(reason) || this.pauses.size > 0 || this.currentPhase === 'closed') return;
    this.socket.resume();
    // Not synchronously: a resume can come from inside a reply being sent (a store's apply).
    if (this.processingScheduled) return;
    this.processingScheduled = true;
    queueMicrotask(() => {
      this.processingScheduled = false;
      this.processFrames();
    });
  }

  /** Stop reading; send the replies still owed, then end the socket. */
  closeAfterFlush(): void {
    if (this.closed) return;
    this.currentPhase = 'closing';
    this.clearHandshakeTimer();
    this.replies.whenDrained(() => this.endSocket());
  }

  /** Send these bytes as the last ones, then end the socket (nothing is read any more). */
  protected closeAfterSending(bytes: Buffer): void {
    if (this.closed) return;
    this.currentPhase = 'closing';
    this.clearHandshakeTimer();
    this.writer.write(bytes);
    this.endSocket();
  }

  /** Drop the connection now; nothing more is sent. */
  close(): void {
    if (this.currentPhase === 'closed' && this.socket.destroyed) return;
    this.currentPhase = 'closed';
    this.replies.clear();
    this.socket.destroy();
  }

  /** Something went wrong that this connection cannot answer (a storage failure, a bug in a
   *  handler): log it once with context and drop the connection, never the server. */
  fail(err: unknown, reason: string): void {
    if (this.currentPhase === 'closed') return;
    this.net.logger.error({ err, conn: this.id, remote: this.remoteAddress, ...this.logContext(), reason },
      `${this.net.protocol} request failed, closing connection`);
    this.close();
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    if (this.preface !== null) {
      const head = this.preface.length === 0 ? chunk : Buffer.concat([this.preface, chunk]);
      const need = this.net.prefaceBytes!;
      if (head.length < need) { this.preface = head; return; }
      this.preface = null;
      let outcome: PrefaceOutcome;
      try { outcome = this.inspectPreface(head.subarray(0, need)); } catch (err) {
        this.fail(err, 'preface');
        return;
      }
      if (outcome === 'taken-over' || this.closed) return;
      chunk = head.subarray(outcome);
    }
    this.framer.append(chunk);
    this.processFrames();
  }

  private processFrames(): void {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.pauses.size === 0 && this.currentPhase !== 'closing' && this.currentPhase !== 'closed') {
        if (this.overUnsentCap()) {
          this.pauseUntilDrained();
          break;
        }
        const frame = this.framer.next();
        if (frame === null) break;
        this.onFrame(frame);
      }
    } catch (err) {
      if (err instanceof FrameError) {
        this.onFrameError(err);
      } else {
        // A bug in a handler must cost this connection, never the server and its other clients.
        this.fail(err, 'frame');
      }
    } finally {
      this.processing = false;
    }
  }

  private overUnsentCap(): boolean {
    const length = this.socket.writableLength;
    // 'drain' is only emitted after the buffer went above the socket's high-water mark.
    return length > this.net.maxUnsentBytes && length >= this.socket.writableHighWaterMark;
  }

  private pauseUntilDrained(): void {
    if (this.pauses.has('unsent-bytes')) return;
    this.pauseReading('unsent-bytes');
    this.socket.once('drain', () => this.resumeReading('unsent-bytes'));
  }

  private endSocket(): void {
    this.currentPhase = 'closed';
    this.writer.flush(); // what was built in place this turn goes before the FIN
    this.socket.end();
    // A peer that never reads or never closes must not hold the socket for ever.
    this.lingerTimer = setTimeout(() => this.socket.destroy(), this.net.closeLingerMs ?? DEFAULT_CLOSE_LINGER_MS);
    this.lingerTimer.unref();
  }

  private handshakeExpired(): void {
    this.handshakeTimer = null;
    if (this.currentPhase !== 'handshake') return;
    // ZooKeeper: a connection without a session is expired after zookeeper.nio.sessionlessCnxnTimeout.
    this.net.logger.debug({ conn: this.id, remote: this.remoteAddress, ms: this.net.handshakeTimeoutMs },
      `${this.net.protocol} handshake not completed in time, closing`);
    this.close();
  }

  private idleExpired(): void {
    if (this.currentPhase === 'closed' || this.idleTimeoutMs === 0) return;
    this.net.logger.debug({ conn: this.id, remote: this.remoteAddress, ms: this.idleTimeoutMs }, `${this.net.protocol} connection idle, closing`);
    this.close();
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }

  private socketClosed(): void {
    this.currentPhase = 'closed';
    this.clearHandshakeTimer();
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.replies.clear();
    this.net.outstanding?.forget(this);
    this.onClosed();
  }
}

import type { VirtualHost } from '../broker/vhost.js';
import { encodeMethodFrame } from '../protocol/frames.js';
import type { DecodedMethod } from '../protocol/methods.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';
import { AmqpError } from './errors.js';
import { checkVhost, loginRefused, negotiate, openOkFrame, parseStartOk, type StartOk, type TuneLimits, tuneFrame } from './handshake.js';
import type { AmqpServerContext } from './connection.js';

/** Where the opening stands (rabbit_reader's connection states before `running`). */
export type OpeningStep = 'start' | 'authenticating' | 'tune' | 'opening';

/** What the opening needs of its connection. */
export interface OpeningHost {
  readonly id: number;
  readonly remoteAddress: string;
  /** The socket is closing or closed (an authentication that returns late has nobody to answer). */
  readonly closed: boolean;
  readonly server: AmqpServerContext;
  write(bytes: Buffer): void;
  pauseReading(reason: 'authentication'): void;
  resumeReading(reason: 'authentication'): void;
  /** Drop the connection without a word (a client that cannot take connection.close). */
  closeNow(): void;
  closeAfterFlush(): void;
  /** tune-ok negotiated these limits: frame_max for the framer, the heartbeat. */
  tuned(limits: TuneLimits): void;
  /** connection.open accepted: the connection runs in `vhost`. */
  opened(vhost: VirtualHost): void;
}

/**
 * The connection's opening handshake, after the protocol header (AMQP 0-9-1 §2.2.4, rabbit_reader
 * handle_method0; LavinMQ's connection factory): connection.start went out with the header;
 * start-ok authenticates (PLAIN / AMQPLAIN, the user store with --auth), tune proposes the server's
 * limits and tune-ok negotiates them, open picks the vhost. Each method is taken only at its step.
 */
export class Opening {
  step: OpeningStep = 'start';
  /** What start-ok said (capabilities, client properties, mechanism); null before it. */
  client: StartOk | null = null;
  /** The server's proposal until tune-ok, then the negotiated limits. */
  limits: TuneLimits;

  constructor(private readonly host: OpeningHost) {
    const s = host.server.settings;
    this.limits = { channelMax: s.channelMax, frameMax: s.frameMax, heartbeat: s.heartbeat };
  }

  /** The method the current step expects ('' while authenticating: none). */
  get expected(): string {
    return { start: 'connection.start-ok', authenticating: '', tune: 'connection.tune-ok', opening: 'connection.open' }[this.step];
  }

  /** A connection-class method before open: the one its step expects, else 503 COMMAND_INVALID. */
  take(method: DecodedMethod): void {
    const name = `${method.spec.className}.${method.spec.name}`;
    if (name !== this.expected) {
      throw AmqpError.of(ReplyCodes.COMMAND_INVALID, `unexpected method ${name} in connection state ${this.step}`)
        .withMethod(method.spec.classId, method.spec.methodId);
    }
    if (this.step === 'start') this.startOk(method);
    else if (this.step === 'tune') this.tuneOk(method);
    else this.open(method);
  }

  private startOk(method: DecodedMethod): void {
    const client = parseStartOk(method.args);
    this.client = client;
    const { host } = this;
    if (!host.server.authRequired) {
      this.sendTune();
      return;
    }
    this.step = 'authenticating';
    host.pauseReading('authentication');
    host.server.users.authenticate(client.username, client.password).then(() => {
      if (host.closed) return;
      this.sendTune();
      host.resumeReading('authentication');
    }, (err: unknown) => {
      host.server.logger.info({ conn: host.id, remote: host.remoteAddress, user: client.username, err: (err as Error).message },
        'amqp login refused');
      this.refuseLogin(client);
    });
  }

  /** rabbit_reader auth_fail: 403 with connection.close to clients with authentication_failure_close,
   *  a bare socket close to older ones. */
  private refuseLogin(client: StartOk): void {
    if (!client.capabilities.has('authentication_failure_close')) {
      this.host.closeNow();
      return;
    }
    const error = loginRefused(client.mechanism);
    this.host.write(encodeMethodFrame(0, 'connection.close', { replyCode: error.replyCode, replyText: error.text, classId: 0, methodId: 0 }));
    this.host.closeAfterFlush();
  }

  private sendTune(): void {
    this.step = 'tune';
    this.host.write(tuneFrame(this.limits));
  }

  private tuneOk(method: DecodedMethod): void {
    this.limits = negotiate(method.args, this.limits);
    this.step = 'opening';
    this.host.tuned(this.limits);
  }

  /** rabbit_reader handle_method connection.open: the vhost must exist in the user store (530
   *  "vhost X not found") and, with --auth, the user needs a permission record there (530
   *  "access to vhost 'X' refused for user 'U'"). */
  private open(method: DecodedMethod): void {
    const { server } = this.host;
    const rabbit = server.users.rabbit;
    const name = checkVhost(method.args, (v) => rabbit.vhostExists(v) || v === server.broker.defaultVhost);
    const user = this.client!.username;
    if (server.authRequired && !rabbit.canAccessVhost(user, name)) {
      throw AmqpError.text(ReplyCodes.NOT_ALLOWED, ReplyTexts.vhostAccessRefused(name, user));
    }
    this.host.opened(server.broker.ensureVhost(name));
    this.host.write(openOkFrame());
  }
}

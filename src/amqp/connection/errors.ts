import { JunctionError } from '../../core/errors.js';
import { isHardError, replyText } from '../protocol/reply-codes.js';

/**
 * An AMQP exception raised while handling a method (rabbit_misc:protocol_error). A soft code
 * (3xx/4xx) closes the channel, a hard one the connection; raised on channel 0 it always closes
 * the connection (rabbit_channel/rabbit_reader handle_exception). `text` is the full reply text
 * ("NOT_FOUND - no queue 'q' in vhost '/'").
 */
export class AmqpError extends JunctionError {
  constructor(readonly replyCode: number, readonly text: string, readonly classId = 0, readonly methodId = 0) {
    super('AMQP', text);
  }

  get hard(): boolean { return isHardError(this.replyCode); }

  /** Built from a detail: `AmqpError.of(404, "no queue 'q' in vhost '/'")`. */
  static of(code: number, detail: string): AmqpError { return new AmqpError(code, replyText(code, detail)); }

  /** A ReplyTexts.* text already formatted. */
  static text(code: number, text: string): AmqpError { return new AmqpError(code, text); }

  withMethod(classId: number, methodId: number): AmqpError {
    return new AmqpError(this.replyCode, this.text, classId, methodId);
  }
}

import { JunctionError } from '../../core/errors.js';
import { replyCodeName } from './reply-codes.js';

/**
 * The peer sent bytes the AMQP codec cannot accept. Carries the reply code the broker closes with
 * (FRAME_ERROR 501, SYNTAX_ERROR 502, COMMAND_INVALID 503, UNEXPECTED_FRAME 505 …) and RabbitMQ's
 * reply-text form "NAME - detail" (rabbit_binary_generator amqp_exception_explanation).
 * Every decoder in src/amqp/protocol throws only this (fuzz-tested).
 */
export class AmqpCodecError extends JunctionError {
  readonly replyText: string;
  constructor(readonly replyCode: number, detail: string, readonly classId = 0, readonly methodId = 0) {
    super('AMQP_CODEC', `${replyCodeName(replyCode)} - ${detail}`);
    this.replyText = this.message;
  }
}

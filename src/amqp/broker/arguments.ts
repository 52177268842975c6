import { AmqpError } from '../connection/errors.js';
import { type FieldTable, fieldString, tableGet } from '../protocol/field-table.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';

/**
 * Redeclare with other arguments → 406 "inequivalent arg …" (rabbit_misc assert_args_equivalence).
 * Placeholder: every argument is accepted as equivalent until amqp-semantics' function (which
 * knows which x-arguments RabbitMQ compares and how it compares integers of different tags)
 * replaces this one, keeping its signature.
 */
export function checkArgumentsEquivalent(kind: 'exchange' | 'queue', name: string, vhost: string, current: FieldTable, received: FieldTable): void {
  void kind; void name; void vhost; void current; void received;
}

/**
 * x-queue-type: classic is served; quorum and stream need Raft replication that a single broker
 * without it cannot honestly provide, so they are refused with 406 rather than silently becoming
 * classic queues. RabbitMQ's own checks come first where they apply (a quorum/stream queue must be
 * durable and not exclusive: "invalid property 'non-durable' / 'exclusive'"). docs/compat/amqp.md.
 */
export function checkQueueType(name: string, vhost: string, durable: boolean, exclusive: boolean, args: FieldTable): void {
  const type = fieldString(tableGet(args, 'x-queue-type'));
  if (type === undefined || type === 'classic') return;
  if (type !== 'quorum' && type !== 'stream') {
    throw AmqpError.text(ReplyCodes.PRECONDITION_FAILED, ReplyTexts.invalidQueueArg('x-queue-type', name, vhost, `unsupported queue type '${type}'`));
  }
  if (exclusive) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, `invalid property 'exclusive' for queue '${name}' in vhost '${vhost}'`);
  if (!durable) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, `invalid property 'non-durable' for queue '${name}' in vhost '${vhost}'`);
  throw AmqpError.text(ReplyCodes.PRECONDITION_FAILED, ReplyTexts.invalidQueueArg('x-queue-type', name, vhost,
    `${type} queues are not supported by this broker (a single node without Raft replication); declare a classic queue`));
}

import { AmqpError } from '../connection/errors.js';
import { type FieldTable, fieldString, tableGet } from '../protocol/field-table.js';
import { ReplyCodes } from '../protocol/reply-codes.js';
import {
  checkArgumentsEquivalent, checkExchangeEquivalent, checkQueueFlagsEquivalent, type ExchangeFlags, type QueueFlags,
} from '../semantics/argument-equivalence.js';
import { type QueueArgumentSettings, validateExchangeArguments, validateQueueArguments } from '../semantics/queue-arguments.js';
import type { AmqpReply, Checked } from '../semantics/reply.js';

// The broker's side of argument checks: the rules are amqp/semantics' (differentially tested
// against RabbitMQ 3.10.8); this file only turns their replies into channel errors.

function raise(reply: AmqpReply | null): void {
  if (reply !== null) throw AmqpError.text(reply.code, reply.text);
}

function unwrap<T>(checked: Checked<T>): T {
  if (!checked.ok) throw AmqpError.text(checked.error.code, checked.error.text);
  return checked.value;
}

type WithArgs<T> = T & { args: FieldTable };

/** Queue redeclared with other durable/auto_delete or arguments → 406 "inequivalent arg …"
 *  (rabbit_amqqueue:assert_equivalence; exclusivity is checked before, as 405). */
export function assertQueueEquivalent(name: string, vhost: string, current: WithArgs<QueueFlags>, requested: WithArgs<QueueFlags>): void {
  raise(checkQueueFlagsEquivalent(name, vhost, current, requested));
  raise(checkArgumentsEquivalent(name, vhost, current.args, requested.args));
}

/** Exchange redeclared with another type, flags or alternate-exchange (rabbit_exchange:assert_equivalence). */
export function assertExchangeEquivalent(name: string, vhost: string, current: WithArgs<ExchangeFlags>, requested: WithArgs<ExchangeFlags>): void {
  raise(checkExchangeEquivalent(name, vhost, current, requested));
}

/** exchange.declare of a new exchange: alternate-exchange must be a longstr. */
export function assertExchangeArguments(name: string, vhost: string, args: FieldTable): void {
  raise(validateExchangeArguments(name, vhost, args));
}

/**
 * queue.declare of a new queue: its settings, or RabbitMQ's 406. A quorum or stream queue must be
 * durable and not exclusive (rabbit_amqqueue's property checks come before the arguments: "invalid
 * property 'non-durable' / 'exclusive'"); after those, semantics refuses the type itself, as a
 * node without Raft cannot honestly provide it (docs/compat/amqp.md).
 */
export function queueSettings(name: string, vhost: string, durable: boolean, exclusive: boolean, args: FieldTable): QueueArgumentSettings {
  const type = fieldString(tableGet(args, 'x-queue-type'));
  if (type === 'quorum' || type === 'stream') {
    if (exclusive) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, `invalid property 'exclusive' for queue '${name}' in vhost '${vhost}'`);
    if (!durable) throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, `invalid property 'non-durable' for queue '${name}' in vhost '${vhost}'`);
  }
  return unwrap(validateQueueArguments(name, vhost, args));
}

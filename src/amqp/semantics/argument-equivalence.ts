import { type FieldTable, type FieldValue, tableGet } from '../protocol/field-table.js';
import { ReplyTexts } from '../protocol/reply-codes.js';
import { fieldTerm, fieldTypeName, formatPlain, type Term, termsEqual } from './erlang-terms.js';
import { CLASSIC_QUEUE_ARGUMENTS } from './queue-arguments.js';
import { type AmqpReply, preconditionFailed } from './reply.js';

// The equivalence check of a redeclare, as rabbit_misc:assert_args_equivalence/4 does it (called by
// rabbit_amqqueue:assert_args_equivalence with the queue type's arguments, and by
// rabbit_exchange:assert_args_equivalence with [alternate-exchange]).

/** rabbit_misc:type_class: every integer type (and decimal) is one class, float and double another. */
function typeClass(v: FieldValue): string {
  switch (v.type) {
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i': case 'l': case 'L': case 'D': return 'int';
    case 'f': case 'd': return 'float';
    default: return fieldTypeName(v);
  }
}

/** rabbit_misc val/1 for a value standing alone: '~s' for a binary, '~p' for anything else. */
const renderValue = (t: Term) => `'${formatPlain(t)}'`;

/** rabbit_misc val/1 for a {Type, Value} pair or a missing argument. */
function renderField(v: FieldValue | undefined): string {
  if (v === undefined) return 'none';
  return `the value ${renderValue(fieldTerm(v))} of type '${fieldTypeName(v)}'`;
}

function sameField(a: FieldValue, b: FieldValue): boolean {
  return a.type === b.type && termsEqual(fieldTerm(a), fieldTerm(b), true);
}

/** One key of assert_args_equivalence1; the detail text of the failure, or null. */
function compareKey(current: FieldTable, requested: FieldTable, key: string): { received: string; current: string } | null {
  const was = tableGet(current, key);
  const now = tableGet(requested, key);
  if (was === undefined && now === undefined) return null;
  if (was !== undefined && now !== undefined) {
    if (sameField(was, now)) return null;
    if (typeClass(was) === typeClass(now) && termsEqual(fieldTerm(was), fieldTerm(now), false)) return null;
    // assert_field_equivalence on the bare values: equal values of different type classes pass
    // (e.g. longstr and binary 'a'); the text shows values only.
    const [wasTerm, nowTerm] = [fieldTerm(was), fieldTerm(now)];
    if (termsEqual(wasTerm, nowTerm, true)) return null;
    return { received: renderValue(nowTerm), current: renderValue(wasTerm) };
  }
  // x-queue-type 'classic' and no x-queue-type are the same queue (assert_field_equivalence clauses).
  const present = (was ?? now)!;
  if (key === 'x-queue-type' && present.type === 'S' && present.value.toString('utf8') === 'classic') return null;
  return { received: renderField(now), current: renderField(was) };
}

function firstDifference(kind: 'queue' | 'exchange', name: string, vhost: string, keys: readonly string[],
  current: FieldTable, requested: FieldTable): AmqpReply | null {
  for (const key of keys) {
    const diff = compareKey(current, requested, key);
    if (diff !== null) {
      return preconditionFailed(ReplyTexts.inequivalentArgRendered(key, kind, name, vhost, diff.received, diff.current));
    }
  }
  return null;
}

/**
 * A queue redeclared with other arguments: null when RabbitMQ 3.10.8 accepts it, else its 406, e.g.
 * "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'q1' in vhost '/': received
 * '1000' but current is '60000'", or "received none but current is the value '1000' of type
 * 'signedint'" when one side lacks the argument. Only the classic queue's arguments are compared
 * (rabbit_queue_type:arguments(queue_arguments, rabbit_classic_queue)), in that order; integers
 * compare by value whatever their tag. Broker: call on a non-passive queue.declare of an existing
 * queue, after the durable/auto-delete/exclusive checks (rabbit_amqqueue:assert_equivalence).
 */
export function checkArgumentsEquivalent(queueName: string, vhost: string, current: FieldTable,
  requested: FieldTable): AmqpReply | null {
  return firstDifference('queue', queueName, vhost, CLASSIC_QUEUE_ARGUMENTS, current, requested);
}

/**
 * An exchange redeclared with another alternate-exchange (rabbit_exchange:assert_args_equivalence,
 * the only argument it compares). Broker: call after the type/durable/auto-delete/internal checks.
 */
export function checkExchangeArgumentsEquivalent(exchange: string, vhost: string, current: FieldTable,
  requested: FieldTable): AmqpReply | null {
  return firstDifference('exchange', exchange, vhost, ['alternate-exchange'], current, requested);
}

export interface QueueFlags { durable: boolean; autoDelete: boolean }
export interface ExchangeFlags { type: string; durable: boolean; autoDelete: boolean; internal: boolean }

/**
 * rabbit_amqqueue:assert_equivalence's field checks, durable then auto_delete: "inequivalent arg
 * 'durable' for queue 'q' in vhost '/': received 'false' but current is 'true'". (Exclusivity is
 * checked before, as 405 RESOURCE_LOCKED, by the broker.) Then call checkArgumentsEquivalent.
 */
export function checkQueueFlagsEquivalent(queueName: string, vhost: string, current: QueueFlags,
  requested: QueueFlags): AmqpReply | null {
  const fields: [string, boolean, boolean][] = [
    ['durable', current.durable, requested.durable], ['auto_delete', current.autoDelete, requested.autoDelete],
  ];
  for (const [field, was, now] of fields) {
    if (was !== now) return preconditionFailed(ReplyTexts.inequivalentArgRendered(field, 'queue', queueName, vhost, `'${now}'`, `'${was}'`));
  }
  return null;
}

/**
 * rabbit_exchange:assert_equivalence: type, durable, auto_delete, internal, then alternate-exchange
 * (checkExchangeArgumentsEquivalent). "inequivalent arg 'type' for exchange 'amq.direct' in vhost
 * '/': received 'topic' but current is 'direct'".
 */
export function checkExchangeEquivalent(exchange: string, vhost: string, current: ExchangeFlags & { args: FieldTable },
  requested: ExchangeFlags & { args: FieldTable }): AmqpReply | null {
  const fields: [string, string | boolean, string | boolean][] = [
    ['type', current.type, requested.type], ['durable', current.durable, requested.durable],
    ['auto_delete', current.autoDelete, requested.autoDelete], ['internal', current.internal, requested.internal],
  ];
  for (const [field, was, now] of fields) {
    if (was !== now) return preconditionFailed(ReplyTexts.inequivalentArgRendered(field, 'exchange', exchange, vhost, `'${now}'`, `'${was}'`));
  }
  return checkExchangeArgumentsEquivalent(exchange, vhost, current.args, requested.args);
}

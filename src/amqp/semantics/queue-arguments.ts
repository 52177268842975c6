import { type FieldTable, type FieldValue, fieldInteger, fieldString, tableGet } from '../protocol/field-table.js';
import { ReplyTexts } from '../protocol/reply-codes.js';
import { atom, fieldTypeName, formatTerm, str, type Term, tuple } from './erlang-terms.js';
import { type AmqpReply, type Checked, ok, preconditionFailed } from './reply.js';

// queue.declare arguments as RabbitMQ 3.10.8 checks them (rabbit_amqqueue check_declare_arguments,
// declare_args/0 and the check_*_arg validators; rabbit_classic_queue capabilities/0 for which
// arguments a classic queue takes). Validation runs once per declare, not per message.

export type OverflowMode = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';
export const OVERFLOW_MODES: readonly OverflowMode[] = ['drop-head', 'reject-publish', 'reject-publish-dlx'];

/** What a classic queue's arguments ask for; undefined = not set (a policy may still set it). */
export interface QueueArgumentSettings {
  messageTtl?: number;
  expires?: number;
  maxLength?: number;
  maxLengthBytes?: number;
  overflow?: OverflowMode;
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
  maxPriority?: number;
  singleActiveConsumer: boolean;
  queueMode?: 'default' | 'lazy';
  queueVersion?: 1 | 2;
  /** Accepted and kept (shown by the management API); Junction has one node, so it changes nothing. */
  queueMasterLocator?: string;
}

/** rabbit_classic_queue capabilities() queue_arguments, in RabbitMQ's order (also the order of the equivalence check). */
export const CLASSIC_QUEUE_ARGUMENTS: readonly string[] = [
  'x-expires', 'x-message-ttl', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-max-length',
  'x-max-length-bytes', 'x-max-priority', 'x-overflow', 'x-queue-mode', 'x-queue-version',
  'x-single-active-consumer', 'x-queue-type', 'x-queue-master-locator',
];

/** Arguments only quorum queues or streams take (rabbit_quorum_queue / rabbit_stream_queue capabilities()):
 *  on a classic queue RabbitMQ refuses them (check_arguments_key). Any other x-… argument is ignored. */
export const OTHER_QUEUE_TYPE_ARGUMENTS: readonly string[] = [
  'x-dead-letter-strategy', 'x-max-in-memory-length', 'x-max-in-memory-bytes', 'x-quorum-initial-group-size',
  'x-delivery-limit', 'x-queue-leader-locator', 'x-max-age', 'x-stream-max-segment-size-bytes',
  'x-initial-cluster-size',
];

/** rabbit_misc:check_expiry: TTLs above ten years are refused. */
export const MAX_EXPIRY_MS = 315_360_000_000n;

type Validator = (v: FieldValue, args: FieldTable) => Term | undefined;

const INT_TAGS = new Set(['b', 'B', 's', 'u', 'I', 'i', 'l', 'L']);

/** check_int_arg: any integer tag, never float or decimal. */
const checkInt: Validator = (v) => (INT_TAGS.has(v.type) ? undefined : str(`expected integer, got ${fieldTypeName(v)}`));

const checkNonNegInt: Validator = (v, args) => {
  const typeError = checkInt(v, args);
  if (typeError !== undefined) return typeError;
  const n = fieldInteger(v)!;
  return n >= 0n ? undefined : tuple(atom('value_negative'), n);
};

/** rabbit_misc:check_expiry */
function checkExpiry(n: bigint): Term | undefined {
  if (n < 0n) return tuple(atom('value_negative'), n);
  if (n > MAX_EXPIRY_MS) return tuple(atom('value_too_large'), n);
  return undefined;
}

const checkMessageTtl: Validator = (v, args) => checkInt(v, args) ?? checkExpiry(fieldInteger(v)!);

const checkExpires: Validator = (v, args) => {
  const typeError = checkInt(v, args);
  if (typeError !== undefined) return typeError;
  const n = fieldInteger(v)!;
  return n === 0n ? tuple(atom('value_zero'), n) : checkExpiry(n);
};

const checkMaxPriority: Validator = (v, args) => {
  const error = checkNonNegInt(v, args);
  if (error !== undefined) return error;
  const n = fieldInteger(v)!;
  return n <= 255n ? undefined : tuple(atom('max_value_exceeded'), n);
};

const unacceptableType = (v: FieldValue) => tuple(atom('unacceptable_type'), atom(fieldTypeName(v)));

/** A longstr from a set; anything else is the validator's own error term. */
function oneOf(values: readonly string[], invalid: (value: string) => Term): Validator {
  return (v) => {
    if (v.type !== 'S') return unacceptableType(v);
    const text = v.value.toString('utf8');
    return values.includes(text) ? undefined : invalid(text);
  };
}

const checkQueueVersion: Validator = (v, args) => {
  const error = checkNonNegInt(v, args);
  if (error !== undefined) return error;
  const n = fieldInteger(v)!;
  return n === 1n || n === 2n ? undefined : str(`unsupported queue version '${n}'`);
};

const VALIDATORS: readonly (readonly [string, Validator])[] = [
  ['x-expires', checkExpires],
  ['x-message-ttl', checkMessageTtl],
  ['x-dead-letter-exchange', (v) => (v.type === 'S' ? undefined : unacceptableType(v))],
  ['x-dead-letter-routing-key', (v, args) => {
    if (v.type !== 'S') return unacceptableType(v);
    return tableGet(args, 'x-dead-letter-exchange') === undefined ? atom('routing_key_but_no_dlx_defined') : undefined;
  }],
  ['x-max-length', checkNonNegInt],
  ['x-max-length-bytes', checkNonNegInt],
  ['x-max-priority', checkMaxPriority],
  ['x-overflow', oneOf(OVERFLOW_MODES, () => atom('invalid_overflow'))],
  ['x-queue-mode', oneOf(['default', 'lazy'], (m) => str(`unsupported queue mode '${m}'`))],
  ['x-queue-version', checkQueueVersion],
  ['x-single-active-consumer', (v) => (v.type === 't' ? undefined : unacceptableType(v))],
];

const checkQueueType = oneOf(['classic', 'quorum', 'stream'], (t) => str(`unsupported queue type '${t}'`));

/**
 * Validates queue.declare arguments as RabbitMQ 3.10.8 does for a classic queue and returns what
 * they set. First rabbit_channel's own check that x-dead-letter-exchange is a longstr ("invalid
 * type 'signedint' for arg 'x-dead-letter-exchange' in queue 'q' in vhost '/'"), then
 * rabbit_amqqueue:check_declare_arguments: x-queue-type first, then each
 * validator of declare_args/0 in its order, then arguments that belong to other queue types.
 * Errors are 406 PRECONDITION_FAILED "invalid arg 'x-max-length' for queue 'q' in vhost '/':
 * {value_negative,-1}" (the reason printed as Erlang's ~p). x-queue-type quorum or stream: Junction
 * has no Raft log, so it answers RabbitMQ's own text for a queue type it does not know
 * ("unsupported queue type 'quorum'") rather than silently declaring a classic queue.
 * Unknown x-… arguments are ignored, as RabbitMQ ignores them (they are kept and compared by no one).
 * Broker: call on every non-passive queue.declare before creating the queue.
 */
export function validateQueueArguments(queue: string, vhost: string, args: FieldTable): Checked<QueueArgumentSettings> {
  const invalid = (key: string, reason: Term) =>
    ({ ok: false as const, error: preconditionFailed(ReplyTexts.invalidQueueArg(key, queue, vhost, formatTerm(reason))) });
  const dlx = tableGet(args, 'x-dead-letter-exchange');
  if (dlx !== undefined && dlx.type !== 'S') {
    return { ok: false, error: preconditionFailed(ReplyTexts.invalidArgType(fieldTypeName(dlx), 'x-dead-letter-exchange', 'queue', queue, vhost)) };
  }
  const queueType = tableGet(args, 'x-queue-type');
  if (queueType !== undefined) {
    const error = checkQueueType(queueType, args);
    if (error !== undefined) return invalid('x-queue-type', error);
    const name = queueType.type === 'S' ? queueType.value.toString('utf8') : 'classic';
    if (name !== 'classic') return invalid('x-queue-type', str(`unsupported queue type '${name}'`));
  }
  for (const [key, validate] of VALIDATORS) {
    const value = tableGet(args, key);
    if (value === undefined) continue;
    const error = validate(value, args);
    if (error !== undefined) return invalid(key, error);
  }
  for (const [key] of args) {
    if (OTHER_QUEUE_TYPE_ARGUMENTS.includes(key)) {
      return { ok: false, error: preconditionFailed(ReplyTexts.invalidQueueArgForType(key, queue, vhost, 'rabbit_classic_queue')) };
    }
  }
  return ok(readSettings(args));
}

const intArg = (args: FieldTable, key: string) => {
  const n = fieldInteger(tableGet(args, key));
  return n === undefined ? undefined : Number(n);
};

/** The settings of arguments that validateQueueArguments accepted. */
function readSettings(args: FieldTable): QueueArgumentSettings {
  const sac = tableGet(args, 'x-single-active-consumer');
  const version = intArg(args, 'x-queue-version');
  return {
    messageTtl: intArg(args, 'x-message-ttl'),
    expires: intArg(args, 'x-expires'),
    maxLength: intArg(args, 'x-max-length'),
    maxLengthBytes: intArg(args, 'x-max-length-bytes'),
    overflow: fieldString(tableGet(args, 'x-overflow')) as OverflowMode | undefined,
    deadLetterExchange: fieldString(tableGet(args, 'x-dead-letter-exchange')),
    deadLetterRoutingKey: fieldString(tableGet(args, 'x-dead-letter-routing-key')),
    maxPriority: intArg(args, 'x-max-priority'),
    singleActiveConsumer: sac?.type === 't' && sac.value,
    queueMode: fieldString(tableGet(args, 'x-queue-mode')) as 'default' | 'lazy' | undefined,
    queueVersion: version === 1 || version === 2 ? version : undefined,
    queueMasterLocator: fieldString(tableGet(args, 'x-queue-master-locator')),
  };
}

/**
 * exchange.declare arguments (rabbit_channel handle_method exchange.declare): alternate-exchange must
 * be a longstr, else 406 "invalid type 'signedint' for arg 'alternate-exchange' in exchange 'x' in
 * vhost '/'". Checked only when the exchange is created (a redeclare goes to the equivalence check).
 * Other arguments are ignored. Broker: call on exchange.declare of a new exchange.
 */
export function validateExchangeArguments(exchange: string, vhost: string, args: FieldTable): AmqpReply | null {
  const ae = tableGet(args, 'alternate-exchange');
  if (ae === undefined || ae.type === 'S') return null;
  return preconditionFailed(ReplyTexts.invalidArgType(fieldTypeName(ae), 'alternate-exchange', 'exchange', exchange, vhost));
}

/** The alternate exchange an exchange's arguments name (the argument wins over a policy, rabbit_policy:get_arg). */
export function alternateExchangeArgument(args: FieldTable): string | undefined {
  return fieldString(tableGet(args, 'alternate-exchange'));
}

// Reply codes of AMQP 0-9-1 from rabbitmq-codegen amqp-rabbitmq-0.9.1.json "constants" (the spec's
// soft-error = channel is closed, hard-error = connection is closed), plus the exact reply texts
// RabbitMQ 3.10.8 sent where we captured them (shared/research/amqp-samples, "AMQP errors observed").

export type ReplyScope = 'success' | 'channel' | 'connection';

export interface ReplyCode { readonly code: number; readonly name: string; readonly scope: ReplyScope }

const rows: readonly ReplyCode[] = [
  { code: 200, name: 'REPLY_SUCCESS', scope: 'success' },
  { code: 311, name: 'CONTENT_TOO_LARGE', scope: 'channel' },
  { code: 312, name: 'NO_ROUTE', scope: 'channel' },
  { code: 313, name: 'NO_CONSUMERS', scope: 'channel' },
  { code: 320, name: 'CONNECTION_FORCED', scope: 'connection' },
  { code: 402, name: 'INVALID_PATH', scope: 'connection' },
  { code: 403, name: 'ACCESS_REFUSED', scope: 'channel' },
  { code: 404, name: 'NOT_FOUND', scope: 'channel' },
  { code: 405, name: 'RESOURCE_LOCKED', scope: 'channel' },
  { code: 406, name: 'PRECONDITION_FAILED', scope: 'channel' },
  { code: 501, name: 'FRAME_ERROR', scope: 'connection' },
  { code: 502, name: 'SYNTAX_ERROR', scope: 'connection' },
  { code: 503, name: 'COMMAND_INVALID', scope: 'connection' },
  { code: 504, name: 'CHANNEL_ERROR', scope: 'connection' },
  { code: 505, name: 'UNEXPECTED_FRAME', scope: 'connection' },
  { code: 506, name: 'RESOURCE_ERROR', scope: 'connection' },
  { code: 530, name: 'NOT_ALLOWED', scope: 'connection' },
  { code: 540, name: 'NOT_IMPLEMENTED', scope: 'connection' },
  { code: 541, name: 'INTERNAL_ERROR', scope: 'connection' },
];

export const REPLY_CODES: ReadonlyMap<number, ReplyCode> = new Map(rows.map((r) => [r.code, r]));

export const ReplyCodes = {
  SUCCESS: 200, CONTENT_TOO_LARGE: 311, NO_ROUTE: 312, NO_CONSUMERS: 313, CONNECTION_FORCED: 320,
  INVALID_PATH: 402, ACCESS_REFUSED: 403, NOT_FOUND: 404, RESOURCE_LOCKED: 405, PRECONDITION_FAILED: 406,
  FRAME_ERROR: 501, SYNTAX_ERROR: 502, COMMAND_INVALID: 503, CHANNEL_ERROR: 504, UNEXPECTED_FRAME: 505,
  RESOURCE_ERROR: 506, NOT_ALLOWED: 530, NOT_IMPLEMENTED: 540, INTERNAL_ERROR: 541,
  /** rabbit_exchange_type_headers validate_binding, values printed as Erlang terms (<<"foo">>, 5). */
  invalidXMatchValue: (value: string) =>
    replyText(406, `Invalid x-match field value ${value}; expected all, any, all-with-x, or any-with-x`),
  invalidXMatchType: (type: string, value: string) => replyText(406, `Invalid x-match field type ${type} (value ${value}); expected longstr`),
} as const;

export function replyCodeName(code: number): string {
  return REPLY_CODES.get(code)?.name ?? 'INTERNAL_ERROR';
}

/** A hard error closes the connection, a soft one only the channel (spec "class" of each constant). */
export function isHardError(code: number): boolean {
  return REPLY_CODES.get(code)?.scope !== 'channel';
}

/** Max reply-text length: a shortstr. RabbitMQ cuts longer texts to 252 bytes + "..." (amqp_exception_explanation). */
const MAX_REPLY_TEXT = 255;

/** "NAME - detail", at most 255 UTF-8 bytes, as RabbitMQ formats every close reason. */
export function replyText(code: number, detail: string): string {
  const text = `${replyCodeName(code)} - ${detail}`;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= MAX_REPLY_TEXT) return text;
  return bytes.subarray(0, MAX_REPLY_TEXT - 3).toString('utf8').replace(/\uFFFD$/, '') + '...';
}

const vhostPart = (vhost: string) => `in vhost '${vhost}'`;

/** Exact detail texts captured from RabbitMQ 3.10.8 with pika 1.2.0 ([LIVE] in amqp.md). */
export const ReplyTexts = {
  noQueue: (queue: string, vhost: string) => replyText(404, `no queue '${queue}' ${vhostPart(vhost)}`),
  noExchange: (exchange: string, vhost: string) => replyText(404, `no exchange '${exchange}' ${vhostPart(vhost)}`),
  unknownDeliveryTag: (tag: bigint | number) => replyText(406, `unknown delivery tag ${tag}`),
  reservedExchangePrefix: (exchange: string) =>
    replyText(403, `exchange name '${exchange}' contains reserved prefix 'amq.*'`),
  inequivalentArg: (arg: string, kind: string, name: string, vhost: string, received: string, current: string) =>
    replyText(406, `inequivalent arg '${arg}' for ${kind} '${name}' ${vhostPart(vhost)}: received '${received}' but current is '${current}'`),
  prefetchSizeNotImplemented: (size: number) => replyText(540, `prefetch_size!=0 (${size})`),
  exclusiveLocked: (queue: string, vhost: string) => replyText(405,
    `cannot obtain exclusive access to locked queue '${queue}' ${vhostPart(vhost)}. It could be originally declared ` +
    'on another connection or the exclusive property value does not match that of the original declaration.'),
  unknownExchangeType: (type: string) => replyText(503, `unknown exchange type '${type}'`),
  noFastReplyConsumer: () => replyText(406, 'fast reply consumer does not exist'),
  /** rabbit_channel check_expiration_header: "invalid expiration '~s': ~p" (reason as Erlang prints it). */
  invalidExpiration: (value: string, reason = 'no_integer') => replyText(406, `invalid expiration '${value}': ${reason}`),
  txToConfirm: () => replyText(406, 'cannot switch from tx to confirm mode'),
  queueNotEmpty: (queue: string, vhost: string) => replyText(406, `queue '${queue}' ${vhostPart(vhost)} not empty`),
  systemExchangeDelete: (exchange: string, vhost: string) =>
    replyText(403, `deletion of system exchange '${exchange}' ${vhostPart(vhost)} not allowed`),
  vhostNotFound: (vhost: string) => replyText(530, `vhost ${vhost} not found`),
  /** rabbit_reader / rabbit_access_control:check_vhost_access. */
  vhostAccessRefused: (vhost: string, user: string) => replyText(530, `access to vhost '${vhost}' refused for user '${user}'`),
  /** rabbit_access_control:check_resource_access ("access to ~s refused for user '~s'", rabbit_misc:rs). */
  resourceAccessRefused: (kind: string, name: string, vhost: string, user: string) =>
    replyText(403, `access to ${kind} '${name}' ${vhostPart(vhost)} refused for user '${user}'`),
  loginRefused: (mechanism: string) => replyText(403,
    `Login was refused using authentication mechanism ${mechanism}. For details see the broker logfile.`),
  invalidQueueArg: (arg: string, queue: string, vhost: string, reason: string) =>
    replyText(406, `invalid arg '${arg}' for queue '${queue}' ${vhostPart(vhost)}: ${reason}`),
  /** rabbit_amqqueue check_arguments_key: an argument only another queue type takes. */
  invalidQueueArgForType: (arg: string, queue: string, vhost: string, typeModule: string) =>
    replyText(406, `invalid arg '${arg}' for queue '${queue}' ${vhostPart(vhost)} of queue type ${typeModule}`),
  /** rabbit_misc equivalence_fail with received/current already rendered as its val/1 does:
   *  'v' when both sides have the argument, none / the value 'v' of type 't' when one lacks it. */
  inequivalentArgRendered: (arg: string, kind: string, name: string, vhost: string, received: string, current: string) =>
    replyText(406, `inequivalent arg '${arg}' for ${kind} '${name}' ${vhostPart(vhost)}: received ${received} but current is ${current}`),
  /** rabbit_channel exchange.declare / queue.declare: alternate-exchange or x-dead-letter-exchange
   *  given as anything but a longstr (rabbit_misc:r_arg). */
  invalidArgType: (type: string, arg: string, kind: 'exchange' | 'queue', name: string, vhost: string) =>
    replyText(406, `invalid type '${type}' for arg '${arg}' in ${kind} '${name}' ${vhostPart(vhost)}`),
  /** rabbit_exchange_type_headers validate_binding, values printed as Erlang terms (<<"foo">>, 5). */
  invalidXMatchValue: (value: string) =>
    replyText(406, `Invalid x-match field value ${value}; expected all, any, all-with-x, or any-with-x`),
  invalidXMatchType: (type: string, value: string) => replyText(406, `Invalid x-match field type ${type} (value ${value}); expected longstr`),
} as const;

import { generatedName } from '../broker/broker.js';
import { assertExchangeArguments, assertExchangeEquivalent, assertQueueEquivalent, queueSettings } from '../broker/arguments.js';
import { EXCHANGE_TYPES, bindingId, type ExchangeType } from '../broker/exchange.js';
import type { AmqpQueue } from '../broker/queue.js';
import { AmqpError } from '../connection/errors.js';
import type { FieldTable } from '../protocol/field-table.js';
import type { MethodArgs } from '../protocol/methods.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';
import { validateHeadersBinding } from '../semantics/routing.js';
import type { Channel, MethodHandler } from './channel.js';
import { checkAccess } from './access.js';
import { checkExclusive, findQueue, queueName } from './lookup.js';

/**
 * exchange.* and queue.* (rabbit_channel handle_method clauses): every check RabbitMQ makes, with
 * its reply texts, then one command through Definitions.
 */

const table = (v: unknown): FieldTable => v as FieldTable;
/** RabbitMQ strips CR and LF from names (rabbit_channel strip_cr_lf). */
const stripCrLf = (name: string): string => name.replace(/[\r\n]/g, '');

function notDefault(name: string): void {
  if (name === '') throw AmqpError.of(ReplyCodes.ACCESS_REFUSED, 'operation not permitted on the default exchange');
}

function reservedName(kind: 'exchange' | 'queue', name: string): void {
  if (!name.startsWith('amq.')) return;
  if (kind === 'exchange') throw AmqpError.text(ReplyCodes.ACCESS_REFUSED, ReplyTexts.reservedExchangePrefix(name));
  throw AmqpError.of(ReplyCodes.ACCESS_REFUSED, `queue name '${name}' contains reserved prefix 'amq.*'`);
}

function exchangeDeclare(ch: Channel, args: MethodArgs): void {
  const name = stripCrLf(args.exchange as string);
  const vhost = ch.vhost;
  if (args.passive === true) {
    if (name !== '' && !vhost.exchanges.has(name)) throw AmqpError.text(ReplyCodes.NOT_FOUND, ReplyTexts.noExchange(name, vhost.name));
    ch.reply(args, 'exchange.declare-ok');
    return;
  }
  const type = args.type as string;
  // Unknown type is a connection error (503) in RabbitMQ (rabbit_exchange check_type).
  if (!EXCHANGE_TYPES.includes(type)) throw AmqpError.text(ReplyCodes.COMMAND_INVALID, ReplyTexts.unknownExchangeType(type));
  notDefault(name);
  checkAccess(ch, 'configure', 'exchange', name);
  const wanted = { type, durable: args.durable === true, auto_delete: args.autoDelete === true, internal: args.internal === true };
  const existing = vhost.exchanges.get(name);
  if (!existing) {
    reservedName('exchange', name);
    assertExchangeArguments(name, vhost.name, table(args.arguments));
    ch.broker.definitions.apply({
      type: 'exchange.declare', vhost: vhost.name, name, exchangeType: type as ExchangeType, durable: wanted.durable,
      autoDelete: wanted.auto_delete, internal: wanted.internal, arguments: table(args.arguments),
    });
  } else {
    const d = existing.def;
    assertExchangeEquivalent(name, vhost.name,
      { type: d.type, durable: d.durable, autoDelete: d.autoDelete, internal: d.internal, args: d.arguments },
      { type, durable: wanted.durable, autoDelete: wanted.auto_delete, internal: wanted.internal, args: table(args.arguments) });
  }
  ch.reply(args, 'exchange.declare-ok');
}

function exchangeDelete(ch: Channel, args: MethodArgs): void {
  const name = stripCrLf(args.exchange as string);
  notDefault(name);
  if (name.startsWith('amq.')) throw AmqpError.text(ReplyCodes.ACCESS_REFUSED, ReplyTexts.systemExchangeDelete(name, ch.vhost.name));
  checkAccess(ch, 'configure', 'exchange', name);
  const ex = ch.vhost.exchanges.get(name);
  // RabbitMQ 3.x answers delete-ok for a missing exchange (idempotent delete).
  if (ex) {
    if (args.ifUnused === true && ex.bindings.size > 0) {
      throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, `exchange '${name}' in vhost '${ch.vhost.name}' in use`);
    }
    ch.broker.definitions.apply({ type: 'exchange.delete', vhost: ch.vhost.name, name });
  }
  ch.reply(args, 'exchange.delete-ok');
}

function existingExchange(ch: Channel, name: string): void {
  if (!ch.vhost.exchanges.has(name)) throw AmqpError.text(ReplyCodes.NOT_FOUND, ReplyTexts.noExchange(name, ch.vhost.name));
}

/** exchange.bind/unbind and queue.bind/unbind: one path, the destination kind apart. */
function binding(ch: Channel, args: MethodArgs, kind: 'queue' | 'exchange', add: boolean): void {
  const source = stripCrLf((kind === 'queue' ? args.exchange : args.source) as string);
  let destination: string;
  if (kind === 'queue') {
    destination = queueName(ch, stripCrLf(args.queue as string));
  } else {
    destination = stripCrLf(args.destination as string);
  }
  // rabbit_channel binding_action: write on the destination, read on the source, before lookups.
  checkAccess(ch, 'write', kind, destination);
  checkAccess(ch, 'read', 'exchange', source);
  if (kind === 'exchange') notDefault(destination);
  notDefault(source);
  if (kind === 'queue') findQueue(ch, destination); else existingExchange(ch, destination);
  existingExchange(ch, source);
  // rabbit_exchange_type_headers:validate_binding (on bind only: an unbind finds no binding).
  if (add && ch.vhost.exchanges.get(source)!.type === 'headers') {
    const invalid = validateHeadersBinding(table(args.arguments));
    if (invalid !== null) throw AmqpError.text(invalid.code, invalid.text);
  }
  const cmd = {
    vhost: ch.vhost.name, source, destinationKind: kind, destination, routingKey: args.routingKey as string, arguments: table(args.arguments),
  };
  const exists = ch.vhost.exchanges.get(source)!.bindings.has(bindingId(kind, destination, cmd.routingKey, cmd.arguments));
  if (add && !exists) ch.broker.definitions.apply({ type: 'binding.add', ...cmd });
  if (!add && exists) ch.broker.definitions.apply({ type: 'binding.remove', ...cmd });
  const okName = `${kind}.${add ? 'bind' : 'unbind'}-ok`;
  if (kind === 'queue' && !add) ch.send(okName); else ch.reply(args, okName);
}

function queueDeclare(ch: Channel, args: MethodArgs): void {
  const vhost = ch.vhost;
  ch.broker.stats.queueDeclared++;
  let name = stripCrLf(args.queue as string);
  const exclusive = args.exclusive === true;
  if (args.passive === true) {
    const q = findQueue(ch, name);
    declareOk(ch, args, q);
    return;
  }
  const existing = name === '' ? undefined : vhost.queues.get(name);
  if (existing) {
    checkAccess(ch, 'configure', 'queue', name);
    checkExclusive(ch, existing);
    if (exclusive && existing.def.exclusiveOwner === null) {
      throw AmqpError.text(ReplyCodes.RESOURCE_LOCKED, ReplyTexts.exclusiveLocked(name, vhost.name));
    }
    const d = existing.def;
    assertQueueEquivalent(name, vhost.name, { durable: d.durable, autoDelete: d.autoDelete, args: d.arguments },
      { durable: args.durable === true, autoDelete: args.autoDelete === true, args: table(args.arguments) });
    declareOk(ch, args, existing);
    return;
  }
  if (name === '') name = generatedName('amq.gen-');
  else reservedName('queue', name);
  checkAccess(ch, 'configure', 'queue', name);
  queueSettings(name, vhost.name, args.durable === true, exclusive, table(args.arguments));
  ch.broker.definitions.apply({
    type: 'queue.declare', vhost: vhost.name, name, durable: args.durable === true, autoDelete: args.autoDelete === true,
    arguments: table(args.arguments),
  }, exclusive ? { exclusiveOwner: ch.conn.id } : {});
  ch.broker.stats.queueCreated++;
  declareOk(ch, args, vhost.queues.get(name)!);
}

function declareOk(ch: Channel, args: MethodArgs, q: AmqpQueue): void {
  ch.lastQueue = q.name;
  // A declare (passive too) counts as use: x-expires starts again.
  q.touch();
  ch.reply(args, 'queue.declare-ok', { queue: q.name, messageCount: q.messageCount, consumerCount: q.consumers.length });
}

function queuePurge(ch: Channel, args: MethodArgs): void {
  checkAccess(ch, 'read', 'queue', queueName(ch, args.queue as string));
  const q = findQueue(ch, args.queue as string);
  ch.reply(args, 'queue.purge-ok', { messageCount: q.purge() });
}

function queueDelete(ch: Channel, args: MethodArgs): void {
  const name = queueName(ch, stripCrLf(args.queue as string));
  checkAccess(ch, 'configure', 'queue', name);
  const q = ch.vhost.queues.get(name);
  if (!q) {
    // RabbitMQ 3.x: deleting a missing queue is not an error.
    ch.reply(args, 'queue.delete-ok', { messageCount: 0 });
    return;
  }
  checkExclusive(ch, q);
  if (args.ifUnused === true && q.consumers.length > 0) {
    throw AmqpError.of(ReplyCodes.PRECONDITION_FAILED, `queue '${name}' in vhost '${ch.vhost.name}' in use`);
  }
  if (args.ifEmpty === true && q.messageCount > 0) throw AmqpError.text(ReplyCodes.PRECONDITION_FAILED, ReplyTexts.queueNotEmpty(name, ch.vhost.name));
  const count = q.messageCount;
  ch.broker.definitions.apply({ type: 'queue.delete', vhost: ch.vhost.name, name });
  ch.reply(args, 'queue.delete-ok', { messageCount: count });
}

export const DEFINITION_METHODS: Record<string, MethodHandler> = {
  'exchange.declare': (ch, args) => exchangeDeclare(ch, args),
  'exchange.delete': (ch, args) => exchangeDelete(ch, args),
  'exchange.bind': (ch, args) => binding(ch, args, 'exchange', true),
  'exchange.unbind': (ch, args) => binding(ch, args, 'exchange', false),
  'queue.declare': (ch, args) => queueDeclare(ch, args),
  'queue.bind': (ch, args) => binding(ch, args, 'queue', true),
  'queue.unbind': (ch, args) => binding(ch, args, 'queue', false),
  'queue.purge': (ch, args) => queuePurge(ch, args),
  'queue.delete': (ch, args) => queueDelete(ch, args),
  // access.request: RabbitMQ still answers it (ticket 1) for old clients.
  'access.request': (ch) => ch.send('access.request-ok', { ticket: 1 }),
};

import { hostname } from 'node:os';
import { type FieldTable, type FieldValue, fieldString, readTableBody, tableGet } from '../protocol/field-table.js';
import { encodeMethodFrame } from '../protocol/frames.js';
import type { MethodArgs } from '../protocol/methods.js';
import { AmqpReader } from '../protocol/reader.js';
import { ReplyCodes, ReplyTexts } from '../protocol/reply-codes.js';
import { AmqpError } from './errors.js';

/**
 * The opening exchange of a connection (rabbit_reader: start → start-ok → tune → tune-ok →
 * open), as pure functions the connection drives: what the server sends, and what it makes of
 * each client answer (or the AmqpError it closes with).
 */

const longstr = (s: string): FieldValue => ({ type: 'S', value: Buffer.from(s, 'utf8') });
const yes: FieldValue = { type: 't', value: true };

/** rabbit_reader server_capabilities/1, 3.10.8 (research amqp.md §3, captured live). */
export const SERVER_CAPABILITIES = [
  'publisher_confirms', 'exchange_exchange_bindings', 'basic.nack', 'consumer_cancel_notify', 'connection.blocked',
  'consumer_priorities', 'authentication_failure_close', 'per_consumer_qos', 'direct_reply_to',
] as const;

/** connection.start's server-properties exactly as RabbitMQ 3.10.8 sends them (cluster_name = node name). */
export function serverProperties(): FieldTable {
  return [
    ['capabilities', { type: 'F', value: SERVER_CAPABILITIES.map((c) => [c, yes] as const) }],
    ['cluster_name', longstr(`rabbit@${hostname()}`)],
    ['copyright', longstr('Copyright (c) 2007-2022 VMware, Inc. or its affiliates.')],
    ['information', longstr('Licensed under the MPL 2.0. Website: https://rabbitmq.com')],
    ['platform', longstr('Erlang/OTP 25.2.3')],
    ['product', longstr('RabbitMQ')],
    ['version', longstr('3.10.8')],
  ];
}

/** RabbitMQ 3.x offers PLAIN and AMQPLAIN (auth_mechanisms default). */
export const MECHANISMS = ['PLAIN', 'AMQPLAIN'] as const;

export function startFrame(): Buffer {
  return encodeMethodFrame(0, 'connection.start', {
    versionMajor: 0, versionMinor: 9, serverProperties: serverProperties(),
    mechanisms: Buffer.from(MECHANISMS.join(' ')), locales: Buffer.from('en_US'),
  });
}

export interface StartOk {
  readonly mechanism: string;
  readonly username: string;
  readonly password: string;
  readonly clientProperties: FieldTable;
  /** Client capabilities set to true (connection.blocked, consumer_cancel_notify, …). */
  readonly capabilities: ReadonlySet<string>;
}

/** Reads start-ok: unknown mechanism → 503, malformed response → 502 (rabbit_auth_mechanism_*). */
export function parseStartOk(args: MethodArgs): StartOk {
  const mechanism = args.mechanism as string;
  const response = args.response as Buffer;
  const clientProperties = args.clientProperties as FieldTable;
  let credentials: { username: string; password: string };
  if (mechanism === 'PLAIN') credentials = parsePlain(response);
  else if (mechanism === 'AMQPLAIN') credentials = parseAmqplain(response);
  else throw AmqpError.of(ReplyCodes.COMMAND_INVALID, `unknown authentication mechanism '${mechanism}'`);
  return { mechanism, ...credentials, clientProperties, capabilities: clientCapabilities(clientProperties) };
}

/** PLAIN: authzid NUL user NUL password (RFC 4616; rabbit_auth_mechanism_plain). */
function parsePlain(response: Buffer): { username: string; password: string } {
  const parts = response.toString('utf8').split('\u0000');
  if (parts.length !== 3) throw AmqpError.of(ReplyCodes.SYNTAX_ERROR, 'response PLAIN invalid');
  return { username: parts[1]!, password: parts[2]! };
}

/** AMQPLAIN: a field table without its length prefix holding LOGIN and PASSWORD. */
function parseAmqplain(response: Buffer): { username: string; password: string } {
  let table: FieldTable;
  try { table = readTableBody(new AmqpReader(response)); } catch {
    throw AmqpError.of(ReplyCodes.SYNTAX_ERROR, 'response AMQPLAIN invalid');
  }
  const username = fieldString(tableGet(table, 'LOGIN'));
  const password = fieldString(tableGet(table, 'PASSWORD'));
  if (username === undefined || password === undefined) throw AmqpError.of(ReplyCodes.SYNTAX_ERROR, 'response AMQPLAIN invalid');
  return { username, password };
}

function clientCapabilities(props: FieldTable): Set<string> {
  const caps = tableGet(props, 'capabilities');
  const out = new Set<string>();
  if (caps?.type === 'F') for (const [name, v] of caps.value) if (v.type === 't' && v.value) out.add(name);
  return out;
}

/** The credentials were refused: 403 with RabbitMQ's text (auth_fail). */
export function loginRefused(mechanism: string): AmqpError {
  return AmqpError.text(ReplyCodes.ACCESS_REFUSED, ReplyTexts.loginRefused(mechanism));
}

export interface TuneLimits { readonly channelMax: number; readonly frameMax: number; readonly heartbeat: number }

export function tuneFrame(limits: TuneLimits): Buffer {
  return encodeMethodFrame(0, 'connection.tune', limits as unknown as MethodArgs);
}

/**
 * The client's tune-ok, checked as rabbit_reader validate_negotiated_integer_value: a value
 * below the minimum, above the server's, or 0 ("no limit") where the server has a limit →
 * 530 NOT_ALLOWED. The client's heartbeat is adopted as it is (0 = off).
 */
export function negotiate(args: MethodArgs, server: TuneLimits): TuneLimits {
  const channelMax = args.channelMax as number;
  const frameMax = args.frameMax as number;
  check('channel_max', 0, channelMax, server.channelMax);
  check('frame_max', 4096, frameMax, server.frameMax);
  return { channelMax: channelMax === 0 ? server.channelMax : channelMax, frameMax: frameMax === 0 ? server.frameMax : frameMax,
    heartbeat: args.heartbeat as number };
}

function check(field: string, min: number, client: number, server: number): void {
  const detail = client === 0 ? ' (no limit)' : '';
  if (client !== 0 && client < min) {
    throw AmqpError.of(ReplyCodes.NOT_ALLOWED, `negotiated ${field} = ${client}${detail} is lower than the minimum allowed value (${min})`);
  }
  if (server !== 0 && (client === 0 || client > server)) {
    throw AmqpError.of(ReplyCodes.NOT_ALLOWED, `negotiated ${field} = ${client}${detail} is higher than the maximum allowed value (${server})`);
  }
}

/** connection.open of an unknown vhost → 530 "vhost X not found" (captured live). */
export function checkVhost(args: MethodArgs, vhostExists: (name: string) => boolean): string {
  const vhost = args.virtualHost as string;
  if (!vhostExists(vhost)) throw AmqpError.text(ReplyCodes.NOT_ALLOWED, ReplyTexts.vhostNotFound(vhost));
  return vhost;
}

export function openOkFrame(): Buffer { return encodeMethodFrame(0, 'connection.open-ok', {}); }

import { atom, formatTerm, jsonTerm, type Term, tuple } from './erlang-terms.js';
import type { OverflowMode, QueueArgumentSettings } from './queue-arguments.js';

// Policies as RabbitMQ 3.10.8 applies them: rabbit_policy (matching, priority, validation of a
// policy's body), rabbit_policies (the definition keys and their checks), rabbit_amqqueue_process
// process_args_policy (how a classic queue merges its arguments with its policy).

export type PolicyApplyTo = 'queues' | 'exchanges' | 'all';

export interface Policy {
  readonly name: string;
  /** A regular expression matched against the queue or exchange name (re:run, unanchored). */
  readonly pattern: string;
  readonly applyTo: PolicyApplyTo;
  readonly priority: number;
  /** The definition as the management API's JSON gives it, e.g. {"message-ttl": 60000}. */
  readonly definition: Readonly<Record<string, unknown>>;
}

type PolicyCheck = (value: unknown) => boolean;
const isInt = (min: number): PolicyCheck => (v) => typeof v === 'number' && Number.isInteger(v) && v >= min;
const isString: PolicyCheck = (v) => typeof v === 'string';
const oneOf = (...values: string[]): PolicyCheck => (v) => typeof v === 'string' && values.includes(v);

/** rabbit_policies:validate_policy0 for the keys Junction acts on, with RabbitMQ's messages. */
const POLICY_KEYS: Readonly<Record<string, readonly [PolicyCheck, string]>> = {
  'alternate-exchange': [isString, 'is not a valid alternate exchange name'],
  'dead-letter-exchange': [isString, 'is not a valid dead letter exchange name'],
  'dead-letter-routing-key': [isString, 'is not a valid dead letter routing key'],
  'message-ttl': [isInt(0), 'is not a valid message TTL'],
  'expires': [isInt(1), 'is not a valid queue expiry'],
  'max-length': [isInt(0), 'is not a valid maximum length'],
  'max-length-bytes': [isInt(0), 'is not a valid maximum length in bytes'],
  'overflow': [oneOf('drop-head', 'reject-publish', 'reject-publish-dlx'), 'is not a valid overflow value'],
  'queue-mode': [oneOf('default', 'lazy'), 'is not a valid queue-mode value'],
  'queue-version': [(v) => v === 1 || v === 2, 'is not a valid queue-version value'],
};

/**
 * Keys RabbitMQ accepts that make no difference on one node without quorum queues or streams:
 * mirroring (rabbit_mirror_queue_misc), master location, and the quorum/stream keys of
 * rabbit_policies. Junction accepts them unchecked; a policy holding a quorum/stream-only key does
 * not apply to classic queues (rabbit_queue_type:is_policy_applicable).
 */
const ACCEPTED_UNUSED_KEYS = new Set([
  'ha-mode', 'ha-params', 'ha-sync-mode', 'ha-sync-batch-size', 'ha-promote-on-shutdown', 'ha-promote-on-failure',
  'queue-master-locator', 'max-in-memory-length', 'max-in-memory-bytes',
]);

/** rabbit_classic_queue capabilities() unsupported_policies. */
const CLASSIC_UNSUPPORTED = new Set([
  'max-age', 'stream-max-segment-size-bytes', 'queue-leader-locator', 'initial-cluster-size', 'delivery-limit',
  'dead-letter-strategy',
]);

const validationFailed = (errors: string[]) => `Validation failed\n\n${errors.map((e) => `${e}\n`).join('')}`;

function definitionErrors(definition: unknown): string[] {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return [`definition must be a dictionary: ${formatTerm(jsonTerm(definition))}`];
  }
  const entries = Object.entries(definition).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (entries.length === 0) return ['no policy provided'];
  for (const [key, value] of entries) {
    const rule = POLICY_KEYS[key];
    if (rule !== undefined && !rule[0](value)) return [`${formatTerm(jsonTerm(value))} ${rule[1]}`];
  }
  const unknown = entries.filter(([key]) => POLICY_KEYS[key] === undefined && !ACCEPTED_UNUSED_KEYS.has(key) && !CLASSIC_UNSUPPORTED.has(key));
  if (unknown.length > 0) {
    const list: Term = unknown.map(([k, v]) => tuple(Buffer.from(k, 'utf8'), jsonTerm(v)));
    return [`${formatTerm(list)} are not recognised policy settings`];
  }
  return [];
}

/** rabbit_mgmt_format:escape_html_tags, applied by the management API to every validation reason. */
const escapeHtmlTags = (text: string) => text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);

/**
 * Validates a policy body as PUT /api/policies/{vhost}/{name} receives it ({pattern, definition,
 * priority?, apply-to?}); null when valid, else the `reason` of RabbitMQ's 400
 * {"error":"bad_request","reason":"Validation failed\n\n&lt;&lt;\"abc\"&gt;&gt; is not a valid message TTL\n"}
 * — HTML-escaped, as the management API sends it. pattern and definition are required
 * (rabbit_mgmt_util:with_decode: "[{key_missing,pattern}]"), priority defaults to 0 and apply-to to
 * all (rabbit_policy:set/8), other body keys are ignored. Errors come as rabbit_policy's
 * policy_validation/0 fold leaves them (definition, apply-to, pattern, priority) and
 * rabbit_policies:validate_policy0 checks definition keys in sorted order, reporting the first bad
 * value. max-priority is not a policy key in 3.10 ("... are not recognised policy settings").
 * The pattern is compiled as a JavaScript RegExp (PCRE in RabbitMQ; the common subset behaves the same).
 * Management API: call before storing a policy.
 */
export function validatePolicy(body: Readonly<Record<string, unknown>>): string | null {
  const missing = ['pattern', 'definition'].filter((key) => !(key in body));
  if (missing.length > 0) return formatTerm(missing.map((key) => tuple(atom('key_missing'), atom(key))));
  const errors = definitionErrors(body.definition);
  const applyTo = body['apply-to'];
  if (applyTo !== undefined && !['queues', 'exchanges', 'all'].includes(applyTo as string)) {
    errors.push(`apply-to '${typeof applyTo === 'string' ? applyTo : formatTerm(jsonTerm(applyTo))}' unrecognised; should be 'queues', 'exchanges' or 'all'`);
  }
  if (typeof body.pattern !== 'string') errors.push(`pattern should be a binary but was ${formatTerm(jsonTerm(body.pattern))}`);
  else if (!compiles(body.pattern)) errors.push(`pattern should be regular expression but is invalid: ${formatTerm(jsonTerm(body.pattern))}`);
  const priority = body.priority ?? 0;
  if (typeof priority !== 'number') errors.push(`priority should be a number, actually was ${formatTerm(jsonTerm(priority))}`);
  return errors.length === 0 ? null : escapeHtmlTags(validationFailed(errors));
}

function compiles(pattern: string): boolean {
  try { new RegExp(pattern); return true; } catch { return false; }
}

const patternCache = new Map<string, RegExp | null>();
function patternMatches(pattern: string, name: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    re = compiles(pattern) ? new RegExp(pattern) : null;
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re !== null && re.test(name);
}

/**
 * The policy that applies to a queue or exchange (rabbit_policy:match/2): among the policies of its
 * vhost whose apply-to covers the kind, whose pattern matches the name (unanchored, as re:run) and
 * — for queues — which hold no key classic queues do not support, the one with the highest
 * priority. Equal priorities: RabbitMQ's order is that of its parameter table (unspecified);
 * Junction takes the first in `policies`. One policy applies, never a blend of several.
 * Broker: call when a queue/exchange is declared and for all of a vhost's when its policies change.
 */
export function matchPolicy(policies: Iterable<Policy>, kind: 'queue' | 'exchange', name: string): Policy | undefined {
  let best: Policy | undefined;
  for (const policy of policies) {
    if (policy.applyTo !== 'all' && policy.applyTo !== `${kind}s`) continue;
    if (kind === 'queue' && Object.keys(policy.definition).some((k) => CLASSIC_UNSUPPORTED.has(k))) continue;
    if (!patternMatches(policy.pattern, name)) continue;
    if (best === undefined || policy.priority > best.priority) best = policy;
  }
  return best;
}

/** The settings a classic queue runs with: its arguments merged with its policy. */
export type EffectiveQueueSettings = QueueArgumentSettings;

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const lower = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/**
 * rabbit_amqqueue_process:process_args_policy with rabbit_queue_type_util:args_policy_lookup:
 * expires, message-ttl, max-length, max-length-bytes → the lower of argument and policy (res_min);
 * dead-letter-exchange, dead-letter-routing-key, overflow, queue-mode, queue-version → the argument
 * when there is one (res_arg); each from the policy when the argument is absent. max-priority and
 * single-active-consumer come from arguments only. Broker: call when the queue starts and whenever
 * its matching policy changes; keep the result with the queue (not per message).
 */
export function effectiveQueueSettings(args: QueueArgumentSettings, policy: Policy | undefined): EffectiveQueueSettings {
  const d = policy?.definition ?? {};
  return {
    ...args,
    expires: lower(args.expires, num(d.expires)),
    messageTtl: lower(args.messageTtl, num(d['message-ttl'])),
    maxLength: lower(args.maxLength, num(d['max-length'])),
    maxLengthBytes: lower(args.maxLengthBytes, num(d['max-length-bytes'])),
    deadLetterExchange: args.deadLetterExchange ?? text(d['dead-letter-exchange']),
    deadLetterRoutingKey: args.deadLetterRoutingKey ?? text(d['dead-letter-routing-key']),
    overflow: args.overflow ?? (text(d.overflow) as OverflowMode | undefined),
    queueMode: args.queueMode ?? (text(d['queue-mode']) as 'default' | 'lazy' | undefined),
    queueVersion: args.queueVersion ?? (d['queue-version'] === 1 || d['queue-version'] === 2 ? d['queue-version'] : undefined),
  };
}

/** An exchange's alternate exchange: its argument, else its policy's (rabbit_policy:get_arg). */
export function effectiveAlternateExchange(argument: string | undefined, policy: Policy | undefined): string | undefined {
  return argument ?? text(policy?.definition['alternate-exchange']);
}

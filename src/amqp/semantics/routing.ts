import type { FieldTable, FieldValue } from '../protocol/field-table.js';
import { ReplyTexts } from '../protocol/reply-codes.js';
import { compareBinaryKeys, fieldTerm, fieldTypeName, formatTerm, termsEqual } from './erlang-terms.js';
import { type AmqpReply, preconditionFailed } from './reply.js';
import { TopicTrie } from './topic-trie.js';

// Topic and headers matching as RabbitMQ 3.10.8 does it (rabbit_exchange_type_topic,
// rabbit_exchange_type_headers). Pure predicates: the exchange keeps its bindings and calls them.

/** rabbit_exchange_type_topic:split_topic_key: "" is no words at all, "a." is ["a", ""]. */
export function splitTopicKey(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

/**
 * Whether a topic binding key matches a routing key: words split on '.', '*' is exactly one word,
 * '#' zero or more words ("#" matches everything, the empty key too; "*" does not match "").
 * The broker's topic exchanges use TopicTrie directly (many bindings per key); this is the same
 * trie with one binding, so the differential tests test what the broker runs.
 */
export function topicMatches(bindingKey: string, routingKey: string): boolean {
  const trie = new TopicTrie<true>();
  trie.add(bindingKey, true);
  const out = new Set<true>();
  trie.match(routingKey, out);
  return out.size > 0;
}

type MatchKind = 'all' | 'any' | 'all-with-x' | 'any-with-x';
const MATCH_KINDS: readonly string[] = ['all', 'any', 'all-with-x', 'any-with-x'];

/**
 * rabbit_exchange_type_headers:validate_binding: x-match must be a longstr naming all, any,
 * all-with-x or any-with-x; else 406 "PRECONDITION_FAILED - Invalid x-match field value <<"foo">>;
 * expected all, any, all-with-x, or any-with-x" (or "Invalid x-match field type signedint (value 5);
 * expected longstr"). Broker: call on queue.bind / exchange.bind to a headers exchange.
 */
export function validateHeadersBinding(args: FieldTable): AmqpReply | null {
  const xMatch = args.find(([k]) => k === 'x-match')?.[1];
  if (xMatch === undefined) return null;
  if (xMatch.type === 'S') {
    if (MATCH_KINDS.includes(xMatch.value.toString('utf8'))) return null;
    return preconditionFailed(ReplyTexts.invalidXMatchValue(formatTerm(xMatch.value)));
  }
  return preconditionFailed(ReplyTexts.invalidXMatchType(fieldTypeName(xMatch), formatTerm(fieldTerm(xMatch))));
}

type Entry = readonly [string, FieldValue];
const byKey = (a: Entry, b: Entry) => compareBinaryKeys(a[0], b[0]);

/** A headers binding prepared once: its x-match kind and its arguments sorted by name. */
export interface HeadersBinding { readonly kind: MatchKind; readonly args: readonly Entry[] }

export function compileHeadersBinding(args: FieldTable): HeadersBinding {
  const xMatch = args.find(([k]) => k === 'x-match')?.[1];
  const text = xMatch?.type === 'S' ? xMatch.value.toString('utf8') : 'all';
  const kind = (MATCH_KINDS.includes(text) ? text : 'all') as MatchKind;
  return { kind, args: [...args].sort(byKey) };
}

/**
 * rabbit_exchange_type_headers:headers_match/5, the same merge walk over binding arguments and
 * message headers sorted by name: x-match is never compared; other x- arguments are ignored unless
 * the kind is all-with-x / any-with-x; a void binding value matches the header's mere presence;
 * values compare with Erlang == (1 matches 1 whatever the integer tags, and 1.0). all: every
 * argument present and equal; any: at least one. Broker: per message per headers binding; sort the
 * message's headers once per message (sortHeaders) and pass them to every binding.
 */
export function headersMatch(binding: HeadersBinding, sortedHeaders: readonly Entry[]): boolean {
  const withX = binding.kind === 'all-with-x' || binding.kind === 'any-with-x';
  const all = binding.kind === 'all' || binding.kind === 'all-with-x';
  let allMatch = true;
  let anyMatch = false;
  let d = 0;
  for (const [key, value] of binding.args) {
    if (all && !allMatch) return false;
    if (!all && anyMatch) return true;
    if (key === 'x-match' || (!withX && key.startsWith('x-'))) continue;
    while (d < sortedHeaders.length && compareBinaryKeys(sortedHeaders[d]![0], key) < 0) d++;
    const header = sortedHeaders[d];
    if (header === undefined || header[0] !== key) {
      allMatch = false;
      continue;
    }
    d++;
    if (value.type === 'V' || termsEqual(fieldTerm(value), fieldTerm(header[1]), false)) anyMatch = true;
    else allMatch = false;
  }
  return all ? allMatch : anyMatch;
}

/** A message's headers sorted by name, as rabbit_exchange_type_headers:route sorts them. */
export function sortHeaders(headers: FieldTable | undefined): Entry[] {
  return headers === undefined ? [] : [...headers].sort(byKey);
}

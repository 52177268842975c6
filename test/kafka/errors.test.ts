import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JunctionError } from '../../src/core/errors.js';
import { KafkaApiError, KafkaErrors, kafkaErrorName, type KafkaErrorName } from '../../src/kafka/errors.js';

function fixture(file: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../test/fixtures/kafka/${file}`, import.meta.url)), 'utf8');
}

interface JavaError { name: string; code: number; message: string | null; exceptionClass: string | null }

/** The constants of `public enum Errors` in Errors.java: NAME(code, "message" + "...", Exception::new). */
function javaErrors(): JavaError[] {
  const source = fixture('Errors.java');
  const start = source.indexOf('public enum Errors {');
  const body = source.slice(start, source.indexOf(';\n', start));
  const constant = /^ {4}([A-Z_]+)\(\s*(-?\d+),\s*((?:"(?:[^"\\]|\\.)*"\s*\+?\s*)+|null),\s*(?:(\w+)::new|message -> null)\)/gm;
  return [...body.matchAll(constant)].map((m) => ({
    name: m[1]!,
    code: Number(m[2]),
    message: m[3] === 'null' ? null : [...m[3]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => s[1]!.replace(/\\"/g, '"')).join(''),
    exceptionClass: m[4] ?? null,
  }));
}

/** class → superclass, captured from apache/kafka's clients/src/main/java/org/apache/kafka/common/. */
function superclasses(): Map<string, string> {
  const [header, ...lines] = fixture('exception-superclasses.tsv').split('\n').filter((l) => l !== '');
  assert.equal(header, 'class\tsuperclass');
  return new Map(lines.map((l) => l.split('\t') as [string, string]));
}

function isRetriable(exceptionClass: string | null, parents: Map<string, string>): boolean {
  for (let c = exceptionClass; c !== null && c !== undefined; c = parents.get(c) ?? null) {
    if (c === 'RetriableException') return true;
  }
  return false;
}

test('every Errors.java constant is in the registry with its code, message and retriability, in order', () => {
  const java = javaErrors();
  // Errors.java at 1eb7644 has 130 constants, from UNKNOWN_SERVER_ERROR (-1) to the last KIP-853 code.
  assert.equal(java.length, (fixture('Errors.java').match(/^ {4}[A-Z_]+\(/gm) ?? []).length);
  assert.equal(java.length, 130);
  const parents = superclasses();
  for (const e of java) if (e.exceptionClass) assert.ok(parents.has(e.exceptionClass), `hierarchy of ${e.exceptionClass} captured`);
  const spec = java.map((e) => [e.name, e.code, e.message, isRetriable(e.exceptionClass, parents)]);
  const ours = Object.entries(KafkaErrors).map(([name, e]) => [name, e.code, e.message, e.retriable]);
  assert.deepEqual(ours, spec);
});

test('retriability matches what clients and kafka.md §5 rely on', () => {
  // Spot checks beside the table comparison, so a broken hierarchy parse cannot pass silently.
  const retriable = (name: KafkaErrorName) => KafkaErrors[name].retriable;
  assert.equal(retriable('CORRUPT_MESSAGE'), true);
  assert.equal(retriable('UNKNOWN_TOPIC_OR_PARTITION'), true);
  assert.equal(retriable('NOT_COORDINATOR'), true);
  assert.equal(retriable('REBALANCE_IN_PROGRESS'), false);
  assert.equal(retriable('TOPIC_ALREADY_EXISTS'), false);
  assert.equal(retriable('UNKNOWN_SERVER_ERROR'), false);
  assert.equal(Object.values(KafkaErrors).filter((e) => e.retriable).length, 31);
});

test('codes are unique and map back to their names', () => {
  const entries = Object.entries(KafkaErrors);
  assert.equal(new Set(entries.map(([, e]) => e.code)).size, entries.length);
  for (const [name, e] of entries) assert.equal(kafkaErrorName(e.code), name);
  assert.equal(kafkaErrorName(35), 'UNSUPPORTED_VERSION');
  assert.equal(kafkaErrorName(9999), undefined);
});

test('KafkaApiError carries the code and the default or given message', () => {
  const e = new KafkaApiError('TOPIC_ALREADY_EXISTS');
  assert.ok(e instanceof JunctionError);
  assert.equal(e.errorCode, 36);
  assert.equal(e.code, 'KAFKA_TOPIC_ALREADY_EXISTS');
  assert.equal(e.message, 'Topic with this name already exists.');
  assert.equal(new KafkaApiError('INVALID_REPLICATION_FACTOR', 'Replication factor: 3 larger than available brokers: 1.').message,
    'Replication factor: 3 larger than available brokers: 1.');
});

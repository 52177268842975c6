import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldTable } from '../../../src/amqp/protocol/field-table.js';
import { compileHeadersBinding, headersMatch, sortHeaders, splitTopicKey, topicMatches, validateHeadersBinding } from '../../../src/amqp/semantics/routing.js';
import { S, V } from './values.js';

test('topic keys split on dots; the empty key has no words', () => {
  assert.deepEqual(splitTopicKey(''), []);
  assert.deepEqual(splitTopicKey('a.'), ['a', '']);
  assert.deepEqual(splitTopicKey('a..b'), ['a', '', 'b']);
});

test('topic matching: * is one word, # is zero or more', () => {
  const cases: [string, string, boolean][] = [
    ['#', '', true], ['#', 'a.b.c', true], ['*', '', false], ['*', 'a', true], ['*', 'a.b', false],
    ['a.*', 'a.b', true], ['a.*', 'a', false], ['a.*', 'a.', true], ['a.#', 'a', true], ['a.#', 'a.b.c', true],
    ['#.c', 'c', true], ['#.c', 'a.b.c', true], ['#.c', 'a.b.cc', false], ['a.#.c', 'a.c', true], ['a.#.c', 'a.x.y.c', true],
    ['*.#.*', 'a', false], ['*.#.*', 'a.b', true], ['#.#', '', true], ['a.b', 'a.b', true], ['a.b', 'a.bb', false],
    ['', '', true], ['', 'a', false], ['quick.orange.rabbit', 'quick.orange.rabbit', true], ['*.orange.*', 'quick.orange.male.rabbit', false],
    ['lazy.#', 'lazy.orange.male.rabbit', true], ['*.*.rabbit', 'quick.orange.rabbit', true],
  ];
  for (const [pattern, key, expected] of cases) assert.equal(topicMatches(pattern, key), expected, `${pattern} ~ ${key}`);
});

test('a pattern of many # stays fast', () => {
  const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join('.');
  const t0 = performance.now();
  assert.equal(topicMatches(`${'#.'.repeat(50)}nope`, words), false);
  assert.ok(performance.now() - t0 < 500);
});

const match = (args: FieldTable, headers: FieldTable) => headersMatch(compileHeadersBinding(args), sortHeaders(headers));

test('headers all/any, x- arguments ignored unless -with-x, void matches presence, numbers compare by value', () => {
  const headers: FieldTable = [['format', S('pdf')], ['type', S('report')], ['n', V.l(1n)], ['x-tag', S('t')]];
  assert.equal(match([['format', S('pdf')], ['type', S('report')]], headers), true);
  assert.equal(match([['x-match', S('all')], ['format', S('pdf')], ['type', S('log')]], headers), false);
  assert.equal(match([['x-match', S('any')], ['format', S('zip')], ['type', S('report')]], headers), true);
  assert.equal(match([['x-match', S('any')], ['format', S('zip')]], headers), false);
  assert.equal(match([['format', S('pdf')], ['x-tag', S('other')]], headers), true);
  assert.equal(match([['x-match', S('all-with-x')], ['format', S('pdf')], ['x-tag', S('other')]], headers), false);
  assert.equal(match([['x-match', S('any-with-x')], ['x-tag', S('t')]], headers), true);
  assert.equal(match([['type', V.V()]], headers), true);
  assert.equal(match([['missing', V.V()]], headers), false);
  assert.equal(match([['n', V.I(1)]], headers), true);
  assert.equal(match([['n', V.d(1)]], headers), true);
  assert.equal(match([['n', S('1')]], headers), false);
  assert.equal(match([], headers), true);
  assert.equal(match([['x-match', S('any')]], headers), false);
  assert.equal(match([['format', S('pdf')]], []), false);
  assert.equal(match([['x-match', S('bogus')], ['format', S('pdf')]], headers), true);
});

test('x-match validation texts', () => {
  assert.equal(validateHeadersBinding([['x-match', S('any')]]), null);
  assert.equal(validateHeadersBinding([]), null);
  assert.deepEqual(validateHeadersBinding([['x-match', S('foo')]]),
    { code: 406, text: 'PRECONDITION_FAILED - Invalid x-match field value <<"foo">>; expected all, any, all-with-x, or any-with-x' });
  assert.equal(validateHeadersBinding([['x-match', V.I(5)]])?.text,
    'PRECONDITION_FAILED - Invalid x-match field type signedint (value 5); expected longstr');
});

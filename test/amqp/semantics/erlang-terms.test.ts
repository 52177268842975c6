import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atom, charList, fieldTerm, formatFloat, formatPlain, formatTerm, jsonTerm, str, termsEqual, tuple } from '../../../src/amqp/semantics/erlang-terms.js';
import { S, V } from './values.js';

test('formatTerm prints the terms RabbitMQ error texts contain as OTP ~p does', () => {
  assert.equal(formatTerm(tuple(atom('value_negative'), -1n)), '{value_negative,-1}');
  assert.equal(formatTerm(str('expected integer, got longstr')), '"expected integer, got longstr"');
  assert.equal(formatTerm(str('a"b\\c\nd')), '"a\\"b\\\\c\\nd"');
  assert.equal(formatTerm(Buffer.from('abc')), '<<"abc">>');
  assert.equal(formatTerm(Buffer.from([1, 2, 200])), '<<1,2,200>>');
  assert.equal(formatTerm([tuple(Buffer.from('k'), 5n)]), '[{<<"k">>,5}]');
  assert.equal(formatTerm(true), 'true');
  assert.equal(formatTerm(jsonTerm({ b: 1, a: [null, 'x'] })), '#{<<"a">> => [null,<<"x">>],<<"b">> => 1}');
});

test('floats print in the shorter of fixed and scientific form, as Erlang (values checked with erl)', () => {
  // erl: io_lib:format("~p", [F]) for 1.0e10, 0.1, 100.0, 1.5e-7, 123456789.0
  assert.deepEqual([1e10, 0.1, 100, 1.5e-7, 123456789].map(formatFloat), ['1.0e10', '0.1', '100.0', '1.5e-7', '123456789.0']);
  assert.equal(formatFloat(-2.5), '-2.5');
  assert.equal(formatFloat(0), '0.0');
});

test('field values become the Erlang terms rabbit_binary_parser makes', () => {
  assert.equal(formatTerm(fieldTerm(V.D(2, 150))), '{2,150}');
  assert.equal(formatTerm(fieldTerm(V.A([S('a'), V.I(1)]))), '[{longstr,<<"a">>},{signedint,1}]');
  assert.equal(formatTerm(fieldTerm(V.F([['k', V.t(true)]]))), '[{<<"k">>,bool,true}]');
  assert.equal(formatTerm(fieldTerm(V.V())), 'undefined');
  assert.equal(formatPlain(fieldTerm(S('plain'))), 'plain');
});

test('charList prints printable bytes as a string and others as integers', () => {
  assert.equal(formatTerm(charList(Buffer.from('abc'))), '"abc"');
  assert.equal(formatTerm(charList(Buffer.from([0, 1]))), '[0,1]');
});

test('termsEqual: == compares numbers across int and float, =:= does not', () => {
  assert.equal(termsEqual(5n, 5, false), true);
  assert.equal(termsEqual(5n, 5, true), false);
  assert.equal(termsEqual(Buffer.from('a'), Buffer.from('a'), true), true);
  assert.equal(termsEqual(tuple(1n, atom('x')), tuple(1n, atom('y')), true), false);
  assert.equal(termsEqual([1n], [1n, 2n], true), false);
});

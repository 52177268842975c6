import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FOUR_LETTER_WORDS, fourLetterWordOf, parseWhitelist } from '../../../src/zk/fourlw/index.js';

// FourLetterCommands.java: each code is ByteBuffer.wrap(word.getBytes()).getInt().
test('codes are the big-endian ints ZooKeeper compares (ruok = 0x72756f6b, telnet close = 0xfff4fffd)', () => {
  assert.equal(FOUR_LETTER_WORDS.get('ruok'), 0x72756f6b);
  assert.equal(FOUR_LETTER_WORDS.get('mntr'), 0x6d6e7472);
  assert.equal(FOUR_LETTER_WORDS.get('telnet close'), -720899);
  assert.deepEqual([...FOUR_LETTER_WORDS.keys()].sort(), [
    'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'hash', 'isro', 'mntr', 'ruok', 'srst', 'srvr', 'stat',
    'stmk', 'telnet close', 'wchc', 'wchp', 'wchs',
  ]);
});

test('fourLetterWordOf reads a word from the first 4 bytes and nothing else', () => {
  assert.equal(fourLetterWordOf(Buffer.from('srvr')), 'srvr');
  assert.equal(fourLetterWordOf(Buffer.from('ruok\n').subarray(0, 4)), 'ruok');
  assert.equal(fourLetterWordOf(Buffer.from([0xff, 0xf4, 0xff, 0xfd])), 'telnet close');
  // A ConnectRequest starts with its length (44 for a plain one): a session, not a word.
  assert.equal(fourLetterWordOf(Buffer.from([0, 0, 0, 44])), null);
  assert.equal(fourLetterWordOf(Buffer.from('RUOK')), null);
  assert.equal(fourLetterWordOf(Buffer.from('ruo')), null);
});

test('whitelist: default and empty are srvr only; srvr is always enabled', () => {
  assert.deepEqual(parseWhitelist('srvr'), ['srvr']);
  assert.deepEqual(parseWhitelist(''), ['srvr']);
  assert.deepEqual(parseWhitelist('ruok'), ['ruok', 'srvr']);
});

test('whitelist: comma list trimmed, unknown names dropped, * enables every word', () => {
  assert.deepEqual(parseWhitelist(' stat , ruok,bogus,,mntr '), ['ruok', 'srvr', 'stat', 'mntr']);
  assert.deepEqual(parseWhitelist('*').sort(), [...FOUR_LETTER_WORDS.keys()].sort());
  assert.deepEqual(parseWhitelist('ruok, *').sort(), [...FOUR_LETTER_WORDS.keys()].sort());
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  javaUrlDecode, javaUrlEncode, ListeningConfigsError, MAX_LISTEN_KEYS, parseListeningConfigs,
} from '../../src/nacos/config/listening-configs.js';

const W = '\u0002';
const L = '\u0001';

describe('Listening-Configs parser (Nacos MD5Util.getClientMd5Map)', () => {
  it('parses old (no tenant) and multi-tenant records', () => {
    const keys = parseListeningConfigs(`a${W}g${W}md5a${L}b${W}g2${W}md5b${W}ns1${L}`);
    assert.deepEqual(keys, [
      { dataId: 'a', group: 'g', tenant: '', md5: 'md5a' },
      { dataId: 'b', group: 'g2', tenant: 'ns1', md5: 'md5b' },
    ]);
  });

  it('accepts an empty md5 (client has no copy) and ignores text after the last record', () => {
    assert.deepEqual(parseListeningConfigs(`a${W}g${W}${L}trailing`), [{ dataId: 'a', group: 'g', tenant: '', md5: '' }]);
  });

  it('URL-decodes once more like Nacos (URLDecoder: + is a space, %XX escapes)', () => {
    const keys = parseListeningConfigs(`a%2Eb${W}g+x${W}m${L}`);
    assert.equal(keys[0]!.dataId, 'a.b');
    assert.equal(keys[0]!.group, 'g x');
    assert.deepEqual(parseListeningConfigs(`a%02g%02m%01`), [{ dataId: 'a', group: 'g', tenant: '', md5: 'm' }]);
  });

  it('a later record for the same key wins', () => {
    const keys = parseListeningConfigs(`a${W}g${W}m1${L}a${W}g${W}m2${L}`);
    assert.deepEqual(keys, [{ dataId: 'a', group: 'g', tenant: '', md5: 'm2' }]);
  });

  for (const [name, input, message] of [
    ['blank', '   ', 'invalid probeModify'],
    ['a record with one field', `a${L}`, 'invalid probeModify'],
    ['too many fields', `a${W}b${W}c${W}d${W}e${L}`, 'invalid probeModify'],
    ['a bad escape', 'a%zz', 'URLDecoder: Illegal hex characters in escape (%) pattern - For input string: "zz"'],
    ['a truncated escape', 'abc%4', 'URLDecoder: Incomplete trailing escape (%) pattern'],
  ] as const) {
    it(`rejects ${name} with a typed 400`, () => {
      assert.throws(() => parseListeningConfigs(input), (err: unknown) => {
        assert.ok(err instanceof ListeningConfigsError);
        assert.equal(err.status, 400);
        assert.equal(err.body, `caused: ${message};`);
        return true;
      });
    });
  }

  it('rejects more than MAX_LISTEN_KEYS keys', () => {
    const many = Array.from({ length: MAX_LISTEN_KEYS + 1 }, (_, i) => `d${i}${W}g${W}m${L}`).join('');
    assert.throws(() => parseListeningConfigs(many), ListeningConfigsError);
    const ok = Array.from({ length: MAX_LISTEN_KEYS }, (_, i) => `d${i}${W}g${W}m${L}`).join('');
    assert.equal(parseListeningConfigs(ok).length, MAX_LISTEN_KEYS);
  });

  it('Java URLEncoder round trip', () => {
    assert.equal(javaUrlEncode(`a b*~!${W}${L}é`), 'a+b*%7E%21%02%01%C3%A9');
    assert.equal(javaUrlDecode('a+b*%7E%21%02%01%C3%A9'), `a b*~!${W}${L}é`);
  });
});

describe('Listening-Configs parser fuzz', () => {
  // Deterministic PRNG so a failure reproduces.
  let seed = 0x2545f491;
  const rnd = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
  const alphabet = ['a', 'Z', '9', '.', ':', '_', '-', '%', '+', '2', '0', '1', 'F', W, L, ' ', 'é', '\ud800', '\u0000'];
  const randomText = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
  const valid = () => Array.from({ length: 1 + rnd(5) }, () => `d${rnd(100)}${W}g${W}${'m'.repeat(rnd(3))}${rnd(2) ? `${W}ns` : ''}${L}`).join('');

  function check(input: string): void {
    const started = process.hrtime.bigint();
    try {
      const keys = parseListeningConfigs(input);
      for (const k of keys) for (const f of [k.dataId, k.group, k.tenant, k.md5]) assert.equal(typeof f, 'string');
    } catch (err) {
      assert.ok(err instanceof ListeningConfigsError, `unexpected ${String(err)} for ${JSON.stringify(input)}`);
    }
    assert.ok(process.hrtime.bigint() - started < 200_000_000n, 'parser took too long');
  }

  it('random inputs never throw anything but ListeningConfigsError', () => {
    for (let i = 0; i < 5000; i++) check(randomText(rnd(80)));
  });

  it('mutated valid probes never throw anything but ListeningConfigsError', () => {
    for (let i = 0; i < 5000; i++) {
      const chars = [...valid()];
      for (let m = 0; m < 1 + rnd(4); m++) {
        const at = rnd(chars.length + 1);
        const op = rnd(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[rnd(alphabet.length)]!);
        else chars[at] = alphabet[rnd(alphabet.length)]!;
      }
      check(chars.join(''));
    }
  });

  it('a large hostile input is handled in linear time', () => {
    check('%41'.repeat(200_000));
    check(`${W}`.repeat(3) + 'x'.repeat(1_000_000));
  });
});

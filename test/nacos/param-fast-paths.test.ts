// The hot read routes decide their usual parameters on fast paths (one regular-expression match,
// one indexOf); these must decide exactly what the Nacos rules they shortcut decide, for any input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { checkConfigParams, isValidParam, javaTrim } from '../../src/nacos/config/param-check.js';
import { checkServiceNameFormat, NamingParams } from '../../src/nacos/routes/naming/params.js';
import { seededRandom as random } from '../helpers/seeded-random.js';


function strings(alphabet: readonly string[], count: number, maxLength: number, seed: number): string[] {
  const next = random(seed);
  const out = [''];
  for (let n = 0; n < count; n++) {
    const length = Math.floor(next() * (maxLength + 1));
    out.push(Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
  }
  return out;
}

// ASCII letters, digits and the allowed marks, forbidden ASCII, blanks Java trims, a CJK letter,
// an Arabic-Indic digit (Nd), a letter outside the BMP (two UTF-16 units) and a lone surrogate.
const NAME_CHARS = ['a', 'Z', '0', '_', '-', '.', ':', '/', '@', ' ', '\t', '\u0001', '配', '\u0663', '\u{10400}', '\uD800', 'é'];

/** ParamUtils.isValid per UTF-16 unit (Character.isLetterOrDigit), written out. */
function javaIsValid(s: string): boolean {
  for (const unit of s.split('')) if (!/^[\p{L}\p{Nd}_\-.:]$/u.test(unit)) return false;
  return true;
}

test('isValidParam decides as ParamUtils.isValid', () => {
  for (const s of strings(NAME_CHARS, 3000, 6, 1)) assert.equal(isValidParam(s), javaIsValid(s), JSON.stringify(s));
});

test('checkConfigParams accepts a dataId and group exactly when ParamUtils.checkParam does', () => {
  const blank = (s: string) => javaTrim(s) === '';
  for (const s of strings(NAME_CHARS, 2000, 5, 2)) {
    const dataIdOk = !blank(s) && javaIsValid(javaTrim(s));
    const groupOk = !blank(s) && javaIsValid(s);
    assert.equal(accepts(() => checkConfigParams(s, 'G', 'c', 100)), dataIdOk, `dataId ${JSON.stringify(s)}`);
    assert.equal(accepts(() => checkConfigParams('d', s, 'c', 100)), groupOk, `group ${JSON.stringify(s)}`);
  }
});

function accepts(check: () => void): boolean {
  try { check(); return true; } catch { return false; }
}

/** NamingUtils.checkServiceNameFormat with Java's split (trailing empty parts dropped): the message or ''. */
function javaServiceNameCheck(grouped: string): string {
  const parts = grouped.split('@@');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length <= 1) return 'format';
  return parts[0] === '' ? 'empty group' : '';
}

test('checkServiceNameFormat decides as NamingUtils.checkServiceNameFormat', () => {
  for (const s of strings(['@', 'a', 'G', '.'], 3000, 8, 3)) {
    let got = '';
    try { checkServiceNameFormat(s); } catch (e) { got = /groupName can't be empty/.test((e as Error).message) ? 'empty group' : 'format'; }
    assert.equal(got, javaServiceNameCheck(s), JSON.stringify(s));
  }
});

test('NamingParams.int: absent or blank is the fallback, else a Java int', () => {
  const params = (query: Record<string, string>) => new NamingParams({ url: '/nacos/v1/ns/instance/list', query, body: undefined } as unknown as FastifyRequest);
  assert.equal(params({}).int('udpPort', 0), 0);
  assert.equal(params({ udpPort: ' ' }).int('udpPort', 7), 7);
  assert.equal(params({ udpPort: '5' }).int('udpPort', 0), 5);
  assert.equal(params({ udpPort: '+5' }).int('udpPort', 0), 5);
  assert.throws(() => params({ udpPort: 'x' }).int('udpPort', 0), /For input string: "x"/);
  assert.throws(() => params({ udpPort: '2147483648' }).int('udpPort', 0), /For input string/);
  assert.throws(() => params({}).int('port'), /Param 'port' is required/);
});

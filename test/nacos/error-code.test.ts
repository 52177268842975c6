import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JunctionError } from '../../src/core/errors.js';
import {
  BeatResponseCode, ErrorCode, type ErrorCodeName, errorCodeName, HTTP_STATUS, NacosError,
} from '../../src/nacos/errors.js';

/** A tab-separated fixture with a header line (test/fixtures/nacos, read from the source tree). */
function fixture(file: string, header: string): string[][] {
  const path = fileURLToPath(new URL(`../../../test/fixtures/nacos/${file}`, import.meta.url));
  const [first, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  assert.equal(first, header);
  const width = header.split('\t').length;
  return lines.map((line) => {
    const fields = line.split('\t');
    assert.equal(fields.length, width, `fixture line has ${fields.length} fields: ${line}`);
    return fields;
  });
}

/** Nacos 2.4.3's ErrorCode enum, one [code, name, message] per constant, in declaration order. */
function enumConstants(): [number, string, string][] {
  return fixture('error-code-2.4.3.tsv', 'code\tname\tmessage').map(([code, name, message]) => [Number(code), name!, message!]);
}

test('ErrorCode has exactly the names, numbers and messages of Nacos 2.4.3, in its order', () => {
  const spec = enumConstants();
  assert.equal(spec.length, 32);
  const ours = Object.entries(ErrorCode).map(([name, e]) => [e.code, name, e.message]);
  assert.deepEqual(ours, spec);
});

test('every number and every entry names one constant', () => {
  const entries = Object.values(ErrorCode);
  assert.equal(new Set(entries.map((e) => e.code)).size, entries.length);
  for (const [code, name] of enumConstants()) {
    const entry = ErrorCode[name as ErrorCodeName];
    assert.equal(entry.code, code);
    assert.equal(errorCodeName(entry), name);
  }
  assert.equal(errorCodeName({ code: 20004, message: 'resource not found' }), undefined, 'entries are compared by identity');
});

test('HTTP_STATUS holds the one status Nacos 2.4.3 answers with each code, and only such codes', () => {
  const seen = new Map<string, Set<number>>();
  for (const [name, status] of fixture('error-status-2.4.3.tsv', 'name\tstatus\twhere')) {
    assert.ok(name! in ErrorCode, `${name} is an ErrorCode constant`);
    if (!seen.has(name!)) seen.set(name!, new Set());
    seen.get(name!)!.add(Number(status));
  }
  for (const [name, status] of Object.entries(HTTP_STATUS)) {
    assert.deepEqual([...seen.get(name) ?? []], [status], `${name}: Nacos answers ${[...seen.get(name) ?? []].join('/')}`);
  }
  // A code Nacos answers with several statuses has none here: the route names it.
  assert.deepEqual([...seen.get('RESOURCE_CONFLICT')!].sort(), [409, 500]);
  assert.equal(HTTP_STATUS.RESOURCE_CONFLICT, undefined);
  assert.deepEqual(BeatResponseCode, { OK: 10200, RESOURCE_NOT_FOUND: 20404 });
});

test('NacosError answers the v2 envelope from its registry entry', () => {
  const e = new NacosError(404, 'caused: namespaceId [x] not exist;', ErrorCode.NAMESPACE_NOT_EXIST);
  assert.ok(e instanceof JunctionError);
  assert.equal(e.code, 'NACOS_NAMESPACE_NOT_EXIST');
  assert.deepEqual(e.v2Body(), { code: 22001, message: 'namespace not exist', data: 'namespaceId [x] not exist' });
  // Without an entry the v1 status decides, as before: 404 → RESOURCE_NOT_FOUND, 403 → ACCESS_DENIED.
  assert.equal(new NacosError(404, 'gone').errorCode, ErrorCode.RESOURCE_NOT_FOUND);
  assert.equal(new NacosError(403, 'no').errorCode, ErrorCode.ACCESS_DENIED);
  assert.equal(new NacosError(400, 'bad').errorCode, ErrorCode.PARAMETER_MISSING);
});

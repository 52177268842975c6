import { type FieldTable, type FieldValue, fieldString, writeFieldValue } from '../protocol/field-table.js';
import { AmqpWriter } from '../protocol/writer.js';

/**
 * The headers exchange's test (rabbit_exchange_type_headers): x-match all (default) or any;
 * binding arguments starting with `x-` are ignored (the -with-x variants compare them too); a
 * void binding value matches the header's mere presence, any other must be equal. A stand-in
 * until amqp-semantics' matcher replaces it.
 */
export function headersMatch(bindingArgs: FieldTable, headers: FieldTable | undefined): boolean {
  const mode = fieldString(bindingArgs.find(([k]) => k === 'x-match')?.[1]) ?? 'all';
  const any = mode === 'any' || mode === 'any-with-x';
  const withX = mode.endsWith('-with-x');
  for (const [name, expected] of bindingArgs) {
    if (name === 'x-match' || (!withX && name.startsWith('x-'))) continue;
    const actual = headers?.find(([k]) => k === name)?.[1];
    const ok = actual !== undefined && (expected.type === 'V' || sameValue(expected, actual));
    if (any && ok) return true;
    if (!any && !ok) return false;
  }
  return !any;
}

function encode(v: FieldValue): string {
  const w = new AmqpWriter(32);
  writeFieldValue(w, v);
  return w.toBuffer().toString('hex');
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  const sa = fieldString(a);
  if (sa !== undefined) return sa === fieldString(b);
  return encode(a) === encode(b);
}

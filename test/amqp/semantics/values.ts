// Field values for tests, one constructor per tag.
import type { FieldValue } from '../../../src/amqp/protocol/field-table.js';

export const S = (text: string): FieldValue => ({ type: 'S', value: Buffer.from(text, 'utf8') });

export const V = {
  t: (value: boolean): FieldValue => ({ type: 't', value }),
  b: (value: number): FieldValue => ({ type: 'b', value }),
  B: (value: number): FieldValue => ({ type: 'B', value }),
  s: (value: number): FieldValue => ({ type: 's', value }),
  u: (value: number): FieldValue => ({ type: 'u', value }),
  I: (value: number): FieldValue => ({ type: 'I', value }),
  i: (value: number): FieldValue => ({ type: 'i', value }),
  l: (value: bigint): FieldValue => ({ type: 'l', value }),
  L: (value: bigint): FieldValue => ({ type: 'L', value }),
  T: (value: bigint): FieldValue => ({ type: 'T', value }),
  f: (value: number): FieldValue => ({ type: 'f', value }),
  d: (value: number): FieldValue => ({ type: 'd', value }),
  D: (scale: number, value: number): FieldValue => ({ type: 'D', scale, value }),
  x: (text: string): FieldValue => ({ type: 'x', value: Buffer.from(text, 'utf8') }),
  A: (value: FieldValue[]): FieldValue => ({ type: 'A', value }),
  F: (value: [string, FieldValue][]): FieldValue => ({ type: 'F', value }),
  V: (): FieldValue => ({ type: 'V' }),
};

import type { FieldTable } from '../../../src/amqp/protocol/field-table.js';
import type { MethodSpec } from '../../../src/amqp/protocol/method-spec.js';
import type { ArgValue, MethodArgs } from '../../../src/amqp/protocol/methods.js';

/** A table with one value of every tag RabbitMQ reads and writes. */
export const EVERY_TAG_TABLE: FieldTable = [
  ['t', { type: 't', value: true }], ['b', { type: 'b', value: -5 }], ['B', { type: 'B', value: 250 }],
  ['s', { type: 's', value: -300 }], ['u', { type: 'u', value: 65000 }], ['I', { type: 'I', value: -70000 }],
  ['i', { type: 'i', value: 4000000000 }], ['l', { type: 'l', value: -(2n ** 40n) }], ['L', { type: 'L', value: 2n ** 62n }],
  ['f', { type: 'f', value: 1.5 }], ['d', { type: 'd', value: Math.PI }], ['D', { type: 'D', scale: 2, value: 12345 }],
  ['S', { type: 'S', value: Buffer.from('héllo') }], ['x', { type: 'x', value: Buffer.from([0, 255, 1]) }],
  ['A', { type: 'A', value: [{ type: 'I', value: 1 }, { type: 'S', value: Buffer.from('a') }, { type: 'V' }] }],
  ['T', { type: 'T', value: 1700000000n }], ['F', { type: 'F', value: [['nested', { type: 't', value: false }]] }],
  ['V', { type: 'V' }],
];

/** Distinct non-default sample values per argument, varied by position so packed bits differ. */
export function sampleArgs(spec: MethodSpec, seed = 0): MethodArgs {
  const args: Record<string, ArgValue> = {};
  spec.args.forEach(([name, type], i) => {
    const n = i + seed + 1;
    switch (type) {
      case 'bit': args[name] = (n % 2) === 1; break;
      case 'octet': args[name] = (n * 37) % 256; break;
      case 'short': args[name] = (n * 4099) % 65536; break;
      case 'long': args[name] = (n * 2654435761) % 4294967296; break;
      case 'longlong': case 'timestamp': args[name] = BigInt(n) * 1234567890123n; break;
      case 'shortstr': args[name] = `${name}-${n}-ü`; break;
      case 'longstr': args[name] = Buffer.from(`\u0000${name}\u0000${n}`); break;
      case 'table': args[name] = EVERY_TAG_TABLE; break;
    }
  });
  return args;
}
